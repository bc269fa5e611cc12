// Host journals for reset's tests, built by hand: a snapshot listed straight from the temp root, and the
// entries made from what a "run" did through a tempRootHost (its mutation record), with the replaced
// contents stored as blobs the way the journal keeps them. Independent of src/journal's recorder on purpose.
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Host, Mutation, PreviousState } from '../../src/host/host.js';
import {
  type HostJournal, type HostSnapshot, type JournalEntry, type JournalPrevious, journalApiVersion, journalDir, journalKind,
  journalPath, previousDir, type SnapshotDir,
} from '../../src/journal/journal.js';
import { tempRootHost } from '../helpers/temp-root.js';

export const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Writes a file under the root as someone other than tskubeadm would (not journaled). */
export async function put(root: string, p: string, content: string, mode = 0o644): Promise<void> {
  const real = path.join(root, p);
  await mkdir(path.dirname(real), { recursive: true });
  await writeFile(real, content);
  await chmod(real, mode);
}

export async function link(root: string, p: string, target: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, p)), { recursive: true });
  await symlink(target, path.join(root, p));
}

/** What the watched directories hold now, as the journal's first run would record it (links not followed). */
export async function snapshotOf(root: string, dirs: readonly string[], limit = 20_000): Promise<HostSnapshot> {
  const out: Record<string, SnapshotDir> = {};
  for (const dir of dirs) {
    const real = path.join(root, dir);
    const st = await lstat(real).catch(() => undefined);
    if (st === undefined || !st.isDirectory()) {
      out[dir] = { exists: false, entries: [], truncated: false };
      continue;
    }
    const entries: string[] = [];
    let truncated = false;
    const walk = async (rel: string): Promise<void> => {
      for (const name of (await readdir(path.join(real, rel))).sort()) {
        if (entries.length >= limit) {
          truncated = true;
          return;
        }
        const r = rel === '' ? name : `${rel}/${name}`;
        entries.push(r);
        if ((await lstat(path.join(real, r))).isDirectory()) await walk(r);
      }
    };
    await walk('');
    out[dir] = { exists: true, entries, truncated };
  }
  return { takenAt: '2025-01-01T00:00:00Z', dirs: out, interfaces: [] };
}

export const defaultWatched = ['/etc/kubernetes', '/var/lib/kubelet', '/etc/cni', '/var/lib/cni', '/var/lib/etcd'];

/**
 * Runs `fn` as an init would (every change through a fresh tempRootHost), then writes the journal of it under
 * the root — journal.json, the blobs, and the journal directories recorded as a 'mkdir' entry when it made them.
 */
export async function journaledRun(
  root: string, fn: (host: Host) => Promise<void>, o: { watched?: readonly string[]; snapshot?: HostSnapshot } = {},
): Promise<HostJournal> {
  const snapshot = o.snapshot ?? (await snapshotOf(root, o.watched ?? defaultWatched));
  const made: string[] = [];
  for (const d of ['/var', '/var/lib', journalDir, previousDir]) {
    if ((await lstat(path.join(root, d)).catch(() => undefined)) === undefined) made.push(d);
  }
  await mkdir(path.join(root, previousDir), { recursive: true });
  const host = tempRootHost(root);
  await fn(host);
  const entries: JournalEntry[] = [];
  const journalOwn = made.filter((d) => d !== previousDir && !d.startsWith(`${journalDir}/`));
  if (journalOwn.length > 0) entries.push({ run: 0, action: 'mkdir', path: journalDir, mode: 0o700, created: journalOwn });
  for (const m of host.mutations) entries.push(await entryOf(root, m));
  const journal: HostJournal = {
    apiVersion: journalApiVersion, kind: journalKind,
    runs: [{ command: 'init', startedAt: '2025-01-01T00:00:00Z', phases: ['all'] }],
    snapshot, entries,
  };
  await writeFile(path.join(root, journalPath), JSON.stringify(journal), { mode: 0o600 });
  return journal;
}

async function entryOf(root: string, m: Mutation): Promise<JournalEntry> {
  switch (m.action) {
    case 'write':
      return {
        run: 0, action: 'write', path: m.path, mode: m.mode, sha256: sha(await readFile(path.join(root, m.path))),
        previous: await previousOf(root, m.previous), ...(m.createdDirs ? { createdDirs: m.createdDirs } : {}),
      };
    case 'mkdir':
      return { run: 0, action: 'mkdir', path: m.path, mode: m.mode, created: m.created };
    case 'remove':
      return { run: 0, action: 'remove', path: m.path, previous: await previousOf(root, m.previous) };
    case 'exec':
      return { run: 0, action: 'exec', argv: m.argv };
  }
}

async function previousOf(root: string, p: PreviousState): Promise<JournalPrevious> {
  if (!p.existed) return { existed: false };
  if (p.content === undefined) return { existed: true, kind: p.kind, mode: p.mode };
  const blob = sha(p.content);
  await writeFile(path.join(root, previousDir, blob), p.content, { mode: 0o600 });
  return { existed: true, kind: p.kind, mode: p.mode, blob };
}
