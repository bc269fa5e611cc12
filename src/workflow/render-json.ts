// The --log-format json renderer: phase-start before a phase, then phase-finish, phase-skip or
// phase-error with its duration, one JSON line each on stderr; the lines a phase prints become
// `log` events in between. Used on a terminal too: a log shipper wants lines, not a task list.
import { errorInfo, eventSink, wholeMs } from '../output/log-event.js';
import { jsonLineOutput } from '../output/output.js';
import type { PhaseRenderer } from './run.js';

export interface JsonRendererOptions {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly verbosity: number;
  /** Wall clock for the events' time; the real one by default. */
  readonly now?: () => Date;
  /** Monotonic milliseconds, to time a phase that failed (the runner times the others). */
  readonly monotonicMs?: () => number;
}

export function jsonRenderer(opts: JsonRendererOptions): PhaseRenderer {
  const emit = eventSink(opts.stderr, opts.now);
  const monotonicMs = opts.monotonicMs ?? (() => performance.now());
  return {
    out: jsonLineOutput(opts),
    leftOut(phase, reason) {
      emit({ level: 'info', event: 'phase-skip', phase, reason, durationMs: 0 });
    },
    async execute(steps) {
      for (const step of steps) {
        const phase = step.path;
        emit({ level: 'info', event: 'phase-start', phase });
        const start = monotonicMs();
        let outcome;
        try {
          outcome = await step.run();
        } catch (err) {
          // The run's own error (run-finish) says it again; this one ties it to the phase and its time.
          emit({ level: 'error', event: 'phase-error', phase, durationMs: wholeMs(monotonicMs() - start), error: errorInfo(err, opts.verbosity) });
          throw err;
        }
        const durationMs = wholeMs(outcome.durationMs);
        if (outcome.status === 'skipped') {
          emit({ level: 'info', event: 'phase-skip', phase, reason: outcome.reason ?? 'its condition does not hold', durationMs });
        } else if (outcome.status === 'verified') {
          emit({ level: 'info', event: 'phase-finish', phase, status: 'verified', durationMs, reason: outcome.reason ?? 'an earlier run finished it' });
        } else {
          emit({ level: 'info', event: 'phase-finish', phase, status: 'done', durationMs });
        }
      }
    },
  };
}
