// Crash hygiene: a write is staged under a hidden name beside its target and renamed into place
// (src/host/atomic-write.ts; the name: src/host/staged-name.ts). A process killed between the two leaves the
// staged file behind; the next run removes those whose process is gone, in the directories tskubeadm writes.
import type { Host } from '../host/host.js';
import { stagedWriterPid } from '../host/staged-name.js';
import { journalDir } from '../journal/journal.js';

/** Where tskubeadm writes: /etc/kubernetes and below (its own dry-run folders under tmp excluded), the top level of
 *  /var/lib/kubelet, and its record directory. */
const trees: readonly { readonly dir: string; readonly deep: boolean }[] = [
  { dir: '/etc/kubernetes', deep: true },
  { dir: '/var/lib/kubelet', deep: false },
  { dir: journalDir, deep: false },
];

/** Removes staged files whose writer is no longer running; returns their paths. */
export async function removeStaleStagedFiles(host: Host): Promise<string[]> {
  const removed: string[] = [];
  const visit = async (dir: string, deep: boolean): Promise<void> => {
    const names = await host.fs.list(dir).catch(() => undefined);
    for (const name of names ?? []) {
      const p = `${dir}/${name}`;
      const pid = stagedWriterPid(name);
      if (pid !== undefined) {
        if (!host.system.processAlive(pid) || pid === host.system.self().pid) {
          const info = await host.fs.stat(p);
          if (info?.kind === 'file') {
            await host.fs.remove(p);
            removed.push(p);
          }
        }
        continue;
      }
      if (!deep || p === '/etc/kubernetes/tmp') continue;
      if ((await host.fs.stat(p))?.kind === 'directory') await visit(p, deep);
    }
  };
  for (const t of trees) await visit(t.dir, t.deep);
  return removed;
}
