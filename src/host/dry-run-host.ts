// --dry-run: nothing on the host changes. Writes land under `dir` (written through the inner
// host at dir + path, as kubeadm writes into /etc/kubernetes/tmp/kubeadm-init-dryrunXXX), and
// later reads see them first; a remove is a whiteout kept in memory; a mutating command is
// recorded, not run. The mutation list is the plan (kubeadm's "[dryrun] Would …" lines).
//
// Whiteouts follow overlayfs: a removed path hides the inner one; a directory created again
// after its removal is opaque, so the inner files that were under it stay hidden.
import type { FileInfo, Host, HostFs, Mutation, PreviousState, WriteOptions } from './host.js';
import { ancestors, errnoError, hostPath, pathParts, previousContentLimitBytes } from './host-path.js';

export { describeMutation } from './mutation-text.js';

export interface DryRunHostOptions {
  /** Where relative paths are taken from; default process.cwd() (as realHost). Pass '/' over a rootfs host. */
  readonly cwd?: string;
}

export function dryRunHost(inner: Host, dir: string, opts: DryRunHostOptions = {}): Host {
  const mutations: Mutation[] = [];
  const cwd = opts.cwd ?? process.cwd();
  return {
    fs: overlayFs(inner.fs, hostPath(dir, cwd), mutations, (p) => hostPath(p, cwd)),
    exec: {
      async run(argv, opts) {
        if (!opts.mutates) return inner.exec.run(argv, opts);
        mutations.push({ action: 'exec', argv: [...argv] });
        return { exitCode: 0, stdout: '', stderr: '' };
      },
      which: (name) => inner.exec.which(name),
    },
    net: inner.net,
    system: inner.system,
    clock: inner.clock,
    env: inner.env,
    mutations,
    dryRun: true,
  };
}

function overlayFs(lower: HostFs, dir: string, mutations: Mutation[], absOf: (p: string) => string): HostFs {
  const whiteouts = new Set<string>();
  const opaque = new Set<string>();
  /** Files written and directories created in this run: the overlay holds them, not the inner host. */
  const upperPaths = new Set<string>();
  const upper = (abs: string) => (abs === '/' ? dir : `${dir}${abs}`);
  const inUpper = (abs: string) => upperPaths.has(abs);

  /** The inner host's copy is hidden by a removal of the path, or of a directory above it (even if made again). */
  function lowerHidden(abs: string): boolean {
    return whiteouts.has(abs) || ancestors(abs).some((a) => whiteouts.has(a) || opaque.has(a));
  }
  async function stat(abs: string): Promise<FileInfo | undefined> {
    if (inUpper(abs)) return lower.stat(upper(abs));
    return lowerHidden(abs) ? undefined : lower.stat(abs);
  }
  async function read(abs: string): Promise<Buffer | undefined> {
    if (inUpper(abs)) return lower.read(upper(abs));
    return lowerHidden(abs) ? undefined : lower.read(abs);
  }
  async function previous(abs: string): Promise<PreviousState> {
    const info = await stat(abs);
    if (info === undefined) return { existed: false };
    if (info.kind === 'file' && info.size <= previousContentLimitBytes) {
      const content = await read(abs);
      if (content !== undefined) return { existed: true, kind: 'file', mode: info.mode, content };
    }
    return { existed: true, kind: info.kind, mode: info.mode };
  }
  /** Directories of `abs` (and `abs` itself when `self`) missing from the merged view, outermost first. */
  async function missingDirs(abs: string, self: boolean): Promise<string[]> {
    const out: string[] = [];
    for (const d of [...ancestors(abs), ...(self && abs !== '/' ? [abs] : [])]) {
      const info = await stat(d);
      if (info === undefined) out.push(d);
      else if (info.kind !== 'directory' && info.kind !== 'symlink') throw errnoError(d === abs ? 'EEXIST' : 'ENOTDIR', 'mkdir', abs);
    }
    return out;
  }
  /** Records directories made in the overlay; one that had been removed becomes opaque. */
  function addDirs(dirs: readonly string[]): void {
    for (const d of dirs) {
      upperPaths.add(d);
      if (whiteouts.delete(d)) opaque.add(d);
    }
  }

  async function listOrUndefined(real: string): Promise<string[] | undefined> {
    return (await lower.stat(real))?.kind === 'directory' ? lower.list(real) : undefined;
  }

  return {
    read: (p) => read(absOf(p)),
    async readText(p) {
      return (await read(absOf(p)))?.toString('utf8');
    },
    stat: (p) => stat(absOf(p)),
    async list(p) {
      const abs = absOf(p);
      const prefix = abs === '/' ? '/' : `${abs}/`;
      if (inUpper(abs) && (await lower.stat(upper(abs)))?.kind !== 'directory') throw errnoError('ENOTDIR', 'scandir', abs);
      // Leftovers in a reused dry-run dir are not part of this run's view.
      const fromUpper = (await listOrUndefined(upper(abs)))?.filter((n) => inUpper(prefix + n));
      const fromLower = lowerHidden(abs) || opaque.has(abs) ? undefined : await lower.list(abs);
      if (!inUpper(abs) && fromLower === undefined) return undefined;
      const names = new Set([...(fromUpper ?? []), ...(fromLower ?? []).filter((n) => !whiteouts.has(prefix + n))]);
      return [...names].sort();
    },
    async write(p, data, opts: WriteOptions) {
      const abs = absOf(p);
      const createdDirs = await missingDirs(abs, false);
      const prev = await previous(abs);
      if (prev.existed && prev.kind === 'directory') throw errnoError('EISDIR', 'open', abs);
      await lower.write(upper(abs), data, opts);
      addDirs(createdDirs);
      whiteouts.delete(abs);
      upperPaths.add(abs);
      const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
      mutations.push({
        action: 'write', path: abs, mode: opts.mode & 0o7777, previous: prev, bytes,
        ...(createdDirs.length > 0 ? { createdDirs } : {}),
      });
    },
    async writeAll(files) {
      const planned = [];
      // A directory two files share is created (and planned) once, by the first.
      const claimed = new Set<string>();
      for (const f of files) {
        const abs = absOf(f.path);
        const prev = await previous(abs);
        if (prev.existed && prev.kind === 'directory') throw errnoError('EISDIR', 'open', abs);
        const createdDirs = (await missingDirs(abs, false)).filter((d) => !claimed.has(d));
        for (const d of createdDirs) claimed.add(d);
        planned.push({ f, abs, prev, createdDirs });
      }
      await lower.writeAll(planned.map((w) => ({ ...w.f, path: upper(w.abs) })));
      for (const w of planned) {
        addDirs(w.createdDirs);
        whiteouts.delete(w.abs);
        upperPaths.add(w.abs);
        const bytes = typeof w.f.data === 'string' ? Buffer.byteLength(w.f.data, 'utf8') : w.f.data.byteLength;
        mutations.push({
          action: 'write', path: w.abs, mode: w.f.mode & 0o7777, previous: w.prev, bytes,
          ...(w.createdDirs.length > 0 ? { createdDirs: w.createdDirs } : {}),
        });
      }
    },
    // Recorded, never made: a dry run must not hold (or wait for) anything on the real host.
    async createExclusive(p, data, opts: WriteOptions) {
      const abs = absOf(p);
      if ((await stat(abs)) !== undefined) return false;
      const createdDirs = await missingDirs(abs, false);
      const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
      mutations.push({
        action: 'write', path: abs, mode: opts.mode & 0o7777, previous: { existed: false }, bytes,
        ...(createdDirs.length > 0 ? { createdDirs } : {}),
      });
      return true;
    },
    async mkdir(p, opts: WriteOptions) {
      const abs = absOf(p);
      const created = await missingDirs(abs, true);
      if (created.length === 0) return;
      await lower.mkdir(upper(abs), opts);
      addDirs(created);
      mutations.push({ action: 'mkdir', path: abs, mode: opts.mode & 0o7777, created });
    },
    async remove(p) {
      const abs = absOf(p);
      if (abs === '/') throw errnoError('EPERM', 'rm', abs);
      const prev = await previous(abs);
      if (!prev.existed) return;
      await lower.remove(upper(abs));
      const prefix = `${abs}/`;
      for (const set of [upperPaths, opaque, whiteouts]) {
        for (const q of [...set]) if (q === abs || q.startsWith(prefix)) set.delete(q);
      }
      whiteouts.add(abs);
      mutations.push({ action: 'remove', path: abs, previous: prev });
    },
    realPath: (p) => {
      const abs = absOf(p);
      return lower.realPath(inUpper(abs) ? upper(abs) : abs);
    },
  };
}

/** The overlay location of a host path inside a dry-run dir (for messages such as kubeadm's "Using … folder"). */
export function dryRunPath(dir: string, p: string): string {
  const abs = hostPath(p);
  return abs === '/' ? hostPath(dir) : `${hostPath(dir)}/${pathParts(abs).join('/')}`;
}
