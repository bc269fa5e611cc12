// Atomic file replacement: a reader sees the old file or the new one, never a torn one,
// even across a crash. We do not use write-file-atomic: it realpath()s the target and so
// writes THROUGH a final symlink, which under --rootfs could land outside the root; a
// rename here replaces the link itself. It also skips the directory fsync.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { constants } from 'node:fs';
import path from 'node:path';
import { stagedName } from './staged-name.js';

/** Writes `data` to `file` via a hidden temp file in the same directory, with exactly `mode`. Synchronous
 *  calls: async fs would queue on libuv's thread pool behind any key generation in progress. */
export async function atomicWrite(file: string, data: Uint8Array, mode: number): Promise<void> {
  const tmp = stageFile(file, data, mode);
  commitFile(tmp, file);
  await syncDir(path.dirname(file));
}

/** Writes and syncs `data` under a hidden temporary name beside `file`; returns that name. */
export function stageFile(file: string, data: Uint8Array, mode: number): string {
  const tmp = path.join(path.dirname(file), stagedName(path.basename(file), process.pid, randomBytes(6).toString('hex')));
  writeNewFile(tmp, data, mode);
  return tmp;
}

/** Creates `file` (O_EXCL: EEXIST when anything is there, a symlink included) with `data`, exactly `mode`, synced;
 *  removed again if the write fails. */
function writeNewFile(file: string, data: Uint8Array, mode: number): void {
  const fd = fs.openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  let written = false;
  try {
    fs.writeFileSync(fd, data);
    // open() masks the mode with the umask; chmod does not.
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    written = true;
  } finally {
    fs.closeSync(fd);
    if (!written) fs.rmSync(file, { force: true });
  }
}

/**
 * Creates `file` with `data` only if nothing is there (not even a dangling symlink); false when something is.
 * The content is staged first and hard-linked into place, so a reader never sees the file empty or half written;
 * link(2) fails with EEXIST exactly as O_CREAT|O_EXCL does. Filesystems without hard links get O_EXCL|O_NOFOLLOW
 * (a reader may then briefly see an empty file).
 */
export function createExclusiveFile(file: string, data: Uint8Array, mode: number): boolean {
  const tmp = stageFile(file, data, mode);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return openExclusive(file, data, mode);
}

function openExclusive(file: string, data: Uint8Array, mode: number): boolean {
  try {
    writeNewFile(file, data, mode);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Renames a staged file into place (removing the staged file if that fails). */
export function commitFile(tmp: string, file: string): void {
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Removes staged files that will not be committed. */
export function discardStaged(tmps: readonly string[]): void {
  for (const t of tmps) fs.rmSync(t, { force: true });
}

/** fsync a directory so a rename or creation in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fd = fs.openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
