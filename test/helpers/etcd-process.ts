// Debian's etcd (etcd-server, installed by .ci/run) started with exactly the command line of a generated etcd
// manifest: host paths moved under the test's root and, on a shared loopback, busy 127.0.0.1/::1 ports moved
// to free ones. Optionally inside a network namespace (`ip netns exec <ns> etcd …`). Always stopped when the
// test ends; its log is printed when it dies on its own.
import type { TestContext } from 'node:test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { manifestCommand } from '../../src/manifest-files/static-pod-files.js';

/** Why the real etcd tests cannot run here, or false. */
export function etcdSkipReason(extra: readonly string[] = []): string | false {
  const missing = ['etcd', 'etcdctl', ...extra].filter((b) => spawnSync('which', [b], { stdio: 'ignore' }).status !== 0);
  return missing.length === 0 ? false
    : `!!! ${missing.join(', ')} not on PATH: this real etcd test did NOT run (install Debian's etcd-server and etcd-client, as .ci/run does)`;
}

export interface EtcdTls {
  readonly cacert: string;
  readonly cert: string;
  readonly key: string;
}

/** The etcd CA and a client identity of the PKI under `root` (healthcheck-client by default). */
export function pkiTls(root: string, client = 'etcd/healthcheck-client', pkiDir = '/etc/kubernetes/pki'): EtcdTls {
  const file = (f: string) => path.join(root, pkiDir, f);
  return { cacert: file('etcd/ca.crt'), cert: file(`${client}.crt`), key: file(`${client}.key`) };
}

export interface Ctl {
  readonly status: number | null;
  readonly out: string;
}

/** etcdctl (API v3) against endpoints with one client identity; inside `netns` when given. */
export function etcdctl(endpoints: string, tls: EtcdTls, args: readonly string[], netns?: string): Ctl {
  const argv = ['etcdctl', `--endpoints=${endpoints}`, `--cacert=${tls.cacert}`, `--cert=${tls.cert}`, `--key=${tls.key}`,
    '--dial-timeout=2s', '--command-timeout=4s', ...args];
  const full = netns === undefined ? argv : ['ip', 'netns', 'exec', netns, ...argv];
  const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ETCDCTL_API: '3' }, timeout: 15_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

export interface EtcdProcessOptions {
  /** Stops etcd when this test ends; diagnostics go here. */
  readonly t: TestContext;
  /** Run inside this network namespace (its own loopback: nothing is remapped). */
  readonly netns?: string;
  /** The manifest, relative to root. */
  readonly manifest?: string;
  /** Move busy 127.0.0.1 / ::1 / localhost ports to free ones (default: true outside a namespace). */
  readonly remapLoopback?: boolean;
  /** 'health': wait for `etcdctl endpoint health` (healthcheck-client), dropping flags this etcd rejects as
   *  unknown; 'none': return once spawned (a joining learner is not "healthy" until promoted). */
  readonly waitFor?: 'health' | 'none';
  readonly startupDeadlineMs?: number;
}

export interface EtcdProcess {
  readonly argv: readonly string[];
  /** The first advertise-client-urls entry, as remapped. */
  readonly clientURL: string;
  /** `host:port` of the manifest → where it really listens (only the moved ones). */
  readonly moved: ReadonlyMap<string, string>;
  /** Flags dropped because this etcd did not know them. */
  readonly dropped: readonly string[];
  readonly exited: Promise<number | null>;
  /** The exit code once exited; undefined while it runs. */
  exitCode(): number | null | undefined;
  log(): string;
  stop(): Promise<void>;
}

const loopbackHost = /^(127\.0\.0\.1|\[::1\]|localhost)$/;

async function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host.replace(/^\[|\]$/g, ''), () => s.close(() => resolve(true)));
  });
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host.replace(/^\[|\]$/g, ''), () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const urlHostPorts = (value: string) => [...value.matchAll(/:\/\/(\[[^\]]+\]|[^,/:]+):(\d+)/g)].map((m) => ({ host: m[1]!, port: Number(m[2]) }));

/** The manifest's command for this machine: absolute paths under root, busy loopback ports moved. */
async function remap(command: readonly string[], root: string, remapLoopback: boolean): Promise<{ argv: string[]; moved: Map<string, string> }> {
  const moved = new Map<string, string>();
  if (remapLoopback) {
    for (const arg of command.slice(1)) {
      for (const { host, port } of urlHostPorts(arg)) {
        const key = `${host}:${port}`;
        if (!loopbackHost.test(host) || moved.has(key)) continue;
        moved.set(key, (await canListen(host, port)) ? key : `${host}:${await freePort(host)}`);
      }
    }
  }
  const argv = command.map((arg, i) => {
    if (i === 0) return arg;
    const m = /^(--[^=]+)=(.*)$/s.exec(arg);
    if (m === null) return arg;
    const [, flag, value] = m as unknown as [string, string, string];
    if (value.startsWith('/')) return `${flag}=${path.join(root, value)}`;
    return `${flag}=${value.replace(/:\/\/(\[[^\]]+\]|[^,/:]+):(\d+)/g, (all, host: string, port: string) => {
      const to = moved.get(`${host}:${port}`);
      return to === undefined ? all : `://${to}`;
    })}`;
  });
  for (const [from, to] of [...moved]) if (from === to) moved.delete(from);
  return { argv, moved };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnEtcd(argv: readonly string[], netns: string | undefined) {
  const full = netns === undefined ? argv : ['ip', 'netns', 'exec', netns, ...argv];
  const child: ChildProcess = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  let code: number | null | undefined;
  // 'close', not 'exit': only then has all of its output been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (c) => resolve((code = c))));
  return { child, log: () => log, exited, exitCode: () => code };
}

/** Starts etcd from the manifest under `root`; see EtcdProcessOptions. */
export async function startEtcdFromManifest(root: string, opts: EtcdProcessOptions): Promise<EtcdProcess> {
  const { t, netns } = opts;
  const manifestFile = path.join(root, opts.manifest ?? 'etc/kubernetes/manifests/etcd.yaml');
  const command = manifestCommand(parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>);
  if (command[0] !== 'etcd') throw new Error(`${manifestFile} does not run etcd: ${command.join(' ')}`);
  const mapped = await remap(command, root, opts.remapLoopback ?? netns === undefined);
  let argv = mapped.argv;
  const advertised = argv.find((a) => a.startsWith('--advertise-client-urls='))?.split('=')[1]?.split(',')[0] ?? '';
  const deadline = Date.now() + (opts.startupDeadlineMs ?? 30_000);
  const dropped: string[] = [];
  for (;;) {
    let stopping = false;
    const p = spawnEtcd(argv, netns);
    const proc: EtcdProcess = {
      argv, clientURL: advertised, moved: mapped.moved, dropped, exited: p.exited, exitCode: p.exitCode, log: p.log,
      async stop() {
        stopping = true;
        if (p.exitCode() !== undefined) return;
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
        await p.exited;
        clearTimeout(timer);
      },
    };
    t.after(() => proc.stop());
    void p.exited.then((code) => {
      if (!stopping) t.diagnostic(`etcd (${advertised}) exited on its own with code ${code}; its log:\n${p.log()}`);
    });
    if (opts.waitFor === 'none') return proc;
    const tls = pkiTls(root);
    while (Date.now() < deadline && p.exitCode() === undefined) {
      if (etcdctl(advertised, tls, ['endpoint', 'health'], netns).status === 0) return proc;
      await Promise.race([sleep(200), p.exited]);
    }
    const unknown = /flag provided but not defined: -{1,2}([\w.-]+)/.exec(p.log())?.[1];
    if (p.exitCode() !== undefined && unknown !== undefined && argv.some((a) => a.startsWith(`--${unknown}=`))) {
      t.diagnostic(`this etcd rejects --${unknown} as unknown: dropped it`);
      dropped.push(unknown);
      argv = argv.filter((a) => !a.startsWith(`--${unknown}=`));
      continue;
    }
    await proc.stop();
    const why = p.exitCode() === null || p.exitCode() === undefined ? 'did not become healthy in time' : `exited with code ${p.exitCode()}`;
    throw new Error(`etcd ${why}: ${argv.join(' ')}\nits log:\n${p.log()}`);
  }
}
