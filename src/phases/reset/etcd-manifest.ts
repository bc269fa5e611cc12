// What reset learns from this node's etcd static Pod manifest: whether there is a local etcd at all, its data
// directory (the `etcd-data` hostPath volume, kubeadm's fallback when the cluster's configuration cannot be
// read), the member's name and peer URLs (which member of the cluster is this node's), and the client URLs to
// ask when the API cannot list the etcd Pods. kubeadm: cmd/phases/reset/removeetcdmember.go getEtcdDataDir.
import path from 'node:path';
import { TskubeadmError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { manifestCommand, readStaticPodManifest } from '../../manifest-files/static-pod-files.js';
import { flagValue } from '../../manifests/arguments.js';
import { etcdClientPort, etcdDataVolume } from '../../manifests/etcd.js';


export interface LocalEtcdManifest {
  readonly path: string;
  /** The etcd-data hostPath; undefined when the manifest has none (not one kubeadm or tskubeadm wrote). */
  readonly dataDir: string | undefined;
  /** --name: the member name. Empty when the flag is absent. */
  readonly name: string;
  /** --initial-advertise-peer-urls */
  readonly peerURLs: readonly string[];
  /** --advertise-client-urls: this member's own client URLs. */
  readonly clientURLs: readonly string[];
  /** The client URLs of the other members named in --initial-cluster (their peer hosts at port 2379). */
  readonly peerClientURLs: readonly string[];
}

export type EtcdManifestRead =
  | { readonly kind: 'absent'; readonly path: string }
  | { readonly kind: 'invalid'; readonly path: string; readonly reason: string }
  | { readonly kind: 'found'; readonly manifest: LocalEtcdManifest };

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

/** The client URL of a peer URL's host: etcd's peer and client ports differ, the host and scheme do not. */
function clientURLOfPeer(peerURL: string): string | undefined {
  try {
    const u = new URL(peerURL);
    return `${u.protocol}//${u.hostname}:${etcdClientPort}`;
  } catch {
    return undefined;
  }
}

function hostPathOf(pod: Record<string, unknown>, volume: string): string | undefined {
  const volumes = (pod['spec'] as Record<string, unknown> | undefined)?.['volumes'];
  if (!Array.isArray(volumes)) return undefined;
  const v = volumes.find((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && (x as Record<string, unknown>)['name'] === volume);
  const p = (v?.['hostPath'] as Record<string, unknown> | undefined)?.['path'];
  return typeof p === 'string' && p !== '' ? p : undefined;
}

/** Reads <kubeconfigDir>/manifests/etcd.yaml. A file that is not a Pod manifest is 'invalid', never a throw:
 *  reset goes on without it. */
export async function readEtcdManifest(host: Host, kubeconfigDir: string): Promise<EtcdManifestRead> {
  const dir = path.posix.join(kubeconfigDir, 'manifests');
  const file = path.posix.join(dir, 'etcd.yaml');
  let pod: Record<string, unknown> | undefined;
  try {
    pod = await readStaticPodManifest(host, 'etcd', dir);
  } catch (err) {
    if (err instanceof TskubeadmError) return { kind: 'invalid', path: file, reason: err.message };
    throw err;
  }
  if (pod === undefined) return { kind: 'absent', path: file };
  const command = manifestCommand(pod);
  if (command.length === 0) return { kind: 'invalid', path: file, reason: `${file} has no etcd container command` };
  const name = flagValue(command, 'name') ?? '';
  const peerURLs = list(flagValue(command, 'initial-advertise-peer-urls'));
  const clientURLs = list(flagValue(command, 'advertise-client-urls'));
  const peerClientURLs = list(flagValue(command, 'initial-cluster'))
    .map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? undefined : { name: entry.slice(0, at), peerURL: entry.slice(at + 1) };
    })
    .filter((e): e is { name: string; peerURL: string } => e !== undefined && e.name !== name && !peerURLs.includes(e.peerURL))
    .map((e) => clientURLOfPeer(e.peerURL))
    .filter((u): u is string => u !== undefined && !clientURLs.includes(u));
  return {
    kind: 'found',
    manifest: { path: file, dataDir: hostPathOf(pod, etcdDataVolume), name, peerURLs, clientURLs, peerClientURLs: [...new Set(peerClientURLs)] },
  };
}
