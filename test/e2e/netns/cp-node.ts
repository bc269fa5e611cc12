// A control-plane "host" of the netns test: a temp root for tskubeadm (run in-process, in the root
// namespace) and an emulated kubelet that does what a booted control-plane node's kubelet would: it runs the
// etcd static Pod for real inside the host's network namespace, publishes its mirror Pod (with the
// manifest's labels and annotations, which join reads to find etcd's client URLs), registers the Node, and
// for the first host brings up the API server (the strict test API server on the bridge address, the
// cluster's "load balancer", from this host's PKI). The other components' health endpoints answer ok once
// their manifests exist; the API server's local endpoint is answered by the test API server.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../../src/api/objects.js';
import type { Host, HttpGetOptions } from '../../../src/host/host.js';
import type { TestContext } from 'node:test';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server/server.js';
import { kubeletTlsBootstrap } from '../../helpers/emulated-kubelet.js';
import { startEtcdFromManifest, type EtcdProcess } from '../../helpers/etcd-process.js';
import type { FakeCommand } from '../../helpers/fake-host.js';
import { tempRootHost } from '../../helpers/temp-root.js';

export interface CpNodeSpec {
  readonly root: string;
  readonly nodeName: string;
  readonly netns: string;
  /** The host's own address (its API server's advertise address, its etcd's). */
  readonly address: string;
  /** The bridge address: controlPlaneEndpoint's host, where the test API server listens. */
  readonly lb: string;
  readonly port: number;
}

/** The one API server of the cluster, started by the first host's kubelet. */
export interface SharedApi {
  server: TestApiServer | undefined;
}

const systemd: Record<string, FakeCommand> = {
  systemctl: {},
  'systemctl is-system-running': { stdout: 'running\n' },
  'systemctl status kubelet': { exitCode: 3, stdout: '  Loaded: loaded (/lib/systemd/system/kubelet.service; enabled)' },
  'systemctl is-active systemd-resolved': { exitCode: 3, stdout: 'inactive\n' },
};

const manifest = (root: string, c: string) => path.join(root, 'etc/kubernetes/manifests', `${c}.yaml`);

/** The machine tskubeadm sees for this host: its root, systemctl faked, the health endpoints answered as on a
 *  booted node, everything else (the API, etcd's client URLs) the real network. */
export function cpNodeHost(n: CpNodeSpec): Host {
  const base = tempRootHost(n.root, { commands: systemd, path: ['systemctl'] });
  const local = new Map([['10248', 'kubelet'], ['10257', 'kube-controller-manager'], ['10259', 'kube-scheduler']]);
  const httpGet = async (url: string, opts: HttpGetOptions) => {
    const u = new URL(url);
    // This host's API server is the cluster's one API server (whose certificate names the bridge address).
    if (u.hostname === n.address && u.port === String(n.port)) return base.net.httpGet(url.replace(`//${n.address}:`, `//${n.lb}:`), opts);
    const component = ['127.0.0.1', 'localhost'].includes(u.hostname) ? local.get(u.port) : undefined;
    if (component !== undefined) {
      const up = component === 'kubelet' ? existsSync(path.join(n.root, 'var/lib/kubelet/config.yaml')) : existsSync(manifest(n.root, component));
      if (up) return { status: 200, body: 'ok' };
      throw Object.assign(new Error(`connect ECONNREFUSED ${u.host}`), { code: 'ECONNREFUSED' });
    }
    return base.net.httpGet(url, opts);
  };
  return { ...base, net: { ...base.net, httpGet } };
}

export interface CpKubelet {
  readonly etcd: () => EtcdProcess | undefined;
  /** What went wrong in the background (a failed start), for the test's failure message. */
  readonly problems: () => readonly string[];
  stop(): Promise<void>;
}

/** The emulated kubelet of one host. `startsApiServer`: this is the first control-plane node. */
export function emulateCpKubelet(t: TestContext, n: CpNodeSpec, shared: SharedApi, startsApiServer: boolean): CpKubelet {
  let etcd: EtcdProcess | undefined;
  let bootstrapped = false;
  let mirrored = false;
  let busy = false;
  let stopped = false;
  const problems: string[] = [];
  const has = (rel: string) => existsSync(path.join(n.root, rel));

  const registerNode = (server: TestApiServer) => server.put({
    apiVersion: 'v1', kind: 'Node', metadata: { name: n.nodeName, labels: { 'kubernetes.io/hostname': n.nodeName } }, spec: {},
  } as KubeObject);

  async function step(): Promise<void> {
    if (startsApiServer && shared.server === undefined && has('etc/kubernetes/manifests/kube-apiserver.yaml') && has('etc/kubernetes/kubelet.conf')) {
      shared.server = await startTestApiServer({ pkiDir: path.join(n.root, 'etc/kubernetes/pki'), host: n.lb, port: n.port, signerIntervalMs: 100 });
      registerNode(shared.server);
      // init's kubelet.conf embeds the client certificate; the kubelet rotates it into /var/lib/kubelet/pki.
      const user = (parse(await readFile(path.join(n.root, 'etc/kubernetes/kubelet.conf'), 'utf8')) as { users: { user: Record<string, string> }[] }).users[0]!.user;
      const pem = Buffer.from(user['client-certificate-data']!, 'base64').toString() + Buffer.from(user['client-key-data']!, 'base64').toString();
      await mkdir(path.join(n.root, 'var/lib/kubelet/pki'), { recursive: true });
      await writeFile(path.join(n.root, 'var/lib/kubelet/pki/kubelet-client-current.pem'), pem, { mode: 0o600 });
      bootstrapped = true;
    }
    const server = shared.server;
    if (!startsApiServer && !bootstrapped && server !== undefined && has('etc/kubernetes/bootstrap-kubelet.conf') && has('etc/kubernetes/manifests/kube-apiserver.yaml')) {
      // bootstrap-kubelet.conf names this node's own API server, which the test API server on the bridge stands in for.
      await kubeletTlsBootstrap(n.root, n.nodeName, { apiServer: `https://${n.lb}:${n.port}` });
      registerNode(server);
      bootstrapped = true;
    }
    // As the kubelet: start it and move on (a joining learner is not healthy until promoted).
    if (etcd === undefined && has('etc/kubernetes/manifests/etcd.yaml')) etcd = await startEtcdFromManifest(n.root, { t, netns: n.netns, waitFor: 'none' });
    if (etcd !== undefined && !mirrored && server !== undefined) {
      server.put(await mirrorPod(n));
      mirrored = true;
    }
  }

  let current: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    current = step().catch((err: unknown) => {
      const text = `${n.nodeName}'s kubelet: ${err instanceof Error ? err.message : String(err)}`;
      if (problems.at(-1) !== text) problems.push(text);
    }).finally(() => { busy = false; });
  }, 50);

  return {
    etcd: () => etcd,
    problems: () => problems,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      // A step under way (a TLS bootstrap, an etcd start) finishes before the host is wiped.
      await current;
      await etcd?.stop();
    },
  };
}

/** The mirror Pod a kubelet publishes for a static Pod: kube-system/<name>-<node>, the manifest's labels and
 *  annotations plus the kubelet's config annotations, bound to the node. */
async function mirrorPod(n: CpNodeSpec): Promise<KubeObject> {
  const pod = parse(await readFile(manifest(n.root, 'etcd'), 'utf8')) as KubeObject & { spec: Record<string, unknown> };
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      name: `${pod.metadata.name}-${n.nodeName}`,
      namespace: 'kube-system',
      annotations: { ...pod.metadata.annotations, 'kubernetes.io/config.mirror': 'emulated', 'kubernetes.io/config.source': 'file' },
    },
    spec: { ...pod.spec, nodeName: n.nodeName },
    status: { phase: 'Running', podIP: n.address },
  } as KubeObject;
}
