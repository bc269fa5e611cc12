// Tests on a real filesystem: a fresh mkdtemp root per test, removed afterwards, and a
// rootfs host over it whose kernel files and processes may be faked.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Host } from '../../src/host/host.js';
import { realHost } from '../../src/host/real-host.js';
import { rootfsHost } from '../../src/host/rootfs-host.js';
import { fakeHost } from './fake-host.js';
import type { FakeHostSpec } from './fake-host.js';

/** Runs `fn` with a new empty directory and removes it afterwards, whatever happens. */
export async function withTempRoot<T>(fn: (root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-test-'));
  try {
    return await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** What to fake under a temp root; everything else is the real machine. */
export type TempRootOverrides = Pick<
  FakeHostSpec,
  'kernelFiles' | 'commands' | 'path' | 'hostname' | 'euid' | 'cpus' | 'memoryBytes' | 'kernelRelease' | 'osType'
  | 'busyPorts' | 'lookup' | 'interfaces' | 'defaultRoute' | 'http' | 'now' | 'env' | 'pids' | 'self'
>;

/** rootfsHost(root) over the real host; kernel facts (/proc, /sys, uname…) are faked when kernelFiles or any
 *  system field is given, processes when commands or path is given, and so on for net, clock and env. */
export function tempRootHost(root: string, overrides: TempRootOverrides = {}): Host {
  const real = realHost();
  const fake = fakeHost(overrides);
  const has = (...keys: (keyof TempRootOverrides)[]) => keys.some((k) => overrides[k] !== undefined);
  const inner: Host = {
    fs: real.fs,
    exec: has('commands', 'path') ? fake.exec : real.exec,
    net: has('busyPorts', 'lookup', 'interfaces', 'defaultRoute', 'http') ? fake.net : real.net,
    system: has('kernelFiles', 'hostname', 'euid', 'cpus', 'memoryBytes', 'kernelRelease', 'osType', 'pids', 'self') ? fake.system : real.system,
    clock: has('now') ? fake.clock : real.clock,
    env: has('env') ? fake.env : real.env,
    mutations: real.mutations,
    dryRun: false,
  };
  return rootfsHost(root, inner);
}
