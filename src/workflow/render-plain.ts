// The non-TTY renderer: phases print exactly their own lines (kubeadm style, greppable,
// nothing decorative); with -v >= 1 each phase adds a `[phase] <path> done in 12ms` line on stderr.
import { plainOutput } from '../output/output.js';
import { formatDuration, type PhaseRenderer } from './run.js';

export interface PlainRendererOptions {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly verbosity: number;
}

export function plainRenderer(opts: PlainRendererOptions): PhaseRenderer {
  const out = plainOutput(opts);
  return {
    out,
    async execute(steps) {
      for (const step of steps) {
        out.detail(2, `[phase] ${step.path} starting`);
        const outcome = await step.run();
        out.detail(
          1,
          outcome.status === 'done'
            ? `[phase] ${step.path} done in ${formatDuration(outcome.durationMs)}`
            : outcome.status === 'verified'
              ? `[phase] ${step.path} already done: ${outcome.reason ?? 'an earlier run finished it'}`
              : `[phase] ${step.path} skipped: ${outcome.reason ?? 'its condition does not hold'}`,
        );
      }
    },
  };
}
