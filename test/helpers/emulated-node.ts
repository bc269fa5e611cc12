// A node that init can finish on without a kubelet, a runtime or a control plane: a temp root with systemctl
// faked, and what the booted node would do emulated where init meets it. The kubelet, controller-manager and
// scheduler health endpoints answer ok once the API server's manifest exists; the API server is the strict
// test API server, started from the generated PKI when its manifest appears, and reached through 127.0.0.1
// (which the config's controlPlaneEndpoint names, so its certificate does too); the kubelet registers its
// Node and keeps its rotated client certificate in /var/lib/kubelet/pki.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import type { Host, HttpGetOptions, HttpRequestOptions } from '../../src/host/host.js';
import { runCli } from '../cli/run-cli.js';
import { observedConfig } from '../manifests/control-plane-fixture.js';
import { startTestApiServer, type TestApiServer } from './api-server/server.js';
import type { FakeCommand } from './fake-host.js';
import { tempRootHost } from './temp-root.js';

/** The advertise address of the emulated node: kubeadm's documentation address, never routed. */
export const advertise = '192.0.2.10';

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** kubeadm-observed/init-dry-run.config.yaml (token abcdef.0123456789abcdef), except where the API server is reachable from a test:
 *  controlPlaneEndpoint 127.0.0.1:<free port> instead of cp.example.test:6443 (no DNS here), and the advertise
 *  address on that port. The advertise address itself is kubeadm's (a documentation address, never routed). */
export function configFile(port: number): string {
  return observedConfig
    .replace('bindPort: 6443', `bindPort: ${port}`)
    .replace('controlPlaneEndpoint: cp.example.test:6443', `controlPlaneEndpoint: 127.0.0.1:${port}`);
}

const systemd: Record<string, FakeCommand> = {
  systemctl: {},
  'systemctl is-system-running': { stdout: 'running\n' },
  'systemctl status kubelet': { exitCode: 3, stdout: '  Loaded: loaded (/lib/systemd/system/kubelet.service; enabled)' },
  'systemctl is-active systemd-resolved': { exitCode: 3, stdout: 'inactive\n' },
};

/** The machine as the test sees it: the temp root, systemctl faked, and the health endpoints wait-control-plane
 *  polls answered as a booted node would: the kubelet, controller-manager and scheduler say ok once the API
 *  server's manifest exists; the API server's own /livez goes to the test API server (through 127.0.0.1,
 *  which its certificate also names). */
export function nodeHost(root: string, port: number): Host {
  const base = tempRootHost(root, { commands: systemd, path: ['systemctl'] });
  const manifest = path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  const httpGet = async (url: string, opts: HttpGetOptions) => {
    const u = new URL(url);
    if (u.hostname === advertise && u.port === String(port)) return base.net.httpGet(url.replace(advertise, '127.0.0.1'), opts);
    if (existsSync(manifest) && ['10248', '10257', '10259'].includes(u.port)) return { status: 200, body: 'ok' };
    throw Object.assign(new Error(`connect ECONNREFUSED ${u.host}`), { code: 'ECONNREFUSED' });
  };
  // No etcd runs on the emulated node: its address refuses at once, as a node whose etcd is stopped does.
  const httpRequest = async (url: string, opts: HttpRequestOptions) => {
    const u = new URL(url);
    if (u.hostname === advertise && u.port === '2379') throw Object.assign(new Error(`connect ECONNREFUSED ${u.host}`), { code: 'ECONNREFUSED' });
    return base.net.httpRequest(url, opts);
  };
  return { ...base, net: { ...base.net, httpGet, httpRequest } };
}

/** What the kubelet does once the static Pods run: the API server comes up from the generated PKI; the kubelet
 *  registers its Node and, its client certificate rotated, keeps it in /var/lib/kubelet/pki. */
export function emulateNode(root: string, port: number): { readonly server: () => TestApiServer | undefined; stop(): Promise<void> } {
  let server: TestApiServer | undefined;
  let starting = false;
  const timer = setInterval(() => {
    const manifest = path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
    const kubeletConf = path.join(root, 'etc/kubernetes/kubelet.conf');
    if (starting || !existsSync(manifest) || !existsSync(kubeletConf)) return;
    starting = true;
    void (async () => {
      server = await startTestApiServer({ pkiDir: path.join(root, 'etc/kubernetes/pki'), host: '127.0.0.1', port, signerIntervalMs: 100 });
      server.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }, spec: {} });
      const user = (parse(await readFile(kubeletConf, 'utf8')) as { users: { user: Record<string, string> }[] }).users[0]!.user;
      const pem = Buffer.from(user['client-certificate-data']!, 'base64').toString() + Buffer.from(user['client-key-data']!, 'base64').toString();
      await mkdir(path.join(root, 'var/lib/kubelet/pki'), { recursive: true });
      await writeFile(path.join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem'), pem, { mode: 0o600 });
    })();
  }, 20);
  return {
    server: () => server,
    stop: async () => {
      clearInterval(timer);
      await server?.close();
    },
  };
}


export interface InitializedNode {
  readonly port: number;
  readonly node: ReturnType<typeof emulateNode>;
  /** The worker join command init printed, as arguments: ['join', endpoint, '--token', …, '--discovery-token-ca-cert-hash', …]. */
  readonly joinArgs: string[];
}

/** `tskubeadm init` (preflight skipped; configFile on a free port) on the emulated node at `root`, and the worker join
 *  command it printed. The caller stops `node`. */
export async function initEmulatedNode(root: string): Promise<InitializedNode> {
  const port = await freePort();
  await writeFile(path.join(root, 'kubeadm.yaml'), configFile(port));
  const node = emulateNode(root, port);
  const r = await runCli(['init', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight'], { host: nodeHost(root, port) });
  // tskubeadm join <endpoint> --token … \ <newline><tab> --discovery-token-ca-cert-hash …
  const m = r.code === 0 ? /^tskubeadm join (\S+) --token (\S+) \\\n\t--discovery-token-ca-cert-hash (\S+) $/m.exec(r.stdout) : null;
  if (m === null) {
    await node.stop();
    throw new Error(`init exited ${r.code} without a worker join command:\n${r.stdout}\n${r.stderr}`);
  }
  return { port, node, joinArgs: ['join', m[1]!, '--token', m[2]!, '--discovery-token-ca-cert-hash', m[3]!] };
}
