// The resume tracker of one init or join run: asked before each phase whether an earlier run already finished it
// (same inputs, files intact: not run again), told after each phase what it wrote. The record is written when the
// caller flushes (runJournaled: after each top-level phase and after a failure, with the host journal: one fsync'ed
// write costs 0.8-16 ms, idle to busy disk, and certs + kubeconfig have 17 leaves); a phase's start is written at once only
// for the few phases whose half-done work preflight must recognise (startRecorded). A dry run never writes it.
import { journalDir } from '../journal/journal.js';
import type { Host, Mutation } from '../host/host.js';
import type { Output } from '../output/output.js';
import type { PlacedPhase } from '../workflow/phase.js';
import type { PhaseTiming } from '../workflow/run.js';
import { identityHash, type Identity } from './identity.js';
import { inputHashOf } from './inputs.js';
import {
  intactFiles, progressApiVersion, progressKind, writeProgress, type GeneratedValues, type PhaseRecord, type Progress, type ResumableCommand,
} from './progress.js';

/** Phases whose start is written before they run: each always writes a static Pod manifest that the next run's
 *  preflight checks, and a crash before the record is flushed must not make that preflight fail. (Not kubelet-start:
 *  join's refuses a taken node name before it writes anything, and must leave nothing behind.) */
export const startRecorded: ReadonlySet<string> = new Set([
  'etcd/local', 'control-plane/apiserver', 'control-plane/controller-manager', 'control-plane/scheduler',
  'control-plane-prepare/control-plane', 'etcd-join', 'control-plane-join/etcd',
]);

export interface ResumeTracker<C> {
  beforePhase(placed: PlacedPhase<C>): Promise<{ readonly verified: string } | undefined>;
  /** Records the phase in memory; flush writes it. */
  afterPhase(t: PhaseTiming): void;
  /** Writes the record when a phase was recorded since the last write (with the run's identity and generated
   *  values). A run that records nothing (preflight failed, `phase` of a skipped phase) writes nothing. No-op under
   *  dry-run. */
  flush(): Promise<void>;
}

interface Pending {
  readonly from: number;
  readonly inputHash: string;
  /** Files the earlier record holds that are still as written: kept when the phase reuses them. */
  readonly intact: Readonly<Record<string, string>>;
}

export interface TrackerOptions {
  readonly host: Host;
  readonly out: Output;
  readonly command: ResumableCommand;
  readonly identity: Identity;
  /** The record of an earlier run with this identity, if any. */
  readonly earlier: Progress | undefined;
  readonly generated: GeneratedValues;
  readonly dryRun: boolean;
}

/** Files written (last write wins) and not removed again since mutation `from`, outside the journal's directory. */
function writtenSince(mutations: readonly Mutation[], from: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of mutations.slice(from)) {
    if (m.action === 'exec' || m.path === journalDir || m.path.startsWith(`${journalDir}/`)) continue;
    if (m.action === 'write' && m.sha256 !== undefined) files[m.path] = m.sha256;
    else if (m.action === 'remove') delete files[m.path];
  }
  return files;
}

export function resumeTracker<C>(ctx: C, o: TrackerOptions): ResumeTracker<C> {
  const phases: Record<string, PhaseRecord> = { ...(o.earlier?.phases ?? {}) };
  const pending = new Map<string, Pending>();
  const { host, out } = o;
  const progress = (): Progress => ({
    apiVersion: progressApiVersion,
    kind: progressKind,
    command: o.command,
    identity: o.identity,
    identityHash: identityHash(o.identity),
    generated: o.generated,
    phases,
  });
  let dirty = false;
  // Said once, at the first phase not run again, so a quiet re-run still tells why it did so little.
  let announced = false;
  const flush = async () => {
    if (o.dryRun || !dirty) return;
    await writeProgress(host, progress());
    dirty = false;
  };
  return {
    flush,
    beforePhase: async (placed) => {
      const { path } = placed;
      const resume = placed.phase.resume;
      const earlier = phases[path];
      const inputHash = resume === undefined ? '' : await inputHashOf(resume, ctx);
      const intact = earlier === undefined ? {} : await intactFiles(host, earlier.files);
      const recorded = Object.keys(earlier?.files ?? {}).length;
      const allIntact = Object.keys(intact).length === recorded;
      if (resume !== undefined && earlier?.state === 'finished' && earlier.inputHash === inputHash && allIntact) {
        if (!announced) {
          announced = true;
          out.info(`[resume] Continuing the earlier tskubeadm ${o.command} on this node: phases it finished, with unchanged inputs and intact files, are not run again`);
        }
        return { verified: `finished by an earlier run; inputs unchanged, ${recorded} file${recorded === 1 ? '' : 's'} intact` };
      }
      if (resume !== undefined && earlier?.state === 'finished' && earlier.inputHash !== inputHash && earlier.inputHash !== '') {
        if (resume.replaceOnChange === true && Object.keys(intact).length > 0) {
          out.info(`[resume] ${path}: its inputs changed since the earlier run; replacing the ${Object.keys(intact).length} file(s) it wrote`);
          // Under --dry-run the host records the removal instead of making it.
          for (const p of Object.keys(intact)) await host.fs.remove(p);
          for (const p of Object.keys(intact)) delete intact[p];
        } else {
          out.detail(1, `[resume] ${path}: its inputs changed since the earlier run; running it again`);
        }
      }
      if (startRecorded.has(path)) {
        phases[path] = { state: 'started', inputHash: '', files: { ...(earlier?.files ?? {}) } };
        dirty = true;
        await flush();
      }
      pending.set(path, { from: host.mutations.length, inputHash, intact });
      return undefined;
    },
    afterPhase: (t) => {
      const p = pending.get(t.path);
      pending.delete(t.path);
      if (p === undefined || t.status === 'skipped' || t.status === 'verified') return;
      const wrote = writtenSince(host.mutations, p.from);
      const files = { ...p.intact, ...wrote };
      const hasResume = p.inputHash !== '';
      // Nothing to remember: a phase that wrote nothing and was never recorded (a failed check, a wait).
      if (Object.keys(wrote).length === 0 && phases[t.path] === undefined && (t.status === 'failed' || !hasResume)) return;
      if (t.status === 'failed') {
        phases[t.path] = { state: 'started', inputHash: '', files };
      } else {
        // Only files it can check make a phase verifiable: one that reused files it did not write (its record lost in a
        // crash, or the user's own) is recorded without an input hash and runs again next time.
        const inputHash = Object.keys(files).length > 0 ? p.inputHash : '';
        phases[t.path] = { state: 'finished', inputHash, finishedAt: host.clock.now().toISOString(), files };
      }
      dirty = true;
    },
  };
}
