// Stacked-etcd "nodes" on one machine for the real etcd tests: each node is a temp root with the PKI of
// init's certs phase, on its own loopback address (127.0.0.11, 127.0.0.12…: Linux routes all of 127/8 to lo),
// so the manifests keep kubeadm's ports 2379/2380 and only the shared 127.0.0.1 listener is moved.
// Later nodes share the first node's etcd CA, as joining control planes do.
import type { TestContext } from 'node:test';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from '../../src/api/client.js';
import type { KubeObject } from '../../src/api/objects.js';
import type { InitConfig } from '../../src/config/types.js';
import type { Host } from '../../src/host/host.js';
import { certs } from '../../src/phases/init/certs.js';
import { etcd } from '../../src/phases/init/etcd.js';
import { etcdAdvertiseClientURLsAnnotation } from '../../src/manifests/etcd.js';
import { startEtcdFromManifest, type EtcdProcess } from '../helpers/etcd-process.js';
import { runInitPhases } from '../helpers/run-init-phases.js';
import { tempRootHost } from '../helpers/temp-root.js';
import { initConfig } from '../preflight/healthy-host.js';

export const pkiDir = '/etc/kubernetes/pki';

/** A node's config: its name and address; etcd 3.4 knows the flags of an etcd tag below 3.6.0. */
export function nodeConfig(name: string, address: string): InitConfig {
  return initConfig((c) => ({
    ...c,
    init: { ...c.init, localAPIEndpoint: { ...c.init.localAPIEndpoint, advertiseAddress: address }, nodeRegistration: { ...c.init.nodeRegistration, name } },
    cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256', etcd: { local: { ...c.cluster.etcd.local!, imageTag: '3.5.21-0' } } },
  }));
}

/** The etcd CA and healthcheck-client identity of a node, as PEM text. */
export async function healthcheckPems(root: string): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const file = (f: string) => readFile(path.join(root, pkiDir, f), 'utf8');
  const [caPem, certPem, keyPem] = await Promise.all([file('etcd/ca.crt'), file('etcd/healthcheck-client.crt'), file('etcd/healthcheck-client.key')]);
  return { caPem, certPem, keyPem };
}

/** The first node: PKI, a one-member etcd manifest, and etcd running from it (healthy). */
export async function firstNode(t: TestContext, root: string, cfg: InitConfig): Promise<{ host: Host; etcd: EtcdProcess }> {
  const host = tempRootHost(root, { env: {} });
  await runInitPhases([certs, etcd], cfg, host);
  return { host, etcd: await startEtcdFromManifest(root, { t, waitFor: 'health' }) };
}

/** A joining node's PKI: the first node's etcd CA copied in, then init's certs phase for this node. */
export async function joiningNodePki(firstRoot: string, root: string, cfg: InitConfig): Promise<Host> {
  await mkdir(path.join(root, pkiDir, 'etcd'), { recursive: true });
  for (const f of ['etcd/ca.crt', 'etcd/ca.key']) await copyFile(path.join(firstRoot, pkiDir, f), path.join(root, pkiDir, f));
  const host = tempRootHost(root, { env: {} });
  await runInitPhases([certs], cfg, host);
  return host;
}

/** An ApiClient that only lists etcd mirror Pods (one per client URL, kubeadm's labels and annotation) and
 *  records the list requests; anything else is refused. (memoryApi cannot hold Pods until src/api/resources.ts
 *  knows the kind.) */
export function etcdPodsApi(clientURLs: readonly string[]): ApiClient & { readonly lists: { kind: string; namespace?: string; labelSelector?: string }[] } {
  const lists: { kind: string; namespace?: string; labelSelector?: string }[] = [];
  const refuse = () => Promise.reject(new Error('etcdPodsApi only lists Pods'));
  return {
    lists,
    async list(kind, namespace, opts) {
      lists.push({ kind, ...(namespace === undefined ? {} : { namespace }), ...(opts?.labelSelector === undefined ? {} : { labelSelector: opts.labelSelector }) });
      if (kind !== 'Pod' || namespace !== 'kube-system' || opts?.labelSelector !== 'component=etcd,tier=control-plane') return [];
      return clientURLs.map((url, i): KubeObject => ({
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `etcd-node-${i}`, namespace: 'kube-system', labels: { component: 'etcd', tier: 'control-plane' },
          annotations: { [etcdAdvertiseClientURLsAnnotation]: url } },
      }));
    },
    get: refuse, create: refuse, update: refuse, patch: refuse, delete: refuse,
  };
}
