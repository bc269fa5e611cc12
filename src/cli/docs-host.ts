// Rendering help never touches a host; the docs generator still has to hand the program a factory.
import { InternalError } from '../errors.js';
import type { Host } from '../host/host.js';

export function fakeFreeHost(): Host {
  throw new InternalError('the docs generator renders help only and must not build a host');
}
