// Picks how a run is shown: a task list on a terminal, plain kubeadm lines otherwise.
import { plainRenderer } from './render-plain.js';
import { taskRenderer } from './render-tasks.js';
import type { PhaseRenderer } from './run.js';

export interface RendererChoice {
  readonly isTTY: boolean;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly verbosity: number;
  readonly columns?: number;
}

export function chooseRenderer(opts: RendererChoice): PhaseRenderer {
  return opts.isTTY ? taskRenderer(opts) : plainRenderer(opts);
}
