// Preflight on a re-run: the checks that fail only because tskubeadm's own earlier run on this node (same
// identity) left its files or started its components. Each excused check passes with one info line; anything
// not traceable to that run still fails. A port taken by someone else before we wrote its component's manifest
// looks the same as our component's, which is why a port is excused only once that manifest was written.
import { pathCheckName } from '../preflight/check.js';
import { bootstrapKubeletKubeconfig, kubeletKubeconfig, manifestsDir, ports } from '../preflight/constants.js';
import type { Host } from '../host/host.js';
import { identityHash, type Identity } from './identity.js';
import { intactFiles, loadProgress, type Progress, type ResumableCommand } from './progress.js';

/** Check name → the info line that replaces its failure. */
export type PreflightExcuses = ReadonlyMap<string, string>;

export interface ExcuseFacts {
  /** The API server's bind port on a control-plane node. */
  readonly apiServerPort?: number;
  /** The local etcd's data directory. */
  readonly etcdDataDir?: string;
  /** A worker's CA file (join). */
  readonly caCertPath?: string;
}

/** Which phase writes each static Pod manifest (init's, then join's). */
const manifestWriters: Readonly<Record<string, readonly string[]>> = {
  'kube-apiserver': ['control-plane/apiserver', 'control-plane-prepare/control-plane'],
  'kube-controller-manager': ['control-plane/controller-manager', 'control-plane-prepare/control-plane'],
  'kube-scheduler': ['control-plane/scheduler', 'control-plane-prepare/control-plane'],
  etcd: ['etcd/local', 'etcd-join', 'control-plane-join/etcd'],
};

/** The excuses an earlier run of this node (recorded in progress.json) gives; empty when there was none. */
export async function preflightExcuses(host: Host, command: ResumableCommand, identity: Identity, facts: ExcuseFacts): Promise<PreflightExcuses> {
  // A damaged record was reported when the run started; here it just means no excuses.
  const earlier = await loadProgress(host, () => {});
  if (earlier === undefined || earlier.command !== command || earlier.identityHash !== identityHash(identity)) return new Map();
  return excusesFrom(host, earlier, facts);
}

export async function excusesFrom(host: Host, earlier: Progress, facts: ExcuseFacts): Promise<PreflightExcuses> {
  const line = (name: string) => `[preflight] ${name}: left by the earlier tskubeadm ${earlier.command} run; resuming`;
  const names = new Set<string>();
  const ran = (...phases: string[]) => phases.some((p) => earlier.phases[p] !== undefined);
  const recorded = new Map<string, string>();
  for (const r of Object.values(earlier.phases)) for (const [p, h] of Object.entries(r.files)) recorded.set(p, h);

  // Files still exactly as the earlier run wrote them.
  for (const p of Object.keys(await intactFiles(host, Object.fromEntries(recorded)))) names.add(pathCheckName('FileAvailable', p));
  // A manifest whose phase started but did not get to record it (the run died right after writing it).
  for (const [component, writers] of Object.entries(manifestWriters)) {
    const p = `${manifestsDir}/${component}.yaml`;
    if (writers.some((w) => earlier.phases[w]?.state === 'started') && !recorded.has(p)) names.add(pathCheckName('FileAvailable', p));
  }
  const manifests = await host.fs.list(manifestsDir).catch(() => undefined);
  if (manifests !== undefined && manifests.every((n) => names.has(pathCheckName('FileAvailable', `${manifestsDir}/${n}`)))) {
    names.add(pathCheckName('DirAvailable', manifestsDir));
  }
  // What the kubelet (TLS bootstrap) and join's kubelet-start write once our kubelet-start began.
  if (ran('kubelet-start')) {
    names.add(`Port-${ports.kubelet}`);
    if (earlier.command === 'join') {
      for (const p of [kubeletKubeconfig, bootstrapKubeletKubeconfig, ...(facts.caCertPath === undefined ? [] : [facts.caCertPath])]) {
        names.add(pathCheckName('FileAvailable', p));
      }
    }
  }
  const wroteManifest = (component: string) => ran(...(manifestWriters[component] ?? []));
  if (wroteManifest('kube-apiserver') && facts.apiServerPort !== undefined) names.add(`Port-${facts.apiServerPort}`);
  if (wroteManifest('kube-controller-manager')) names.add(`Port-${ports.kubeControllerManager}`);
  if (wroteManifest('kube-scheduler')) names.add(`Port-${ports.kubeScheduler}`);
  if (wroteManifest('etcd')) {
    names.add(`Port-${ports.etcdClient}`);
    names.add(`Port-${ports.etcdPeer}`);
    if (facts.etcdDataDir !== undefined) names.add(pathCheckName('DirAvailable', facts.etcdDataDir));
  }
  return new Map([...names].sort().map((n) => [n, line(n)]));
}
