// An in-memory Host for unit tests: a file tree with real semantics, a fake process
// table keyed by argv, fixed /proc and /sys contents, ports, DNS, HTTP and a virtual clock.
import path from 'node:path';
import type {
  Clock, ExecOptions, ExecResult, FileInfo, Host, HostFs, HostNet, HostSystem, HttpGetOptions, HttpResponse,
  Mutation, NetworkInterface, PreviousState, WriteOptions,
} from '../../src/host/host.js';
import { ancestors, errnoError, hostPath, pathParts, previousContentLimitBytes } from '../../src/host/host-path.js';

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

type Node =
  | { kind: 'file'; content: Buffer; mode: number; mtimeMs: number }
  | { kind: 'directory'; mode: number; mtimeMs: number }
  | { kind: 'symlink'; target: string; mtimeMs: number }
  /** A listening unix socket: lstat says 'other', connectUnix answers. */
  | { kind: 'socket'; mode: number; mtimeMs: number };

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
    async httpGet(url, opts) {
      opts.signal?.throwIfAborted();
      const h = spec.http?.[url];
      if (h === undefined) throw errnoError('ECONNREFUSED', 'connect', url);
      if (h instanceof Error) throw h;
      return typeof h === 'function' ? h(url, opts) : h;
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

class FakeTree {
  private readonly nodes = new Map<string, Node>();
  constructor(private readonly clock: Clock, readonly cwd: string) {
    this.nodes.set('/', { kind: 'directory', mode: 0o755, mtimeMs: this.now() });
  }

  now(): number {
    return this.clock.now().getTime();
  }

  seed(spec: FakeHostSpec): void {
    const dirs = Array.isArray(spec.dirs)
      ? spec.dirs.map((d) => [d, 0o755] as const)
      : Object.entries((spec.dirs ?? {}) as Record<string, number>);
    for (const [d, mode] of dirs) this.mkdirp(hostPath(d, this.cwd), mode, d);
    for (const [p, f] of Object.entries(spec.files ?? {})) {
      const abs = hostPath(p, this.cwd);
      this.mkdirp(path.posix.dirname(abs), 0o755, p);
      const { content, mode } = typeof f === 'string' || f instanceof Uint8Array ? { content: f, mode: 0o644 } : f;
      this.set(abs, { kind: 'file', content: Buffer.from(content), mode: mode ?? 0o644, mtimeMs: this.now() });
    }
    for (const p of spec.sockets ?? []) {
      const abs = hostPath(p, this.cwd);
      this.mkdirp(path.posix.dirname(abs), 0o755, p);
      this.set(abs, { kind: 'socket', mode: 0o660, mtimeMs: this.now() });
    }
    for (const [p, target] of Object.entries(spec.symlinks ?? {})) {
      const abs = hostPath(p, this.cwd);
      this.mkdirp(path.posix.dirname(abs), 0o755, p);
      this.set(abs, { kind: 'symlink', target, mtimeMs: this.now() });
    }
  }

  get(abs: string): Node | undefined {
    return this.nodes.get(abs);
  }

  set(abs: string, node: Node): void {
    this.nodes.set(abs, node);
  }

  /** The node at a path, or undefined when it (or a parent) does not exist, as ENOENT/ENOTDIR. */
  lookup(p: string, followLast: boolean): Node | undefined {
    try {
      return this.nodes.get(this.resolve(p, followLast));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  /** Follows symlinks in every component but the last (and the last too when followLast). */
  resolve(p: string, followLast: boolean): string {
    let pending = pathParts(hostPath(p, this.cwd));
    let cur = '/';
    for (let hops = 0; pending.length > 0; ) {
      const [name, ...rest] = pending as [string, ...string[]];
      const next = cur === '/' ? `/${name}` : `${cur}/${name}`;
      const node = this.nodes.get(next);
      if (node?.kind === 'symlink' && (rest.length > 0 || followLast)) {
        if (++hops > 40) throw errnoError('ELOOP', 'stat', p);
        pending = [...pathParts(path.posix.resolve(cur, node.target)), ...rest];
        cur = '/';
        continue;
      }
      if (node !== undefined && node.kind === 'file' && rest.length > 0) throw errnoError('ENOTDIR', 'stat', p);
      pending = rest;
      cur = next;
    }
    return cur;
  }

  info(abs: string): FileInfo | undefined {
    const n = this.nodes.get(abs);
    if (n === undefined) return undefined;
    if (n.kind === 'symlink') return { kind: 'symlink', mode: 0o777, size: n.target.length, mtimeMs: n.mtimeMs };
    if (n.kind === 'socket') return { kind: 'other', mode: n.mode, size: 0, mtimeMs: n.mtimeMs };
    return { kind: n.kind, mode: n.mode, size: n.kind === 'file' ? n.content.length : 4096, mtimeMs: n.mtimeMs };
  }

  previous(abs: string): PreviousState {
    const n = this.nodes.get(abs);
    if (n === undefined) return { existed: false };
    if (n.kind === 'symlink') return { existed: true, kind: 'symlink', mode: 0o777 };
    if (n.kind === 'directory') return { existed: true, kind: 'directory', mode: n.mode };
    if (n.kind === 'socket') return { existed: true, kind: 'other', mode: n.mode };
    return n.content.length <= previousContentLimitBytes
      ? { existed: true, kind: 'file', mode: n.mode, content: Buffer.from(n.content) }
      : { existed: true, kind: 'file', mode: n.mode };
  }

  children(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const names: string[] = [];
    for (const k of this.nodes.keys()) {
      if (k !== '/' && k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) names.push(k.slice(prefix.length));
    }
    return names.sort();
  }

  /** mkdir -p on a resolved path; returns the directories created, outermost first. */
  mkdirp(abs: string, mode: number, shown: string): string[] {
    const created: string[] = [];
    for (const d of [...ancestors(abs), ...(abs === '/' ? [] : [abs])]) {
      const real = this.resolve(d, true);
      const n = this.nodes.get(real);
      if (n === undefined) {
        this.nodes.set(real, { kind: 'directory', mode, mtimeMs: this.now() });
        created.push(real);
      } else if (n.kind !== 'directory') {
        throw errnoError(d === abs ? 'EEXIST' : 'ENOTDIR', 'mkdir', shown);
      }
    }
    return created;
  }

  removeTree(abs: string): void {
    const prefix = `${abs}/`;
    for (const k of [...this.nodes.keys()]) if (k === abs || k.startsWith(prefix)) this.nodes.delete(k);
  }

  textFiles(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of [...this.nodes.keys()].sort()) {
      const n = this.nodes.get(k);
      if (n?.kind === 'file') out[k] = n.content.toString('utf8');
    }
    return out;
  }
}
