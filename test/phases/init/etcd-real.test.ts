// The generated etcd manifest run for real: the certs and etcd phases write the PKI and etcd.yaml into a
// temp root, and the `etcd` binary (Debian's etcd-server, installed by .ci/run) is started with exactly
// the manifest's command line, host paths moved under the temp root and busy ports moved to free ones.
// Then etcdctl must find the member healthy with the healthcheck-client certificate, read and write
// with the apiserver-etcd-client one, and be refused with a certificate from another CA.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import type { InitConfig } from '../../../src/config/types.js';
import { manifestCommand } from '../../../src/manifest-files/static-pod-files.js';
import { certs } from '../../../src/phases/init/certs.js';
import { etcd } from '../../../src/phases/init/etcd.js';
import { openssl } from '../../helpers/openssl.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';
import { initConfig } from '../../preflight/healthy-host.js';

const missing = ['etcd', 'etcdctl', 'openssl'].filter((b) => spawnSync('which', [b], { stdio: 'ignore' }).status !== 0);
const skip = missing.length === 0 ? false
  : `!!! ${missing.join(', ')} not on PATH: the real etcd test did NOT run (install Debian's etcd-server and etcd-client, as .ci/run does)`;

/** Every wait is bounded; a member that is not healthy by then fails the test with etcd's own log. */
const startupDeadlineMs = 30_000;
const pkiDir = '/etc/kubernetes/pki';
// Deep reads of the parsed manifest.
type Json = Record<string, any>;

/** etcd 3.4 knows the flags kubeadm writes for an etcd image below 3.6.0. */
function config(): InitConfig {
  return initConfig((c) => ({
    ...c,
    init: { ...c.init, localAPIEndpoint: { ...c.init.localAPIEndpoint, advertiseAddress: '127.0.0.1' }, nodeRegistration: { ...c.init.nodeRegistration, name: 'etcd-real' } },
    cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256', etcd: { local: { ...c.cluster.etcd.local!, imageTag: '3.5.21-0' } } },
  }));
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The manifest's ports, each kept when free on this machine, else moved to a free one. */
async function portMap(t: TestContext): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const port of [2379, 2380, 2381]) {
    const to = (await portIsFree(port)) ? port : await freePort();
    if (to !== port) t.diagnostic(`port ${port} is busy here: using ${to} instead`);
    map.set(port, to);
  }
  return map;
}

/** The manifest's command line for this machine: absolute paths under the temp root, ports per `ports`. */
function remap(command: readonly string[], root: string, ports: ReadonlyMap<number, number>): string[] {
  return command.map((arg, i) => {
    if (i === 0) return arg;
    const m = /^(--[^=]+)=(.*)$/s.exec(arg);
    if (m === null) return arg;
    const [, flag, value] = m as unknown as [string, string, string];
    if (value.startsWith('/')) return `${flag}=${path.join(root, value)}`;
    const moved = value.replace(/(:\/\/[^,/]*:)(\d+)/g, (all, head: string, port: string) => {
      const to = ports.get(Number(port));
      return to === undefined ? all : `${head}${to}`;
    });
    return `${flag}=${moved}`;
  });
}

interface Etcd {
  readonly child: ChildProcess;
  readonly log: () => string;
  /** Resolves with the exit code once the process is gone and its output fully read. */
  readonly exited: Promise<number | null>;
  /** The exit code once `exited` has resolved; undefined while it runs. */
  readonly exitCode: () => number | null | undefined;
}

function start(command: readonly string[]): Etcd {
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  let exitCode: number | null | undefined;
  // 'close', not 'exit': only then has all of its output been read (the unknown-flag message).
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve((exitCode = code))));
  return { child, log: () => log, exited, exitCode: () => exitCode };
}

async function stop(e: Etcd): Promise<void> {
  if (e.exitCode() !== undefined) return;
  e.child.kill('SIGTERM');
  const timer = setTimeout(() => e.child.kill('SIGKILL'), 5000);
  await e.exited;
  clearTimeout(timer);
}

/** An HTTPS GET over mutual TLS: the status, or the TLS/socket error code and message. */
async function tlsGet(url: string, tls: { cacert: string; cert: string; key: string }): Promise<{ status: number } | { error: string }> {
  const [ca, cert, key] = await Promise.all([readFile(tls.cacert), readFile(tls.cert), readFile(tls.key)]);
  return new Promise((resolve) => {
    const req = httpsRequest(url, { ca, cert, key, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: `${err.code ?? ''} ${err.message}`.trim() }));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ctl {
  readonly status: number | null;
  readonly out: string;
}

/** etcdctl (API v3) against one endpoint with one client identity. */
function etcdctl(endpoint: string, tls: { cacert: string; cert: string; key: string }, ...args: string[]): Ctl {
  const r = spawnSync('etcdctl', [
    `--endpoints=${endpoint}`, `--cacert=${tls.cacert}`, `--cert=${tls.cert}`, `--key=${tls.key}`,
    '--dial-timeout=2s', '--command-timeout=4s', ...args,
  ], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ETCDCTL_API: '3' }, timeout: 15_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function httpGet(url: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: (await res.text()).trim() };
  } catch (err) {
    return { error: String((err as Error).cause ?? err) };
  }
}

test('etcd runs from the generated manifest and serves only clients of the etcd CA', { skip, timeout: 120_000 }, (t) => withTempRoot(async (root) => {
  const host = tempRootHost(root, { env: {} });
  await runInitPhases([certs, etcd], config(), host);

  const manifest = parse(await readFile(path.join(root, 'etc/kubernetes/manifests/etcd.yaml'), 'utf8')) as Record<string, unknown>;
  const command = manifestCommand(manifest);
  assert.equal(command[0], 'etcd');
  assert.ok(command.includes('--experimental-initial-corrupt-check=true'), 'an etcd tag below 3.6.0 gives the flags etcd 3.4 knows');

  const ports = await portMap(t);
  let argv = remap(command, root, ports);
  const pki = (file: string) => path.join(root, pkiDir, file);
  const clientURL = `https://127.0.0.1:${ports.get(2379)}`;
  const container = ((manifest['spec'] as Record<string, unknown>)['containers'] as Json[])[0]!;
  const probe = container['livenessProbe']['httpGet'] as { host: string; path: string; scheme: string };
  const probePort = ports.get(container['ports'][0]['containerPort'] as number)!;

  const dropped: string[] = [];
  let member: Etcd | undefined;
  try {
    // Start; if this etcd refuses a flag as unknown, drop exactly that flag and start again.
    for (;;) {
      member = start(argv);
      const healthy = await waitHealthy(member, clientURL, pki);
      if (healthy) break;
      const unknown = /flag provided but not defined: -{1,2}([\w.-]+)/.exec(member.log())?.[1];
      if (member.exitCode() !== undefined && unknown !== undefined && argv.some((a) => a.startsWith(`--${unknown}=`))) {
        t.diagnostic(`this etcd rejects --${unknown} as unknown: dropped it (${argv.find((a) => a.startsWith(`--${unknown}=`))})`);
        dropped.push(unknown);
        argv = argv.filter((a) => !a.startsWith(`--${unknown}=`));
        continue;
      }
      const why = member.exitCode() === undefined ? `did not become healthy within ${startupDeadlineMs} ms` : `exited with code ${member.exitCode()}`;
      assert.fail(`etcd ${why}; its log:\n${member.log()}`);
    }
    t.diagnostic(dropped.length === 0 ? 'etcd accepted every flag of the manifest' : `flags dropped: ${dropped.join(', ')}`);

    const healthcheck = { cacert: pki('etcd/ca.crt'), cert: pki('etcd/healthcheck-client.crt'), key: pki('etcd/healthcheck-client.key') };
    const health = etcdctl(clientURL, healthcheck, 'endpoint', 'health');
    assert.equal(health.status, 0, health.out);
    assert.match(health.out, /is healthy/);

    const apiserver = { cacert: pki('etcd/ca.crt'), cert: pki('apiserver-etcd-client.crt'), key: pki('apiserver-etcd-client.key') };
    const put = etcdctl(clientURL, apiserver, 'put', '/registry/tskubeadm-test', 'stored');
    assert.equal(put.status, 0, put.out);
    const get = etcdctl(clientURL, apiserver, 'get', '/registry/tskubeadm-test', '--print-value-only');
    assert.equal(get.status, 0, get.out);
    assert.equal(get.out.trim(), 'stored');

    // A client certificate from another CA, made by openssl: the TLS handshake must fail.
    const other = { key: path.join(root, 'other.key'), ca: path.join(root, 'other-ca.crt'), cert: path.join(root, 'other.crt'), csr: path.join(root, 'other.csr') };
    const caKey = path.join(root, 'other-ca.key');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', other.ca, '-days', '1', '-subj', '/CN=other-ca']);
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', other.key, '-out', other.csr, '-subj', '/CN=kube-apiserver-etcd-client']);
    const ext = path.join(root, 'other.ext');
    await writeFile(ext, 'extendedKeyUsage=clientAuth\n');
    openssl(['x509', '-req', '-in', other.csr, '-CA', other.ca, '-CAkey', caKey, '-CAcreateserial', '-out', other.cert, '-days', '1', '-extfile', ext]);
    const intruder = { cacert: pki('etcd/ca.crt'), cert: other.cert, key: other.key };
    const refused = etcdctl(clientURL, intruder, 'put', '/registry/tskubeadm-test', 'overwritten');
    assert.notEqual(refused.status, 0, `a certificate from another CA was accepted: ${refused.out}`);
    t.diagnostic(`another CA's client certificate: etcdctl exit ${refused.status}: ${refused.out.trim().split('\n').at(-1)}`);
    // Why: the TLS handshake itself ends with etcd's alert, while the etcd CA's client gets an answer.
    const viaApiserver = await tlsGet(`${clientURL}/health`, apiserver);
    assert.deepEqual(viaApiserver, { status: 200 });
    const viaIntruder = await tlsGet(`${clientURL}/health`, intruder);
    assert.ok('error' in viaIntruder && /ALERT|certificate|unknown ca/i.test(viaIntruder.error), JSON.stringify(viaIntruder));
    t.diagnostic(`TLS with another CA's client certificate: ${viaIntruder.error}`);
    assert.equal(etcdctl(clientURL, apiserver, 'get', '/registry/tskubeadm-test', '--print-value-only').out.trim(), 'stored');

    // The kubelet's probes: the manifest's URL, and the endpoints etcd 3.4 really has.
    const base = `${probe.scheme.toLowerCase()}://${probe.host}:${probePort}`;
    const live = await httpGet(`${base}/health`);
    assert.deepEqual('status' in live ? [live.status, JSON.parse(live.body).health] : live, [200, 'true']);
    for (const p of [probe.path, '/readyz']) {
      const r = await httpGet(`${base}${p}`);
      t.diagnostic(`this etcd on ${p}: ${'status' in r ? `HTTP ${r.status} ${r.body.slice(0, 80)}` : r.error}` +
        (p === probe.path ? ` (the manifest's liveness probe; ${base}/health answers 200)` : ''));
    }
  } finally {
    if (member !== undefined) await stop(member);
  }
}));

/** Polls `etcdctl endpoint health` (healthcheck-client) until it succeeds, etcd exits, or the deadline. */
async function waitHealthy(member: Etcd, url: string, pki: (f: string) => string): Promise<boolean> {
  const tls = { cacert: pki('etcd/ca.crt'), cert: pki('etcd/healthcheck-client.crt'), key: pki('etcd/healthcheck-client.key') };
  const deadline = Date.now() + startupDeadlineMs;
  while (Date.now() < deadline) {
    if (member.exitCode() !== undefined) return false;
    if (etcdctl(url, tls, 'endpoint', 'health').status === 0) return true;
    await Promise.race([sleep(200), member.exited]);
  }
  return false;
}
