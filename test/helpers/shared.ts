// ../shared beside the repository holds the reference outputs of a real kubeadm and the config
// corpus. A user's clone has none: tests that need it skip, saying so, and never fail for it.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const sharedDir = path.resolve(import.meta.dirname, '../../../shared');

/** The absolute path of a file under ../shared. */
export const sharedPath = (rel: string): string => path.join(sharedDir, rel);

/** For a test's `skip` option: false when ../shared/<rel> exists, else the reason it is skipped. */
export function skipWithoutShared(rel: string): string | false {
  return existsSync(sharedPath(rel)) ? false : `no ${sharedPath(rel)}: ../shared is absent beside this checkout`;
}
