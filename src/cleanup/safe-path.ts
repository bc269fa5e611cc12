// Reset never follows a symlink: before it changes a path it lstats every component from / down, and a
// path that lies behind a symlinked directory is left alone (a link planted in /etc/kubernetes/pki must
// not make reset delete or overwrite what it points to). The last component is only lstat'ed, so a
// symlink there is seen as one (and host.fs.remove unlinks it).
import type { FileInfo, Host } from '../host/host.js';
import { ancestors, hostPath } from '../host/host-path.js';

export type Reach =
  /** Every directory above the path is a real directory; `info` is the path's own lstat (undefined: absent). */
  | { readonly ok: true; readonly info: FileInfo | undefined }
  /** The path lies behind the symlink `symlink`. */
  | { readonly ok: false; readonly symlink: string };

export async function reach(host: Host, path: string): Promise<Reach> {
  const abs = hostPath(path);
  for (const dir of ancestors(abs)) {
    const info = await host.fs.stat(dir);
    if (info === undefined) return { ok: true, info: undefined };
    if (info.kind === 'symlink') return { ok: false, symlink: dir };
    if (info.kind !== 'directory') return { ok: true, info: undefined };
  }
  return { ok: true, info: abs === '/' ? undefined : await host.fs.stat(abs) };
}

/** The leftover a symlink on the way causes: one per link, whatever lies behind it. */
export function symlinkLeftover(link: string): { kind: 'file'; item: string; reason: string; fix: string } {
  return {
    kind: 'file',
    item: link,
    reason: 'a symlink where reset cleans: tskubeadm does not follow symlinks, so what lies behind it was left as it is',
    fix: `see where it points (readlink -f ${link}) and remove what this cluster left there by hand`,
  };
}
