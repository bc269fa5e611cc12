// The file tree behind test/helpers/fake-host.ts: directories, files, symlinks and sockets with the
// semantics the host seam promises (lstat, symlinks resolved inside the tree, errno codes).
import path from 'node:path';
import type { Clock, FileInfo, PreviousState } from '../../src/host/host.js';
import type { FakeHostSpec } from './fake-host.js';
import { ancestors, errnoError, hostPath, pathParts, previousContentLimitBytes } from '../../src/host/host-path.js';

export type Node =
  | { kind: 'file'; content: Buffer; mode: number; mtimeMs: number }
  | { kind: 'directory'; mode: number; mtimeMs: number }
  | { kind: 'symlink'; target: string; mtimeMs: number }
  /** A listening unix socket: lstat says 'other', connectUnix answers. */
  | { kind: 'socket'; mode: number; mtimeMs: number };

export class FakeTree {
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
