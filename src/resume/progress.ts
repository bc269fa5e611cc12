// The record of a resumable init or join: which phases an earlier run on this host finished, with the hash of
// the inputs each used and the SHA-256 of every file each wrote, plus the values that run generated. A re-run
// reads it to skip what is done and intact (src/resume/tracker.ts). It lives beside the host journal, so the
// journal never records it and reset removes both.
import { journalDir } from '../journal/journal.js';
import type { Host } from '../host/host.js';
import { sha256Hex } from '../sha256.js';

export const progressPath = `${journalDir}/progress.json`;
export const progressApiVersion = 'tskubeadm.io/v1alpha1';
export const progressKind = 'Progress';

export type ResumableCommand = 'init' | 'join';

/** One phase as an earlier run left it. 'started': it began and did not finish (it failed, or the run died). */
export interface PhaseRecord {
  readonly state: 'started' | 'finished';
  /** SHA-256 (hex) of the phase's canonical inputs; empty when the phase declares no `resume`. */
  readonly inputHash: string;
  /** RFC 3339. */
  readonly finishedAt?: string;
  /** Every file the phase wrote, as a host path, with the SHA-256 (hex) of what it wrote. */
  readonly files: Readonly<Record<string, string>>;
}

/** Values an earlier run generated, reused so that a re-run prints the same join command. Never hashed. */
export interface GeneratedValues {
  readonly bootstrapToken?: string;
  /** RFC 3339: when that token's time to live, counted from the run that generated it, ends. A re-run after it
   *  generates a new token instead of bringing an expired one back to life. */
  readonly bootstrapTokenExpires?: string;
  readonly certificateKey?: string;
}

export interface Progress {
  readonly apiVersion: typeof progressApiVersion;
  readonly kind: typeof progressKind;
  readonly command: ResumableCommand;
  /** What makes this node this node of this cluster (identity.ts); another identity is a conflict. */
  readonly identity: Readonly<Record<string, string>>;
  readonly identityHash: string;
  readonly generated: GeneratedValues;
  readonly phases: Readonly<Record<string, PhaseRecord>>;
}

const hex64 = /^[0-9a-f]{64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown, value: (s: string) => boolean): boolean {
  return isObject(v) && Object.values(v).every((s) => typeof s === 'string' && value(s));
}

/** The first thing wrong with a parsed progress file; undefined when it is one. By hand, as the journal's check. */
export function progressProblem(p: unknown): string | undefined {
  if (!isObject(p)) return 'expected an object';
  if (p.apiVersion !== progressApiVersion || p.kind !== progressKind) return `expected apiVersion ${progressApiVersion}, kind ${progressKind}`;
  if (p.command !== 'init' && p.command !== 'join') return 'command must be init or join';
  if (!stringRecord(p.identity, () => true)) return 'identity must map names to strings';
  if (typeof p.identityHash !== 'string' || !hex64.test(p.identityHash)) return 'identityHash must be a SHA-256';
  const g = p.generated;
  if (!isObject(g) || Object.entries(g as Record<string, unknown>).some(([k, v]) => !['bootstrapToken', 'bootstrapTokenExpires', 'certificateKey'].includes(k) || typeof v !== 'string')) {
    return 'generated may hold only bootstrapToken, bootstrapTokenExpires and certificateKey strings';
  }
  if (!isObject(p.phases)) return 'phases must be an object';
  for (const [path, r] of Object.entries(p.phases)) {
    const where = ` (at phases.${path})`;
    if (!isObject(r)) return `expected an object${where}`;
    if (r.state !== 'started' && r.state !== 'finished') return `state must be started or finished${where}`;
    if (typeof r.inputHash !== 'string' || (r.inputHash !== '' && !hex64.test(r.inputHash))) return `inputHash must be a SHA-256${where}`;
    if (r.finishedAt !== undefined && typeof r.finishedAt !== 'string') return `finishedAt must be a string${where}`;
    if (!isObject(r.files) || !stringRecord(r.files, (s) => hex64.test(s)) || Object.keys(r.files).some((f) => !f.startsWith('/'))) {
      return `files must map absolute paths to SHA-256 hashes${where}`;
    }
  }
  return undefined;
}

/** The progress of an earlier run, or undefined when there is none. A file that cannot be used is one warning and
 *  a fresh start: it only saves work, so losing it must never stop a run. */
export async function loadProgress(host: Host, warn: (line: string) => void): Promise<Progress | undefined> {
  const fresh = (why: string): undefined => {
    warn(`[resume] ignoring ${host.fs.realPath(progressPath)}: ${why}; every phase runs again`);
    return undefined;
  };
  let text: string | undefined;
  try {
    text = await host.fs.readText(progressPath);
  } catch (err) {
    return fresh(`it cannot be read (${(err as Error).message})`);
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fresh(`it is not valid JSON (${(err as Error).message})`);
  }
  const problem = progressProblem(json);
  return problem === undefined ? (json as Progress) : fresh(`it is not a progress record tskubeadm can use: ${problem}`);
}

/** Replaces the file atomically (the host's write is temp file + fsync + rename), 0600 in a 0700 directory. */
/** The recorded files (path → SHA-256) that are still exactly as written: gone, unreadable or changed ones are left out. */
export async function intactFiles(host: Host, files: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const entries = await Promise.all(Object.entries(files).map(async ([p, h]) => {
    const content = await host.fs.read(p).catch(() => undefined);
    return [p, h, content === undefined ? undefined : sha256Hex(content)] as const;
  }));
  return Object.fromEntries(entries.filter(([, h, now]) => h === now).map(([p, h]) => [p, h]));
}

export async function writeProgress(host: Host, progress: Progress): Promise<void> {
  const parent = journalDir.slice(0, journalDir.lastIndexOf('/'));
  await host.fs.mkdir(parent, { mode: 0o755 });
  await host.fs.mkdir(journalDir, { mode: 0o700 });
  await host.fs.write(progressPath, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o600 });
}
