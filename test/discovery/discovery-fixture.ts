// A cluster for discovery tests: the test API server over a PKI made by the project's certs/kubeconfig
// phases, with what init's bootstrap-token phase publishes (cluster-info, its anonymous RBAC, a token), the
// bootstrapsigner's signature, and a joining "node": a temp root host whose network may be tampered with.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { clusterInfoRbac } from '../../src/cluster-objects/bootstrap-rbac.js';
import { clusterInfoConfigMap, clusterInfoKubeconfig } from '../../src/cluster-objects/cluster-info.js';
import { buildJoin } from '../../src/config/build.js';
import type { JoinConfiguration } from '../../src/config/types.js';
import { DiscoveryError } from '../../src/discovery/discovery-error.js';
import { exitCodeOf, exitCodes } from '../../src/errors.js';
import type { Host, HttpGetOptions, HttpResponse } from '../../src/host/host.js';
import { publicKeyPin } from '../../src/pki/ca-hash.js';
import { parseCertificates } from '../../src/pki/certificate.js';
import { startCluster, tokenSecret, type Cluster } from '../api-server/cluster-fixture.js';
import { tempRootHost } from '../helpers/temp-root.js';

export const token = 'abcdef.0123456789abcdef';

export interface DiscoveryCluster {
  readonly cluster: Cluster;
  /** `127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly pin: string;
  /** The cluster-info kubeconfig text as published. */
  readonly clusterInfoText: string;
  close(): Promise<void>;
}

export async function startDiscoveryCluster(o: Parameters<typeof startCluster>[0] = {}): Promise<DiscoveryCluster> {
  const cluster = await startCluster(o);
  try {
    const admin = await readFile(path.join(cluster.root, 'etc/kubernetes/admin.conf'), 'utf8');
    // admin.conf names the control-plane endpoint of the generated config; the server listens elsewhere.
    const text = clusterInfoKubeconfig(admin).replace(/server: .*/, `server: ${cluster.server.url}`);
    for (const obj of clusterInfoRbac()) cluster.server.put(obj);
    cluster.server.put(tokenSecret('abcdef', '0123456789abcdef'));
    cluster.server.put(clusterInfoConfigMap(text));
    await cluster.server.runControllers();
    return {
      cluster,
      endpoint: cluster.server.url.replace('https://', ''),
      pin: publicKeyPin(parseCertificates(cluster.caPem)[0]!),
      clusterInfoText: text,
      close: () => cluster.close(),
    };
  } catch (err) {
    await cluster.close();
    throw err;
  }
}

/** A JoinConfiguration (v1beta4 defaults) with token discovery of `endpoint`, or what `discovery` gives. */
export function joinConfig(o: {
  endpoint?: string;
  pins?: string[];
  unsafe?: boolean;
  token?: string;
  file?: string;
  tlsBootstrapToken?: string;
  discoveryTimeout?: string;
}): JoinConfiguration {
  const t = o.token ?? token;
  return buildJoin({
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'JoinConfiguration',
    nodeRegistration: { name: 'node-2', criSocket: 'unix:///var/run/containerd/containerd.sock' },
    discovery: o.file !== undefined
      ? { file: { kubeConfigPath: o.file }, ...(o.tlsBootstrapToken === undefined ? {} : { tlsBootstrapToken: o.tlsBootstrapToken }) }
      : {
          bootstrapToken: { token: t, apiServerEndpoint: o.endpoint ?? '', caCertHashes: o.pins ?? [], unsafeSkipCAVerification: o.unsafe ?? false },
          tlsBootstrapToken: o.tlsBootstrapToken ?? t,
        },
    timeouts: { discovery: o.discoveryTimeout ?? '20s' },
  });
}

/** Every GET the node makes, and a hook that may replace the answer (a man in the middle). */
export interface TappedHost extends Host {
  readonly gets: { url: string; opts: HttpGetOptions }[];
}

export function nodeHost(root: string, tamper?: (url: string, opts: HttpGetOptions, real: () => Promise<HttpResponse>, n: number) => Promise<HttpResponse>): TappedHost {
  const base = tempRootHost(root);
  const gets: TappedHost['gets'] = [];
  const httpGet = (url: string, opts: HttpGetOptions) => {
    gets.push({ url, opts });
    const real = () => base.net.httpGet(url, opts);
    return tamper === undefined ? real() : tamper(url, opts, real, gets.length);
  };
  return { ...base, net: { ...base.net, httpGet }, gets };
}

/** The DiscoveryError `p` rejected with, checked for what every discovery failure has: exit 6, one line, a fix. */
export async function failure(p: Promise<unknown>): Promise<DiscoveryError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof DiscoveryError, `expected a DiscoveryError, got ${String(err)}`);
  assert.equal(exitCodeOf(err), exitCodes.discovery);
  assert.equal(err.message.includes('\n'), false, 'one line');
  assert.ok(err.fix !== undefined && err.fix !== '');
  return err;
}
