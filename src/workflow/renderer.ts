// Picks how a run is shown: JSON events with --log-format json, else a task list on a
// terminal and plain kubeadm lines otherwise.
import { jsonRenderer } from './render-json.js';
import { plainRenderer } from './render-plain.js';
import { taskRenderer } from './render-tasks.js';
import type { PhaseRenderer } from './run.js';

export interface RendererChoice {
  readonly isTTY: boolean;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly verbosity: number;
  /** The terminal's width; unknown (or 0) on a pseudo-terminal without a size. */
  readonly columns?: number;
  /** --log-format; text when absent. */
  readonly logFormat?: 'text' | 'json';
}

/**
 * json wins even on a terminal: whoever asked for it reads lines. The task list needs a known width:
 * listr2 wraps at process.stdout.columns, and a pseudo-terminal without a size (`script`, `docker run -t`
 * in CI) reports 0, which wraps every character onto its own line. Such a terminal gets the plain lines.
 */
export function chooseRenderer(opts: RendererChoice): PhaseRenderer {
  if (opts.logFormat === 'json') return jsonRenderer(opts);
  return opts.isTTY && (opts.columns ?? 0) > 0 ? taskRenderer(opts) : plainRenderer(opts);
}
