// HostFs on the machine's real filesystem, through a path mapping: the identity for
// realHost(), a chroot-like resolver for rootfsHost(). Mutations are recorded with the
// host-visible path, and hold what was there before (content up to 1 MiB).
// Synchronous calls on purpose: async fs runs on libuv's thread pool, where it would queue behind
// the RSA key generations a PKI run starts, and these are small local files.
import * as fs from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { sha256Hex } from '../sha256.js';
import { atomicWrite, commitFile, createExclusiveFile, discardStaged, stageFile, syncDir } from './atomic-write.js';
import type { FileInfo, HostFs, Mutation, PreviousState, WriteOptions } from './host.js';
import { errnoError, hostPath, previousContentLimitBytes } from './host-path.js';

/** Maps host paths to real paths on this machine and back. */
export interface FsMapping {
  /** The real path for a normalized absolute host path; symlinks in the last component are followed only if asked. */
  toReal(hostAbs: string, followLast: boolean): string;
  /** The host path for a real path produced by toReal (or a directory inside one). */
  toHost(real: string): string;
  /** Where relative host paths are taken from. */
  readonly cwd: string;
  /** The real directory that must exist before anything is created (the --rootfs root). */
  readonly root?: string;
}

export const identityMapping: FsMapping = Object.freeze({
  toReal: (p: string) => p,
  toHost: (p: string) => p,
  cwd: '/',
});

/** ENOENT and ENOTDIR both mean "there is nothing at this path". */
export function isAbsent(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function fileInfo(st: Stats): FileInfo {
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other';
  return { kind, mode: st.mode & 0o7777, size: st.size, mtimeMs: st.mtimeMs };
}

async function lstatOrUndefined(real: string): Promise<Stats | undefined> {
  try {
    return fs.lstatSync(real);
  } catch (e) {
    if (isAbsent(e)) return undefined;
    throw e;
  }
}

/** What is at `real` now, for a mutation record. */
async function previousState(real: string): Promise<PreviousState> {
  const st = await lstatOrUndefined(real);
  if (st === undefined) return { existed: false };
  const info = fileInfo(st);
  if (info.kind === 'file' && st.size <= previousContentLimitBytes) {
    try {
      return { existed: true, kind: 'file', mode: info.mode, content: fs.readFileSync(real) };
    } catch (e) {
      if (!isAbsent(e)) throw e;
      return { existed: false };
    }
  }
  return { existed: true, kind: info.kind, mode: info.mode };
}

/** mkdir -p with an exact mode on the directories it creates; returns them (real paths), outermost first. */
async function mkdirExact(real: string, mode: number): Promise<string[]> {
  const missing: string[] = [];
  for (let d = real; ; d = path.dirname(d)) {
    const st = await lstatOrUndefined(d);
    if (st !== undefined) {
      if (!st.isDirectory() && !(st.isSymbolicLink() && (fs.statSync(d)).isDirectory())) {
        throw errnoError(d === real ? 'EEXIST' : 'ENOTDIR', 'mkdir', real);
      }
      break;
    }
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  const created: string[] = [];
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode });
      created.push(d);
    } catch (e) {
      // Someone else made it meanwhile: fine, it is not ours to chmod.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      continue;
    }
    fs.chmodSync(d, mode); // mkdir's mode is masked by the umask
  }
  for (const d of created) await syncDir(path.dirname(d));
  return created;
}

export function nodeFs(mutations: Mutation[], mapping: FsMapping): HostFs {
  const abs = (p: string) => hostPath(p, mapping.cwd);
  const real = (p: string, followLast: boolean) => mapping.toReal(abs(p), followLast);
  /** mkdir -p must never create the root itself (or climb above it). */
  async function requireRoot(): Promise<void> {
    if (mapping.root === undefined) return;
    const st = await lstatOrUndefined(mapping.root);
    if (st?.isDirectory() !== true) {
      throw new UsageError(`the root filesystem "${mapping.root}" is not an existing directory`, {
        fix: 'pass an existing directory to --rootfs',
      });
    }
  }
  return {
    async read(p) {
      try {
        return fs.readFileSync(real(p, true));
      } catch (e) {
        if (isAbsent(e)) return undefined;
        throw e;
      }
    },
    async readText(p) {
      return (await this.read(p))?.toString('utf8');
    },
    async stat(p) {
      const st = await lstatOrUndefined(real(p, false));
      return st === undefined ? undefined : fileInfo(st);
    },
    async list(p) {
      try {
        return (fs.readdirSync(real(p, true))).sort();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async write(p, data, opts: WriteOptions) {
      await requireRoot();
      const target = real(p, false);
      const mode = opts.mode & 0o7777;
      const createdDirs = (await mkdirExact(path.dirname(target), 0o755)).map((d) => mapping.toHost(d));
      const previous = await previousState(target);
      if (previous.existed && previous.kind === 'directory') throw errnoError('EISDIR', 'open', abs(p));
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      await atomicWrite(target, bytes, mode);
      mutations.push({
        action: 'write', path: abs(p), mode, previous, bytes: bytes.byteLength, sha256: sha256Hex(bytes),
        ...(createdDirs.length > 0 ? { createdDirs } : {}),
      });
    },
    async writeAll(files) {
      await requireRoot();
      // Check every target and make every directory before anything is staged or renamed.
      const planned = [];
      for (const f of files) {
        const target = real(f.path, false);
        const createdDirs = (await mkdirExact(path.dirname(target), 0o755)).map((d) => mapping.toHost(d));
        const previous = await previousState(target);
        if (previous.existed && previous.kind === 'directory') throw errnoError('EISDIR', 'open', abs(f.path));
        planned.push({ f, target, createdDirs, previous, bytes: typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data });
      }
      const staged: string[] = [];
      try {
        for (const w of planned) staged.push(stageFile(w.target, w.bytes, w.f.mode & 0o7777));
      } catch (err) {
        discardStaged(staged);
        throw err;
      }
      for (const [i, w] of planned.entries()) {
        try {
          commitFile(staged[i]!, w.target);
        } catch (err) {
          discardStaged(staged.slice(i + 1));
          throw err;
        }
        mutations.push({
          action: 'write', path: abs(w.f.path), mode: w.f.mode & 0o7777, previous: w.previous, bytes: w.bytes.byteLength,
          sha256: sha256Hex(w.bytes),
          ...(w.createdDirs.length > 0 ? { createdDirs: w.createdDirs } : {}),
        });
      }
      for (const dir of new Set(planned.map((w) => path.dirname(w.target)))) await syncDir(dir);
    },
    async createExclusive(p, data, opts: WriteOptions) {
      await requireRoot();
      const target = real(p, false);
      const mode = opts.mode & 0o7777;
      const createdDirs = (await mkdirExact(path.dirname(target), 0o755)).map((d) => mapping.toHost(d));
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      if (!createExclusiveFile(target, bytes, mode)) return false;
      await syncDir(path.dirname(target));
      mutations.push({
        action: 'write', path: abs(p), mode, previous: { existed: false }, bytes: bytes.byteLength, sha256: sha256Hex(bytes),
        ...(createdDirs.length > 0 ? { createdDirs } : {}),
      });
      return true;
    },
    async mkdir(p, opts: WriteOptions) {
      await requireRoot();
      const mode = opts.mode & 0o7777;
      const created = (await mkdirExact(real(p, true), mode)).map((d) => mapping.toHost(d));
      if (created.length > 0) mutations.push({ action: 'mkdir', path: abs(p), mode, created });
    },
    async remove(p) {
      const target = real(p, false);
      if (abs(p) === '/' || path.dirname(target) === target) throw errnoError('EPERM', 'rm', abs(p));
      const previous = await previousState(target);
      if (!previous.existed) return;
      // lstat said what it is: a symlink is unlinked, never followed; fs.rm does not follow links inside a tree.
      if (previous.kind === 'directory') fs.rmSync(target, { recursive: true, force: true });
      else fs.rmSync(target, { force: true });
      mutations.push({ action: 'remove', path: abs(p), previous });
    },
    realPath: (p) => real(p, false),
  };
}
