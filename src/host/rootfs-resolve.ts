// Path resolution with chroot semantics on the real filesystem: every symlink met on the
// way is resolved INSIDE the root (an absolute target restarts at the root, `..` stops at
// it), so no path given to a rootfs host can reach a file outside the root.
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { errnoError } from './host-path.js';

/** Linux's limit on symlinks followed in one lookup. */
const maxSymlinkHops = 40;

/** The real path of host path `p` inside `root` (absolute, normalized). */
export function resolveInRoot(root: string, p: string, followLast: boolean): string {
  // Components are consumed one at a time: `..` after a symlink applies to the link's target, as in the kernel.
  let pending = p.split('/').filter((s) => s !== '' && s !== '.');
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const [name, ...rest] = pending as [string, ...string[]];
    pending = rest;
    if (name === '..') {
      resolved.pop();
      continue;
    }
    const real = path.join(root, ...resolved, name);
    const target = rest.length > 0 || followLast ? readLinkOrUndefined(real) : undefined;
    if (target === undefined) {
      resolved.push(name);
      continue;
    }
    if (++hops > maxSymlinkHops) throw errnoError('ELOOP', 'stat', p);
    if (target.startsWith('/')) resolved.length = 0;
    pending = [...target.split('/').filter((s) => s !== '' && s !== '.'), ...pending];
  }
  return path.join(root, ...resolved);
}

function readLinkOrUndefined(real: string): string | undefined {
  try {
    return lstatSync(real).isSymbolicLink() ? readlinkSync(real) : undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** The host path of a real path under `root` (the inverse of resolveInRoot for resolved paths). */
export function hostPathOf(root: string, real: string): string {
  const rel = path.relative(root, real);
  if (rel === '') return '/';
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`path ${real} is outside the root ${root}`);
  return `/${rel.split(path.sep).join('/')}`;
}
