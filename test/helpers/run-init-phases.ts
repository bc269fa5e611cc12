// Runs some init phases directly (no CLI, no renderer) against a host, as `init phase …` would
// select them, with a fresh InitContext whose `selected` matches what runs.
import type { InitConfig } from '../../src/config/types.js';
import type { Host } from '../../src/host/host.js';
import { captureOutput, type CapturedOutput } from '../../src/output/output.js';
import type { InitContext, InitOptions } from '../../src/phases/init/context.js';
import type { Phase } from '../../src/workflow/phase.js';
import { selectPhases } from '../../src/workflow/select.js';
import { initContext } from './init-context.js';

export async function runInitPhases(
  tree: readonly Phase<InitContext>[], cfg: InitConfig, host: Host,
  opts: { only?: string; out?: CapturedOutput; options?: Partial<InitOptions> } = {},
): Promise<{ ctx: InitContext; out: CapturedOutput }> {
  const out = opts.out ?? captureOutput();
  const selection = selectPhases(tree, opts.only === undefined ? {} : { only: opts.only });
  const ctx = initContext(cfg, host, out, { selected: selection.run.map((p) => p.path), ...(opts.options ? { options: opts.options } : {}) });
  for (const placed of selection.run) await placed.phase.run?.(ctx);
  return { ctx, out };
}
