// init's wait-control-plane phase against real local servers: a plain HTTP kubelet stand-in, an HTTPS
// "API server" serving the apiserver certificate the certs phase generated (answering 500, then 200),
// and controller-manager/scheduler stand-ins with certificates the cluster CA never signed (probed
// without verification, as kubeadm does). The processes (systemctl, journalctl, crictl) are faked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultInitConfig } from '../../../src/config/default-configs.js';
import type { InitConfig } from '../../../src/config/types.js';
import { CertificateError, exitCodeOf, exitCodes, TimeoutError } from '../../../src/errors.js';
import { captureOutput, type CapturedOutput } from '../../../src/output/output.js';
import { certs } from '../../../src/phases/init/certs.js';
import { waitControlPlane } from '../../../src/phases/init/wait-control-plane.js';
import { initContext } from '../../helpers/init-context.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { tempRootHost } from '../../helpers/temp-root.js';
import type { FakeCommand } from '../../helpers/fake-host.js';

interface Servers {
  readonly kubeletPort: number;
  readonly apiPort: number;
  readonly kcmPort: number;
  readonly schedulerPort: number;
  /** Status codes the API server stand-in answered, in order. */
  readonly apiAnswers: number[];
  readonly kubeletRequests: () => number;
  close(): Promise<void>;
}

type Listening = http.Server | https.Server | net.Server;
const listen = (s: Listening, host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve) => s.listen(0, host, () => resolve((s.address() as net.AddressInfo).port)));
const close = (s: Listening): Promise<void> => new Promise((resolve) => {
  if ('closeAllConnections' in s) s.closeAllConnections();
  s.close(() => resolve());
});

let pkiRoot: string;
let otherRoot: string;
const pem = (root: string, name: string) => readFile(path.join(root, 'etc/kubernetes/pki', name), 'utf8');

function config(edit: (c: InitConfig) => InitConfig): InitConfig {
  const base = defaultInitConfig({ advertiseAddress: '127.0.0.1', nodeName: 'node-1', token: 'abcdef.0123456789abcdef' });
  return edit({ ...base, cluster: { ...base.cluster, encryptionAlgorithm: 'ECDSA-P256' } });
}

/** The PKI of a cluster whose API server advertises 127.0.0.1, made by the certs phase into a temp root. */
async function makePki(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-wait-pki-'));
  await runInitPhases([certs], config((c) => c), tempRootHost(root), { only: 'certs' });
  return root;
}

interface ServerOptions {
  /** Where the API server stand-in listens. */
  readonly apiHost?: string;
  /** Whose apiserver certificate it serves. */
  readonly apiPki?: string;
  /** How many 500 answers before the 200s; Infinity: never healthy. */
  readonly failuresBeforeHealthy?: number;
  readonly kubeletUp?: boolean;
}

async function startServers(o: ServerOptions = {}): Promise<Servers> {
  const apiPki = o.apiPki ?? pkiRoot;
  const apiAnswers: number[] = [];
  let kubeletRequests = 0;
  const kubelet = http.createServer((_req, res) => { kubeletRequests++; res.end('ok'); });
  const api = https.createServer({ cert: await pem(apiPki, 'apiserver.crt'), key: await pem(apiPki, 'apiserver.key') }, (_req, res) => {
    const healthy = apiAnswers.length >= (o.failuresBeforeHealthy ?? 3);
    apiAnswers.push(healthy ? 200 : 500);
    res.statusCode = healthy ? 200 : 500;
    res.end(healthy ? 'ok' : '[+]ping ok\n[-]etcd failed: reason withheld\nlivez check failed\n');
  });
  // Self-signed, as kube-controller-manager and kube-scheduler serve: only an unverified probe accepts it.
  const selfSigned = { cert: await pem(pkiRoot, 'front-proxy-ca.crt'), key: await pem(pkiRoot, 'front-proxy-ca.key') };
  const kcm = https.createServer(selfSigned, (_req, res) => res.end('ok'));
  const scheduler = https.createServer(selfSigned, (_req, res) => res.end('ok'));
  const kubeletPort = await listen(kubelet);
  if (o.kubeletUp === false) await close(kubelet); // a free port: connection refused
  const servers = [kubelet, api, kcm, scheduler];
  return {
    kubeletPort,
    apiPort: await listen(api, o.apiHost),
    kcmPort: await listen(kcm),
    schedulerPort: await listen(scheduler),
    apiAnswers,
    kubeletRequests: () => kubeletRequests,
    close: async () => { await Promise.all(servers.map((s) => (s.listening ? close(s) : undefined))); },
  };
}

const manifest = (command: readonly string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${command[0]}\n  namespace: kube-system\nspec:\n  containers:\n  - name: ${command[0]}\n    command:\n${command.map((c) => `    - ${c}`).join('\n')}\n`;

/** A node's files: the PKI, the three manifests pointing at the stand-ins, and a listening CRI socket. */
async function makeNode(s: Servers, apiHost = '127.0.0.1'): Promise<{ root: string; criSocket: string; socket: net.Server }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-wait-'));
  await mkdir(path.join(root, 'etc/kubernetes/manifests'), { recursive: true });
  await mkdir(path.join(root, 'etc/kubernetes/pki'), { recursive: true });
  await writeFile(path.join(root, 'etc/kubernetes/pki/ca.crt'), await pem(pkiRoot, 'ca.crt'));
  const m = (name: string, cmd: string[]) => writeFile(path.join(root, `etc/kubernetes/manifests/${name}.yaml`), manifest(cmd), { mode: 0o600 });
  await m('kube-apiserver', ['kube-apiserver', `--advertise-address=${apiHost}`, '--client-ca-file=/etc/kubernetes/pki/ca.crt', `--secure-port=${s.apiPort}`]);
  await m('kube-controller-manager', ['kube-controller-manager', '--bind-address=127.0.0.1', `--secure-port=${s.kcmPort}`]);
  await m('kube-scheduler', ['kube-scheduler', '--bind-address=127.0.0.1', `--secure-port=${s.schedulerPort}`]);
  // Sockets are the running machine's (as connectUnix says), so this one is a real path.
  const socketPath = path.join(root, 'containerd.sock');
  const socket = net.createServer((c) => c.end());
  await new Promise<void>((resolve) => socket.listen(socketPath, resolve));
  return { root, criSocket: `unix://${socketPath}`, socket };
}

const psHeader = 'CONTAINER           IMAGE               CREATED             STATE               NAME                      ATTEMPT             POD ID              POD';
const psRow = (id: string, state: string, name: string, attempt: number) =>
  `${id}       1111111111111       10 seconds ago      ${state.padEnd(20)}${name.padEnd(26)}${String(attempt).padEnd(20)}pppppppppppp1       ${name}-node-1`;

/** The node's tools: systemd says the kubelet runs; crictl lists the given containers. */
function tools(criSocket: string, rows: readonly string[], extra: Record<string, FakeCommand> = {}): Record<string, FakeCommand> {
  const crictl = (...a: string[]) => ['crictl', '--runtime-endpoint', criSocket, ...a].join(' ');
  return {
    'systemctl is-active kubelet': { stdout: 'active\n' },
    'systemctl status kubelet --no-pager -l': { stdout: '● kubelet.service - kubelet: The Kubernetes Node Agent\n     Active: active (running)\n' },
    'journalctl -u kubelet -n 100 --no-pager': { stdout: 'Jan 01 00:00:00 node-1 kubelet[900]: I0101 00:00:00.000000     900 server.go:484] "Kubelet version" kubeletVersion="v1.35.0"\n' },
    [crictl('ps', '-a')]: { stdout: [psHeader, ...rows, ''].join('\n') },
    [crictl('info')]: { stdout: '{"config":{"containerd":{"runtimes":{"runc":{"options":{"SystemdCgroup":true}}}}}}' },
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k.startsWith('crictl ') ? crictl(...k.split(' ').slice(1)) : k, v])),
  };
}
const allRunning = [psRow('aaaaaaaaaaaa1', 'Running', 'kube-apiserver', 0), psRow('cccccccccccc1', 'Running', 'kube-controller-manager', 0),
  psRow('dddddddddddd1', 'Running', 'kube-scheduler', 0), psRow('eeeeeeeeeeee1', 'Running', 'etcd', 0)];

interface Run {
  readonly out: CapturedOutput;
  readonly error: unknown;
  readonly root: string;
}

async function runWait(o: {
  servers: Servers; apiHost?: string; rows?: readonly string[]; extra?: Record<string, FakeCommand>;
  edit?: (c: InitConfig) => InitConfig; dryRun?: boolean; before?: (root: string) => Promise<void>;
}): Promise<Run> {
  const node = await makeNode(o.servers, o.apiHost);
  try {
    await o.before?.(node.root);
    const cfg = config((c) => (o.edit ?? ((x) => x))({
      ...c,
      init: { ...c.init, localAPIEndpoint: { advertiseAddress: '127.0.0.1', bindPort: o.servers.apiPort }, nodeRegistration: { ...c.init.nodeRegistration, criSocket: node.criSocket } },
      kubelet: { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', healthzPort: o.servers.kubeletPort },
    }));
    const host = tempRootHost(node.root, { commands: tools(node.criSocket, o.rows ?? allRunning, o.extra), path: ['kubelet', 'systemctl', 'journalctl', 'crictl'] });
    const out = captureOutput();
    let error: unknown;
    try {
      await waitControlPlane.run?.(initContext(cfg, host, out, { dryRun: o.dryRun ?? false }));
    } catch (err) {
      error = err;
    }
    return { out, error, root: node.root };
  } finally {
    await close(node.socket);
  }
}

const shortTimeouts = (c: InitConfig): InitConfig => ({
  ...c, init: { ...c.init, timeouts: { ...c.init.timeouts, controlPlaneComponentHealthCheckMs: 600, kubeletHealthCheckMs: 600 } },
});

/** Durations vary: `after 1.503s` becomes `after <d>`. */
const lines = (r: Run) => r.out.stdout().split('\n').filter((l) => l !== '').map((l) => l.replace(/after \d[\dhmsµ.]*$/, 'after <d>'));

async function supportFile(root: string): Promise<{ file: string; text: string; mode: number }> {
  const dir = path.join(root, 'var/lib/tskubeadm/diagnostics');
  const names = await readdir(dir);
  assert.equal(names.length, 1, names.join(', '));
  const file = path.join(dir, names[0]!);
  assert.match(names[0]!, /^wait-control-plane-\d{8}T\d{6}Z\.txt$/);
  return { file, text: await readFile(file, 'utf8'), mode: (await stat(file)).mode & 0o777 };
}

describe('init phase wait-control-plane', () => {
  const roots: string[] = [];
  before(async () => {
    [pkiRoot, otherRoot] = await Promise.all([makePki(), makePki()]);
  });
  after(async () => {
    await Promise.all([pkiRoot, otherRoot, ...roots].map((r) => rm(r, { recursive: true, force: true })));
  });
  const keep = (r: Run) => { roots.push(r.root); return r; };

  test('waits for the kubelet, then for the three components; the API server answers 500 before it is healthy', async () => {
    const s = await startServers({ failuresBeforeHealthy: 3 });
    try {
      const r = keep(await runWait({ servers: s }));
      assert.equal(r.error, undefined, String(r.error));
      const got = lines(r);
      assert.deepEqual(got.slice(0, 7), [
        '[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "/etc/kubernetes/manifests"',
        `[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:${s.kubeletPort}/healthz. This can take up to 4m0s`,
        '[kubelet-check] The kubelet is healthy after <d>',
        '[control-plane-check] Waiting for healthy control plane components. This can take up to 4m0s',
        `[control-plane-check] Checking kube-apiserver at https://127.0.0.1:${s.apiPort}/livez`,
        `[control-plane-check] Checking kube-controller-manager at https://127.0.0.1:${s.kcmPort}/healthz`,
        `[control-plane-check] Checking kube-scheduler at https://127.0.0.1:${s.schedulerPort}/livez`,
      ]);
      // In completion order: the API server, which failed three times first, comes last.
      assert.deepEqual(got.slice(7).sort(), [
        '[control-plane-check] kube-apiserver is healthy after <d>',
        '[control-plane-check] kube-controller-manager is healthy after <d>',
        '[control-plane-check] kube-scheduler is healthy after <d>',
      ]);
      assert.equal(got.at(-1), '[control-plane-check] kube-apiserver is healthy after <d>');
      // Polled until the first 200, and not once more.
      assert.deepEqual(s.apiAnswers, [500, 500, 500, 200]);
      assert.equal(s.kubeletRequests(), 1);
      await assert.rejects(readdir(path.join(r.root, 'var/lib/tskubeadm')), { code: 'ENOENT' });
    } finally {
      await s.close();
    }
  });

  test('a timeout is diagnosed: the likely cause is printed, the evidence kept in a 0600 file, and a TimeoutError (exit 4) thrown', async () => {
    const s = await startServers({ failuresBeforeHealthy: Infinity });
    try {
      const etcdLog = '{"level":"fatal","ts":"2025-01-01T00:00:01.000Z","caller":"etcdmain/etcd.go:204","msg":"discovery failed","error":"member 8e9e05c52164694d has already been bootstrapped"}';
      const r = keep(await runWait({
        servers: s, edit: shortTimeouts,
        rows: [psRow('eeeeeeeeeeee2', 'Exited', 'etcd', 4), ...allRunning.filter((l) => !l.includes(' etcd '))],
        extra: { 'crictl logs --tail 50 eeeeeeeeeeee2': { stderr: `${etcdLog}\n` } },
      }));
      assert.ok(r.error instanceof TimeoutError, String(r.error));
      assert.equal(exitCodeOf(r.error), exitCodes.timeout);
      assert.equal(r.error.message, 'kube-apiserver (HTTP 500) did not become healthy within 600ms');
      assert.match(r.error.fix ?? '', /^read the etcd log tail/, r.out.stdout());
      const out = lines(r);
      assert.ok(out.includes('[control-plane-check] kube-apiserver is not healthy after <d>'), out.join('\n'));
      assert.ok(out.includes('[control-plane-check] kube-scheduler is healthy after <d>'));
      const printed = r.out.stdout();
      assert.match(printed, /Likely cause/);
      assert.match(printed, /- etcd keeps exiting, so the API server cannot start \[etcd-crashing\]/);
      assert.match(printed, /seen: etcd container eeeeeeeeeeee2 is Exited \(attempt 4\); its last log line: .*already been bootstrapped/);
      const f = await supportFile(r.root);
      assert.equal(f.mode, 0o600);
      assert.ok(printed.includes(`is in ${f.file}`), printed);
      assert.match(r.error.fix ?? '', new RegExp(`the evidence is in ${f.file.replaceAll('.', '\\.')}$`));
      for (const part of ['not healthy in time: kube-apiserver', '[-]etcd failed: reason withheld', 'member 8e9e05c52164694d has already been bootstrapped',
        '$ systemctl is-active kubelet', '$ journalctl -u kubelet -n 100 --no-pager', 'accepts connections']) {
        assert.ok(f.text.includes(part), `support file lacks ${part}`);
      }
    } finally {
      await s.close();
    }
  });

  test('an API server whose certificate another CA signed never counts as healthy, and the diagnosis says so', async () => {
    const s = await startServers({ apiPki: otherRoot, failuresBeforeHealthy: 0 });
    try {
      const r = keep(await runWait({ servers: s, edit: shortTimeouts }));
      assert.ok(r.error instanceof TimeoutError, String(r.error));
      assert.match(r.error.message, /^kube-apiserver \(its certificate is not signed by the cluster CA \([A-Z_]+\)\) did not become healthy within 600ms$/);
      // The server was never even asked: the TLS handshake was refused each time.
      assert.deepEqual(s.apiAnswers, []);
      assert.match(r.out.stdout(), /\[certificate-mismatch\]/);
      assert.match(r.out.stdout(), /seen: kube-apiserver at https:\/\/127\.0\.0\.1:\d+\/livez: its certificate is not signed by the cluster CA/);
      assert.doesNotMatch(r.out.stdout(), /\[etcd-crashing\]/);
    } finally {
      await s.close();
    }
  });

  test("an API server whose certificate lacks the address in its SANs is refused too", async () => {
    // 127.0.0.2 is loopback on Linux, but not in the apiserver certificate (issued for 127.0.0.1).
    const s = await startServers({ apiHost: '127.0.0.2', failuresBeforeHealthy: 0 });
    try {
      const r = keep(await runWait({ servers: s, apiHost: '127.0.0.2', edit: shortTimeouts }));
      assert.ok(r.error instanceof TimeoutError, String(r.error));
      assert.match(r.error.message, /its certificate is not valid for this address \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
      assert.match(r.out.stdout(), /\[certificate-mismatch\]/);
    } finally {
      await s.close();
    }
  });

  test('a kubelet that never answers: the components are not waited for, the kubelet is diagnosed', async () => {
    const s = await startServers({ kubeletUp: false });
    try {
      const r = keep(await runWait({
        servers: s, edit: shortTimeouts, rows: [],
        extra: {
          'systemctl is-active kubelet': { exitCode: 3, stdout: 'activating\n' },
          'journalctl -u kubelet -n 100 --no-pager': { stdout: 'Feb 05 10:58:14 node-1 kubelet[12704]: E0205 10:58:14.917245   12704 run.go:72] "command failed" err="failed to run Kubelet: running with swap on is not supported, please disable swap or set --fail-swap-on flag to false"\n' },
        },
      }));
      assert.ok(r.error instanceof TimeoutError, String(r.error));
      assert.equal(r.error.message, `the kubelet (http://127.0.0.1:${s.kubeletPort}/healthz: connection refused) did not become healthy within 600ms`);
      const out = lines(r);
      assert.ok(out.includes('[kubelet-check] The kubelet is not healthy after <d>'));
      assert.ok(!out.some((l) => l.startsWith('[control-plane-check]')));
      // Asked once, by the diagnosis's probe of every endpoint; never waited for.
      assert.deepEqual(s.apiAnswers, [500]);
      assert.match(r.out.stdout(), /\[swap-on\]/);
      assert.match((await supportFile(r.root)).text, /not healthy in time: kubelet\n/);
    } finally {
      await s.close();
    }
  });

  test('healthzPort 0 skips the kubelet check, as kubeadm does', async () => {
    const s = await startServers({ failuresBeforeHealthy: 0 });
    try {
      const r = keep(await runWait({ servers: s, edit: (c) => ({ ...c, kubelet: { ...c.kubelet, healthzPort: 0 } }) }));
      assert.equal(r.error, undefined, String(r.error));
      assert.equal(lines(r)[1], '[kubelet-check] Skipping the kubelet health check because the healthz port is set to 0');
      assert.equal(s.kubeletRequests(), 0);
    } finally {
      await s.close();
    }
  });

  test("--dry-run prints kubeadm's two lines and waits for nothing", async () => {
    const s = await startServers();
    try {
      const r = keep(await runWait({ servers: s, dryRun: true }));
      assert.equal(r.error, undefined);
      assert.deepEqual(lines(r), [
        '[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "/etc/kubernetes/manifests"',
        `[dryrun] Would make sure the kubelet returns 'ok' at http://127.0.0.1:${s.kubeletPort}/healthz`,
      ]);
      assert.equal(s.kubeletRequests(), 0);
      assert.deepEqual(s.apiAnswers, []);
    } finally {
      await s.close();
    }
  });

  test('a missing manifest fails at once, before any wait, saying which phase writes it', async () => {
    const s = await startServers();
    try {
      const r = keep(await runWait({ servers: s, before: (root) => rm(path.join(root, 'etc/kubernetes/manifests/kube-scheduler.yaml')) }));
      assert.ok(r.error instanceof CertificateError, String(r.error));
      assert.match(r.error.message, /kube-scheduler\.yaml does not exist/);
      assert.match(r.error.fix ?? '', /init phase control-plane all/);
      assert.equal(s.kubeletRequests(), 0);
    } finally {
      await s.close();
    }
  });
});
