// An in-memory Host for unit tests: a file tree with real semantics, a fake process
// table keyed by argv, fixed /proc and /sys contents, ports, DNS, HTTP and a virtual clock.
import path from 'node:path';
import type {
  Clock, ExecOptions, ExecResult, Host, HostFs, HostNet, HostSystem, HttpGetOptions, HttpResponse,
  Mutation, NetworkInterface, WriteOptions,
} from '../../src/host/host.js';
import { errnoError, hostPath } from '../../src/host/host-path.js';
import { FakeTree } from './fake-tree.js';

export type FakeFileSpec = string | Uint8Array | { readonly content: string | Uint8Array; readonly mode?: number };
export type FakeCommandResult = Partial<ExecResult>;
export type FakeCommand =
  | FakeCommandResult
  | ((argv: readonly string[], opts: ExecOptions) => FakeCommandResult | Promise<FakeCommandResult>);
export type FakeHttp =
  | HttpResponse
  | Error
  | ((url: string, opts: HttpGetOptions) => HttpResponse | Promise<HttpResponse>);

export interface FakeHostSpec {
  /** Files by absolute path; parents are created (0o755). Default mode 0o644. */
  readonly files?: Readonly<Record<string, FakeFileSpec>>;
  /** Extra (empty) directories, mode 0o755 or as given. */
  readonly dirs?: readonly string[] | Readonly<Record<string, number>>;
  /** Symbolic links: path → target (as readlink would show it). */
  readonly symlinks?: Readonly<Record<string, string>>;
  /** /proc and /sys contents: path → text. Directories are implied by the paths. */
  readonly kernelFiles?: Readonly<Record<string, string>>;
  readonly hostname?: string;
  readonly euid?: number;
  readonly cpus?: number;
  readonly memoryBytes?: number;
  readonly kernelRelease?: string;
  readonly osType?: string;
  /** PIDs of live processes (processAlive); this process (`self`) is always alive. */
  readonly pids?: readonly number[];
  /** This tskubeadm process (default PID 4242, `tskubeadm`). */
  readonly self?: { readonly pid: number; readonly argv: readonly string[] };
  /** The process table, keyed by argv joined with ' ' (exact match first, then argv[0] alone). Unknown → ENOENT. */
  readonly commands?: Readonly<Record<string, FakeCommand>>;
  /** Executables on PATH: bare names (found as /usr/bin/<name>) or absolute paths. */
  readonly path?: readonly string[];
  /** Unix sockets something listens on (a CRI runtime's): stat reports 'other', connectUnix answers. */
  readonly sockets?: readonly string[];
  /** Ports something already listens on. */
  readonly busyPorts?: readonly number[];
  /** hostname → addresses; unknown names resolve to []. */
  readonly lookup?: Readonly<Record<string, readonly string[]>>;
  readonly interfaces?: readonly NetworkInterface[];
  readonly defaultRoute?: { readonly 4?: string; readonly 6?: string };
  /** url (or "METHOD url" for httpRequest) → response, error (rejects) or handler. Unknown urls reject with ECONNREFUSED. */
  readonly http?: Readonly<Record<string, FakeHttp>>;
  /** Start of virtual time (default 2025-01-01T00:00:00Z). */
  readonly now?: Date | string | number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where relative paths are taken from (default /). */
  readonly cwd?: string;
}

export interface FakeClock extends Clock {
  /** Moves virtual time forward. */
  advance(ms: number): void;
}

export interface FakeExecCall {
  readonly argv: readonly string[];
  readonly opts: ExecOptions;
}

export interface FakeHost extends Host {
  readonly clock: FakeClock;
  readonly mutations: Mutation[];
  /** Every exec.run call, mutating or not, in order. */
  readonly execCalls: FakeExecCall[];
  /** The regular files now in the tree, as UTF-8 text, by path (sorted). */
  files(): Record<string, string>;
}


const defaultNow = Date.parse('2025-01-01T00:00:00Z');

export function fakeHost(spec: FakeHostSpec = {}): FakeHost {
  const mutations: Mutation[] = [];
  const execCalls: FakeExecCall[] = [];
  const clock = fakeClock(spec.now === undefined ? defaultNow : new Date(spec.now).getTime());
  const tree = new FakeTree(clock, spec.cwd ?? '/');
  tree.seed(spec);
  const env = Object.freeze({ ...(spec.env ?? {}) });
  return {
    fs: fakeFs(tree, mutations),
    exec: {
      async run(argv, opts) {
        execCalls.push({ argv: [...argv], opts });
        if (opts.mutates) mutations.push({ action: 'exec', argv: [...argv] });
        const cmd = spec.commands?.[argv.join(' ')] ?? (argv[0] === undefined ? undefined : spec.commands?.[argv[0]]);
        if (cmd === undefined) return { exitCode: 127, stdout: '', stderr: '', spawnError: `spawn ${argv[0] ?? ''} ENOENT` };
        const r = typeof cmd === 'function' ? await cmd(argv, opts) : cmd;
        return { exitCode: 0, stdout: '', stderr: '', ...r };
      },
      async which(name) {
        for (const p of spec.path ?? []) {
          if (p === name) return `/usr/bin/${name}`;
          if (p.startsWith('/') && path.posix.basename(p) === name) return p;
        }
        return undefined;
      },
    },
    net: fakeNet(spec, tree),
    system: fakeSystem(spec),
    clock,
    env,
    mutations,
    execCalls,
    dryRun: false,
    files: () => tree.textFiles(),
  };
}

function fakeClock(start: number): FakeClock {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms) => { t += ms; },
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      t += ms;
    },
  };
}

function fakeNet(spec: FakeHostSpec, tree: FakeTree): HostNet {
  return {
    // As the kernel: a listening socket answers, anything else at the path refuses, nothing there is ENOENT.
    async connectUnix(p) {
      const node = tree.lookup(p, true);
      if (node === undefined) return { ok: false, code: 'ENOENT' };
      return node.kind === 'socket' ? { ok: true } : { ok: false, code: 'ECONNREFUSED' };
    },
    canListen: async (port) => !(spec.busyPorts ?? []).includes(port),
    httpGet(url, opts) {
      return this.httpRequest(url, { ...opts, method: 'GET' });
    },
    async httpRequest(url, opts) {
      opts.signal?.throwIfAborted();
      const h = spec.http?.[`${opts.method} ${url}`] ?? (opts.method === 'GET' ? spec.http?.[url] : undefined);
      if (h === undefined) throw errnoError('ECONNREFUSED', 'connect', url);
      if (h instanceof Error) throw h;
      return typeof h === 'function' ? h(url, opts) : h;
    },
    lookup: async (name) => [...(spec.lookup?.[name] ?? [])],
    interfaces: async () => spec.interfaces ?? [],
    defaultRouteInterface: async (family) => spec.defaultRoute?.[family],
  };
}

function fakeSystem(spec: FakeHostSpec): HostSystem {
  const kernel = spec.kernelFiles ?? {};
  const self = spec.self ?? { pid: 4242, argv: ['tskubeadm'] };
  return {
    readKernelFile: async (p) => kernel[hostPath(p)],
    async listKernelDir(p) {
      const dir = hostPath(p);
      const prefix = dir === '/' ? '/' : `${dir}/`;
      const names = new Set<string>();
      for (const k of Object.keys(kernel)) {
        if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0] ?? '');
      }
      names.delete('');
      return names.size === 0 ? undefined : [...names].sort();
    },
    kernelRelease: () => spec.kernelRelease ?? '6.1.0-fake-amd64',
    osType: () => spec.osType ?? 'Linux',
    hostname: () => spec.hostname ?? 'fake-node',
    euid: () => spec.euid ?? 0,
    cpuCount: () => spec.cpus ?? 2,
    totalMemoryBytes: () => spec.memoryBytes ?? 4 * 1024 ** 3,
    processAlive: (pid) => pid === self.pid || (spec.pids ?? []).includes(pid),
    self: () => self,
  };
}

function fakeFs(tree: FakeTree, mutations: Mutation[]): HostFs {
  return {
    async read(p) {
      const node = tree.lookup(p, true);
      if (node === undefined) return undefined;
      if (node.kind === 'directory') throw errnoError('EISDIR', 'read', p);
      return node.kind === 'file' ? Buffer.from(node.content) : undefined;
    },
    async readText(p) {
      return (await this.read(p))?.toString('utf8');
    },
    async stat(p) {
      const node = tree.lookup(p, false);
      return node === undefined ? undefined : tree.info(tree.resolve(p, false));
    },
    async list(p) {
      const node = tree.lookup(p, true);
      if (node === undefined) return undefined;
      const dir = tree.resolve(p, true);
      if (node.kind !== 'directory') throw errnoError('ENOTDIR', 'scandir', p);
      return tree.children(dir);
    },
    async write(p, data, opts) {
      const target = tree.resolve(p, false);
      const createdDirs = tree.mkdirp(path.posix.dirname(target), 0o755, p);
      const previous = tree.previous(target);
      if (previous.existed && previous.kind === 'directory') throw errnoError('EISDIR', 'open', p);
      const content = Buffer.from(data);
      tree.set(target, { kind: 'file', content, mode: opts.mode & 0o7777, mtimeMs: tree.now() });
      mutations.push({
        action: 'write', path: hostPath(p, tree.cwd), mode: opts.mode & 0o7777, previous, bytes: content.length,
        ...(createdDirs.length > 0 ? { createdDirs } : {}),
      });
    },
    async writeAll(files) {
      // Checked first, then written: in memory the writes themselves cannot fail halfway.
      for (const f of files) {
        const previous = tree.previous(tree.resolve(f.path, false));
        if (previous.existed && previous.kind === 'directory') throw errnoError('EISDIR', 'open', f.path);
      }
      for (const f of files) await this.write(f.path, f.data, { mode: f.mode });
    },
    async createExclusive(p, data, opts) {
      if (tree.lookup(p, false) !== undefined) return false;
      await this.write(p, data, opts);
      return true;
    },
    async mkdir(p, opts: WriteOptions) {
      const created = tree.mkdirp(tree.resolve(p, true), opts.mode & 0o7777, p);
      if (created.length > 0) mutations.push({ action: 'mkdir', path: hostPath(p, tree.cwd), mode: opts.mode & 0o7777, created });
    },
    async remove(p) {
      if (tree.lookup(p, false) === undefined) return;
      const target = tree.resolve(p, false);
      if (target === '/') throw errnoError('EPERM', 'rm', p);
      const previous = tree.previous(target);
      tree.removeTree(target);
      mutations.push({ action: 'remove', path: hostPath(p, tree.cwd), previous });
    },
    realPath: (p) => hostPath(p, tree.cwd),
  };
}
