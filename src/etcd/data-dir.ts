// The local etcd's data directory, made before its manifest is written: by init's etcd phase and by a joining
// control plane's etcd-join. kubeadm: phases/etcd/local.go (MkdirAll(dataDir, 0700)).
import { TskubeadmError, exitCodes } from '../errors.js';
import type { Host } from '../host/host.js';
import type { Output } from '../output/output.js';

/** kubeadm's MkdirAll(dataDir, 0700): created 0700 when absent; an existing directory keeps its mode. */
const dataDirMode = 0o700;

export interface DataDirTarget {
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
}

/** `prefix` starts the printed lines ('[etcd]'); `rerun` names what to run again after a fix ('the phase'). */
export async function ensureEtcdDataDir(t: DataDirTarget, dataDir: string, o: { prefix: string; rerun: string }): Promise<void> {
  if (t.dryRun) {
    t.out.info(`${o.prefix} Would ensure that "${dataDir}" directory is present`);
    return;
  }
  try {
    await t.host.fs.mkdir(dataDir, { mode: dataDirMode });
  } catch (err) {
    throw new TskubeadmError(`failed to create the etcd data directory "${dataDir}": ${(err as Error).message}`, {
      exitCode: exitCodes.generic,
      fix: `make "${dataDir}" a directory (or set etcd.local.dataDir to one), then run ${o.rerun} again`,
      cause: err,
    });
  }
  // kubeadm leaves an existing directory as it is, and so do we (it may hold a member's data and be
  // managed by someone else); but etcd keeps its keys and data there, so a looser mode is worth a word.
  const info = await t.host.fs.stat(dataDir);
  if (info !== undefined && info.kind === 'directory' && (info.mode & 0o077) !== 0) {
    t.out.warn(`${o.prefix} WARNING: the etcd data directory "${dataDir}" has mode ${info.mode.toString(8).padStart(4, '0')}, ` +
      `open to users other than its owner, and it holds every Secret of the cluster. Run "chmod 700 ${dataDir}"`);
  }
}
