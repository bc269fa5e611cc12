// The TTY renderer: a listr2 task list, one task per phase, the phase's own lines shown
// as the task's output and its duration as the task timer. listr2 is imported only here,
// and only when a run starts on a terminal (its import is not free).
import { plainOutput, type Output } from '../output/output.js';
import type { PhaseRenderer } from './run.js';

export interface TaskRendererOptions {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly verbosity: number;
  /** Terminal width for wrapping task output; 80 when unknown. */
  readonly columns?: number;
}

export function taskRenderer(opts: TaskRendererOptions): PhaseRenderer {
  const plain = plainOutput(opts);
  // While a task runs, phase lines go to that task's output; outside a run, plain lines.
  let sink: ((text: string) => void) | undefined;
  const out: Output = {
    verbosity: opts.verbosity,
    info: (line) => (sink ? sink(line) : plain.info(line)),
    detail: (level, line) => {
      if (opts.verbosity < level) return;
      if (sink) sink(line);
      else plain.detail(level, line);
    },
    warn: (line) => (sink ? sink(line) : plain.warn(line)),
    print: (text) => (sink ? sink(text.replace(/\n$/, '')) : plain.print(text)),
  };

  return {
    out,
    async execute(steps) {
      if (steps.length === 0) return;
      const { Listr, ListrLogger, ProcessOutput, PRESET_TIMER, createWritable } = await import('listr2');
      // listr2 types these as process streams; a Writable with `columns` is all it uses.
      const columns = opts.columns !== undefined && opts.columns > 0 ? opts.columns : 80;
      const stdout = Object.assign(createWritable(opts.stdout), { columns }) as unknown as NodeJS.WriteStream;
      const stderr = Object.assign(createWritable(opts.stderr), { columns }) as unknown as NodeJS.WriteStream;
      const logger = new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(stdout, stderr) });
      const list = new Listr(
        steps.map((step) => ({
          title: `${step.path}: ${step.short}`,
          task: async (_ctx: unknown, task: { output: string; skip: (message?: string) => void }) => {
            sink = (text) => {
              task.output = text;
            };
            try {
              const outcome = await step.run();
              if (outcome.status === 'skipped') task.skip(`${step.path}: skipped (${outcome.reason ?? 'condition'})`);
              else if (outcome.status === 'verified') task.skip(`${step.path}: already done (${outcome.reason ?? 'earlier run'})`);
            } finally {
              sink = undefined;
            }
          },
          // Keep every line a phase printed (warnings matter) after the task ends.
          rendererOptions: { outputBar: Infinity, persistentOutput: true },
        })),
        {
          concurrent: false,
          exitOnError: true,
          // The CLI owns signals (it aborts between phases); listr2 must not install its own.
          registerSignalListeners: false,
          // Chosen explicitly: the task list on a terminal; listr2's plain fallback if the stream is not one.
          renderer: 'default',
          rendererOptions: { logger, timer: PRESET_TIMER, collapseErrors: false, showErrorMessage: true },
          fallbackRenderer: 'simple',
          fallbackRendererOptions: { logger, timer: PRESET_TIMER },
        },
      );
      await list.run();
    },
  };
}
