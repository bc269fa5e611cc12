// Atomic file replacement: a reader sees the old file or the new one, never a torn one,
// even across a crash. We do not use write-file-atomic: it realpath()s the target and so
// writes THROUGH a final symlink, which under --rootfs could land outside the root; a
// rename here replaces the link itself. It also skips the directory fsync.
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';

/** Writes `data` to `file` via a hidden temp file in the same directory, with exactly `mode`. */
export async function atomicWrite(file: string, data: Uint8Array, mode: number): Promise<void> {
  const dir = path.dirname(file);
  // A leading dot: the kubelet ignores hidden files in its static pod directory.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  let renamed = false;
  try {
    try {
      await fh.writeFile(data);
      // open() masks the mode with the umask; chmod does not.
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
    renamed = true;
  } finally {
    if (!renamed) await fsp.rm(tmp, { force: true });
  }
  await syncDir(dir);
}

/** fsync a directory so a rename or creation in it survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const dh = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
