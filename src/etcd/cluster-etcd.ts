// The stacked etcd of a running cluster, reached as kubeadm's NewFromCluster does: the client URLs come from
// the etcd mirror Pods' kubeadm.kubernetes.io/etcd.advertise-client-urls annotation, the identity is the
// etcd CA and the etcd/healthcheck-client certificate, and the endpoints are then synced with the member
// list (every started voting member). kubeadm: util/etcd/etcd.go (NewFromCluster, getEtcdEndpoints, Sync).
import path from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { ApiClient } from '../api/client.js';
import { kubeSystem, type KubeObject } from '../api/objects.js';
import { formatGoDuration } from '../config/duration.js';
import { CertificateError, TimeoutError, TskubeadmError, exitCodes } from '../errors.js';
import type { Host } from '../host/host.js';
import { etcdAdvertiseClientURLsAnnotation } from '../manifests/etcd.js';
import { pollUntil, type AttemptResult } from '../wait/poll.js';
import { etcdClient, etcdRequestTimeoutMs, memberClientURLs, type EtcdClient, type EtcdMember } from './etcd-client.js';
import { retryTransient } from './retry.js';

/** The etcd mirror Pods: kubeadm's label selector. */
export const etcdPodSelector = 'component=etcd,tier=control-plane';
/** kubeadm's KubernetesAPICallRetryInterval, between two Pod listings. */
const podListIntervalMs = 500;

export interface ClusterEtcdOptions {
  readonly host: Host;
  /** The API (admin.conf): where the etcd Pods are listed. */
  readonly api: ApiClient;
  /** Where etcd/ca.crt and etcd/healthcheck-client.{crt,key} are. */
  readonly certificatesDir: string;
  /** Bounds the Pod listing (timeouts.kubernetesAPICall). */
  readonly apiTimeoutMs: number;
  /** Bounds the member-list sync (timeouts.etcdAPICall). */
  readonly etcdTimeoutMs: number;
}

export interface ClusterEtcd {
  readonly client: EtcdClient;
  /** The member list read while syncing. */
  readonly members: readonly EtcdMember[];
}

/** The client URLs the etcd Pods' annotation announces, each once, in Pod order. */
export function announcedClientURLs(pods: readonly KubeObject[]): string[] {
  const urls = pods.flatMap((p) => (p.metadata.annotations?.[etcdAdvertiseClientURLsAnnotation] ?? '').split(','));
  return [...new Set(urls.map((u) => u.trim()).filter((u) => u !== ''))];
}

/** The client URLs the etcd Pods announce, polled until at least one etcd Pod is mirrored in the API. */
export async function etcdEndpointsFromPods(host: Host, api: ApiClient, timeoutMs: number): Promise<string[]> {
  const outcome = await pollUntil(async (): Promise<AttemptResult<string[]>> => {
    let pods;
    try {
      pods = await api.list('Pod', kubeSystem, { labelSelector: etcdPodSelector });
    } catch (err) {
      if (err instanceof ApiError) return { done: false, reason: err.message };
      throw err;
    }
    if (pods.length === 0) return { done: false, reason: `no Pod in ${kubeSystem} matches ${etcdPodSelector}` };
    const urls = announcedClientURLs(pods);
    if (urls.length === 0) {
      // kubeadm fails fast here too: waiting will not add the annotation.
      throw new TskubeadmError(`the etcd Pods in ${kubeSystem} (${pods.map((p) => p.metadata.name).join(', ')}) carry no ${etcdAdvertiseClientURLsAnnotation} annotation`, {
        exitCode: exitCodes.generic,
        fix: 'the etcd static Pods were not written by kubeadm or tskubeadm; an external etcd belongs in ClusterConfiguration etcd.external',
      });
    }
    return { done: true, value: urls };
  }, { clock: host.clock, timeoutMs, intervalMs: podListIntervalMs });
  if (outcome.ok) return outcome.value;
  throw new TimeoutError(`could not find the etcd endpoints after ${formatGoDuration(outcome.elapsedMs)}: ${outcome.reason ?? 'no answer from the API server'}`, {
    fix: `the kubelet of each control-plane node mirrors its etcd Pod into the API: check "kubectl -n ${kubeSystem} get pods -l ${etcdPodSelector}"`,
  });
}

async function readPem(host: Host, file: string, what: string): Promise<string> {
  const text = await host.fs.readText(file);
  if (text === undefined) {
    throw new CertificateError(file, `${file} (the ${what}) does not exist`, {
      fix: 'a joining control plane gets it from "join phase control-plane-prepare download-certs" and "control-plane-prepare certs"; run them first',
    });
  }
  return text;
}

/** The etcd identity kubeadm uses for membership and health: the etcd CA and the healthcheck client. */
export async function healthcheckIdentity(host: Host, certificatesDir: string): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const file = (name: string) => path.posix.join(certificatesDir, name);
  const [caPem, certPem, keyPem] = await Promise.all([
    readPem(host, file('etcd/ca.crt'), 'etcd CA certificate'),
    readPem(host, file('etcd/healthcheck-client.crt'), 'etcd healthcheck client certificate'),
    readPem(host, file('etcd/healthcheck-client.key'), 'etcd healthcheck client key'),
  ]);
  return { caPem, certPem, keyPem };
}

/** A client for the cluster's etcd, its endpoints synced with the member list. */
export async function clusterEtcd(o: ClusterEtcdOptions): Promise<ClusterEtcd> {
  const identity = await healthcheckIdentity(o.host, o.certificatesDir);
  const fromPods = await etcdEndpointsFromPods(o.host, o.api, o.apiTimeoutMs);
  const first = etcdClient(o.host, { ...identity, endpoints: fromPods, timeoutMs: etcdRequestTimeoutMs, clock: o.host.clock });
  const members = await retryTransient('reading the etcd member list', () => first.memberList(), { clock: o.host.clock, timeoutMs: o.etcdTimeoutMs });
  return { client: first.withEndpoints(memberClientURLs(members, fromPods)), members };
}
