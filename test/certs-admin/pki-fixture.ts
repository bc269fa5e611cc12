// A control-plane PKI on a temp root, made by the real init phases `certs` and `kubeconfig`
// (every certificate, sa.key, and the five kubeconfig files), at the host clock's time.
import path from 'node:path';
import type { InitConfig } from '../../src/config/types.js';
import type { Host } from '../../src/host/host.js';
import { captureOutput } from '../../src/output/output.js';
import { certs } from '../../src/phases/init/certs.js';
import { kubeconfig } from '../../src/phases/init/kubeconfig.js';
import type { Phase } from '../../src/workflow/phase.js';
import type { InitContext } from '../../src/phases/init/context.js';
import { initConfig } from '../preflight/healthy-host.js';
import { initContext } from '../helpers/init-context.js';
import { tempRootHost } from '../helpers/temp-root.js';

export const certDir = '/etc/kubernetes/pki';
export const kubeconfigDir = '/etc/kubernetes';

/** The test cluster: ECDSA keys (fast), node-1 at 192.0.2.10, a local etcd unless edited. */
export function testConfig(edit: (c: InitConfig) => InitConfig = (c) => c): InitConfig {
  return initConfig((c) => edit({ ...c, cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256' } }));
}

/** A host over `root` whose clock reads `now`. */
export function hostAt(root: string, now: Date | string): Host {
  return tempRootHost(root, { now });
}

/** Runs `init phase certs all` and `init phase kubeconfig all` on `host`, at its clock's time. */
export async function buildPki(host: Host, cfg: InitConfig = testConfig()): Promise<void> {
  const parents: readonly Phase<InitContext>[] = [certs, kubeconfig];
  const selected = parents.flatMap((p) => [p.name, ...(p.phases ?? []).map((c) => `${p.name}/${c.name}`)]);
  const ctx = initContext(cfg, host, captureOutput(), { selected });
  for (const parent of parents) {
    await parent.run?.(ctx);
    for (const child of parent.phases ?? []) await child.run?.(ctx);
  }
}

/** The real path of a host path under the temp root. */
export function real(root: string, hostPath: string): string {
  return path.join(root, hostPath);
}
