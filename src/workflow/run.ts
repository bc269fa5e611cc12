// Runs the selected phases in order. The runner decides (runIf, cancellation, error
// wrapping, timing); a renderer only shows the steps it is handed. kubeadm: Runner.Run.
import { PhaseError, TskubeadmError } from '../errors.js';
import type { Output } from '../output/output.js';
import type { PlacedPhase } from './phase.js';
import type { Selection } from './select.js';

/** 'verified': an earlier run finished it with the same inputs and its files are intact, so it was not run again. */
export type PhaseStatus = 'done' | 'skipped' | 'verified' | 'failed';

export interface PhaseTiming {
  readonly path: string;
  readonly status: PhaseStatus;
  readonly durationMs: number;
  /** Why it was skipped. */
  readonly reason?: string;
}

export interface StepOutcome {
  readonly status: 'done' | 'skipped' | 'verified';
  readonly durationMs: number;
  readonly reason?: string;
}

/** One phase as a renderer sees it. */
export interface PhaseStep {
  readonly path: string;
  readonly short: string;
  readonly depth: number;
  /** Runs the phase; rejects with a PhaseError (or the cancellation error). */
  readonly run: () => Promise<StepOutcome>;
}

/** Shows steps as they run: plain lines or a task list. It must run them in order and stop at the first failure. */
export interface PhaseRenderer {
  /** Where phases print while this renderer runs them; the context's `out`. */
  readonly out: Output;
  execute(steps: readonly PhaseStep[]): Promise<void>;
  /** A phase left out of this run by --skip-phases, skipPhases or `phase x` (called before execute). */
  leftOut?(path: string, reason: string): void;
}

export interface RunOptions<C = unknown> {
  readonly renderer: PhaseRenderer;
  /** Checked between phases; a phase in progress is not interrupted. */
  readonly signal?: AbortSignal;
  /** Monotonic milliseconds; injectable so tests do not depend on real time. */
  readonly now?: () => number;
  /** Called after each phase that ran, was skipped by its runIf or failed (before its failure propagates):
   *  init and join flush the host journal here. Its own failure fails the run, except after a failed phase,
   *  whose error is the one to show (the caller flushes again when the run ends). */
  readonly afterPhase?: (t: PhaseTiming) => Promise<void>;
  /** Asked before each phase would run (resumable init and join, src/resume): a reason means an earlier run finished
   *  it and it is not run again (status 'verified', reason shown). Also where a resumable run records the start. */
  readonly beforePhase?: (placed: PlacedPhase<C>) => Promise<{ readonly verified: string } | undefined>;
}

export interface RunReport {
  /** Every phase that was considered, in order: done, skipped by runIf, or failed. */
  readonly phases: readonly PhaseTiming[];
}

/** The run stopped because its signal was aborted (SIGINT, SIGTERM). 130 = 128 + SIGINT, as shells report. */
export class CancelledError extends TskubeadmError {
  constructor(beforePhase: string, cause: unknown) {
    super(`interrupted before phase ${beforePhase}; the phases before it completed`, {
      exitCode: 130,
      fix: 're-run the command; phases that completed are safe to run again',
      cause,
    });
  }
}
CancelledError.prototype.name = 'CancelledError';

export async function runPhases<C>(selection: Selection<C>, ctx: C, opts: RunOptions<C>): Promise<RunReport> {
  const now = opts.now ?? (() => performance.now());
  const phases: PhaseTiming[] = [];
  // Container phases (children only, no run) have nothing to show or time.
  const steps = selection.run
    .filter((p) => p.phase.run !== undefined)
    .map((placed): PhaseStep => ({
      path: placed.path,
      short: placed.phase.short,
      depth: placed.depth,
      run: () => runOne(placed, ctx, opts, now, phases),
    }));
  await opts.renderer.execute(steps);
  return { phases };
}

async function runOne<C>(
  placed: PlacedPhase<C>,
  ctx: C,
  opts: RunOptions<C>,
  now: () => number,
  record: PhaseTiming[],
): Promise<StepOutcome> {
  const { signal, afterPhase, beforePhase } = opts;
  if (signal?.aborted === true) throw new CancelledError(placed.path, signal.reason);
  const start = now();
  const { runIf, run } = placed.phase;
  let skipped = false;
  let verified: string | undefined;
  try {
    if (runIf !== undefined && !runIf(ctx)) skipped = true;
    else {
      verified = (await beforePhase?.(placed))?.verified;
      if (verified === undefined) await run?.(ctx);
    }
  } catch (err) {
    const timing = { path: placed.path, status: 'failed', durationMs: now() - start } as const;
    record.push(timing);
    // The phase's failure is what the user must see; the caller's own end-of-run flush reports its trouble.
    await afterPhase?.(timing).catch(() => {});
    throw new PhaseError(placed.path, err);
  }
  const outcome: StepOutcome = skipped
    ? { status: 'skipped', durationMs: now() - start, reason: 'its condition does not hold for this configuration' }
    : verified !== undefined
      ? { status: 'verified', durationMs: now() - start, reason: verified }
      : { status: 'done', durationMs: now() - start };
  const timing = { path: placed.path, ...outcome };
  record.push(timing);
  await afterPhase?.(timing);
  return outcome;
}

/** `12ms`, `1.25s`: short, for detail lines and task timers. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}
