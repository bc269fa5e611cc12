// Reading and writing the host journal and the previous contents it keeps, through the host seam (so
// --rootfs applies). The journal is 0600 and its blobs too: a replaced file may have been a private key.
import type { Host } from '../host/host.js';
import { sha256Hex } from '../sha256.js';
import type { Output } from '../output/output.js';
import { progressPath } from '../resume/progress.js';
import {
  journalApiVersion, journalDir, journalKind, journalPath, previousDir, type HostJournal,
} from './journal.js';

const sha256Pattern = /^[0-9a-f]{64}$/;

/** The first thing wrong with a parsed journal, as `what (at a.b.0)`; undefined when it is one. By hand: zod
 *  belongs to the config loader (test/architecture.test.ts), and this shape is small. */
function journalProblem(j: unknown): string | undefined {
  type Check = (v: unknown) => string | undefined;
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const at = (key: string | number, c: Check): Check => (v) => {
    const p = c(obj(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[key] : undefined);
    return p === undefined ? undefined : p.includes(' (at ') ? p.replace(' (at ', ` (at ${key}.`) : `${p} (at ${key})`;
  };
  const all = (...cs: Check[]): Check => (v) => cs.reduce<string | undefined>((p, c) => p ?? c(v), undefined);
  const str: Check = (v) => (typeof v === 'string' ? undefined : 'expected a string');
  const abs: Check = (v) => (typeof v === 'string' && v.startsWith('/') ? undefined : 'expected an absolute path');
  const nat: Check = (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'expected a whole number');
  const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'expected true or false');
  const is = (...values: unknown[]): Check => (v) => (values.includes(v) ? undefined : `expected ${values.map((x) => JSON.stringify(x)).join(' or ')}`);
  const list = (c: Check): Check => (v) => {
    if (!Array.isArray(v)) return 'expected a list';
    for (const i of v.keys()) {
      const p = at(i, c)(v);
      if (p !== undefined) return p;
    }
    return undefined;
  };
  const record: Check = (v) => (obj(v) ? undefined : 'expected an object');
  const optional = (c: Check): Check => (v) => (v === undefined ? undefined : c(v));
  const previous: Check = (v) => {
    if (!obj(v)) return 'expected an object';
    if (v.existed === false) return undefined;
    return all(at('existed', is(true)), at('kind', is('file', 'directory', 'symlink', 'other')), at('mode', nat),
      at('blob', optional((b) => (typeof b === 'string' && sha256Pattern.test(b) ? undefined : 'expected a SHA-256'))))(v);
  };
  const entry: Check = (v) => {
    if (!obj(v)) return 'expected an object';
    const base = all(at('run', nat), at('action', is('write', 'mkdir', 'remove', 'exec')));
    switch (v.action) {
      case 'write':
        return all(base, at('path', abs), at('mode', nat), at('sha256', str), at('previous', previous), at('createdDirs', optional(list(abs))))(v);
      case 'mkdir':
        return all(base, at('path', abs), at('mode', nat), at('created', list(abs)))(v);
      case 'remove':
        return all(base, at('path', abs), at('previous', previous))(v);
      default:
        return all(base, at('argv', list(str)))(v);
    }
  };
  const snapshotDir: Check = all(record, at('exists', bool), at('entries', list(str)), at('truncated', bool), at('missingFrom', optional(abs)));
  const dirs: Check = (v) => {
    if (!obj(v)) return 'expected an object';
    for (const k of Object.keys(v)) {
      const p = at(k, snapshotDir)(v);
      if (p !== undefined) return p;
    }
    return undefined;
  };
  return all(
    record,
    at('apiVersion', is(journalApiVersion)),
    at('kind', is(journalKind)),
    at('runs', list(all(record, at('command', is('init', 'join')), at('startedAt', str), at('phases', list(str)), at('endedAt', optional(str))))),
    at('snapshot', all(record, at('takenAt', str), at('dirs', dirs), at('interfaces', list(str)))),
    at('entries', list(entry)),
  )(j);
}

/** The journal, or undefined when there is none; one warning and undefined when it cannot be used. */
export async function loadJournal(host: Host, out: Output): Promise<HostJournal | undefined> {
  const problem = (why: string) => {
    out.warn(`the host journal ${host.fs.realPath(journalPath)} ${why}: reset falls back to kubeadm's list`);
    return undefined;
  };
  let text: string | undefined;
  try {
    text = await host.fs.readText(journalPath);
  } catch (err) {
    return problem(`cannot be read (${(err as Error).message})`);
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return problem(`is not valid JSON (${(err as Error).message})`);
  }
  const wrong = journalProblem(json);
  if (wrong !== undefined) return problem(`is not a journal tskubeadm can use: ${wrong}`);
  const journal = json as HostJournal;
  const runCount = journal.runs.length;
  if (journal.entries.some((e) => e.run >= runCount)) return problem('names a run it does not hold');
  return journal;
}

/** Replaces the journal atomically (the host's write is temp file + rename), 0600 in a 0700 directory. */
export async function writeJournal(host: Host, journal: HostJournal): Promise<void> {
  await ensureJournalDir(host);
  await host.fs.write(journalPath, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
}

/** Keeps `content` under previousDir by its SHA-256 (hex), 0600; written once, whatever the number of runs. */
export async function storePrevious(host: Host, content: Buffer): Promise<string> {
  const hex = sha256Hex(content);
  const path = `${previousDir}/${hex}`;
  const existing = await host.fs.read(path);
  if (existing !== undefined && sha256Hex(existing) === hex) return hex;
  await ensureJournalDir(host);
  await host.fs.mkdir(previousDir, { mode: 0o700 });
  await host.fs.write(path, content, { mode: 0o600 });
  return hex;
}

/** A kept previous content, or undefined when it is missing or does not match its name (damaged). */
export async function readPrevious(host: Host, hex: string): Promise<Buffer | undefined> {
  // The name comes from a file on disk: only a SHA-256 is a path under previousDir.
  if (!sha256Pattern.test(hex)) return undefined;
  const content = await host.fs.read(`${previousDir}/${hex}`);
  return content !== undefined && sha256Hex(content) === hex ? content : undefined;
}

/** Removes the journal, its previous contents and the resume record (src/resume/progress.ts: a reset node starts
 *  over), and the journal's directory when nothing else is in it. */
export async function removeJournal(host: Host): Promise<void> {
  await host.fs.remove(journalPath);
  await host.fs.remove(progressPath);
  await host.fs.remove(previousDir);
  const left = await host.fs.list(journalDir);
  if (left !== undefined && left.length === 0) await host.fs.remove(journalDir);
}

async function ensureJournalDir(host: Host): Promise<void> {
  // Made apart from its parent, so only the journal's own directory is 0700.
  const parent = journalDir.slice(0, journalDir.lastIndexOf('/'));
  await host.fs.mkdir(parent, { mode: 0o755 });
  await host.fs.mkdir(journalDir, { mode: 0o700 });
}
