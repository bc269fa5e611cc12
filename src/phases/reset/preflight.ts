// reset's preflight phase: only the privilege check, as kubeadm's RunRootCheckOnly.
// kubeadm: cmd/phases/reset/preflight.go. The "are you sure?" confirmation belongs to the
// reset command, which knows whether stdin is a terminal.
import { resetTarget } from '../../preflight/target.js';
import { runCheckSet } from '../../preflight/runner.js';
import type { Phase } from '../../workflow/phase.js';
import type { ResetContext } from './context.js';

export const preflight: Phase<ResetContext> = {
  name: 'preflight',
  short: 'Run reset pre-flight checks',
  long: 'Run pre-flight checks for tskubeadm reset.',
  example: '# Check that tskubeadm reset may run here.\ntskubeadm reset phase preflight',
  flags: ['ignore-preflight-errors', 'force', 'dry-run'],
  run: async (ctx) => {
    ctx.out.info('[preflight] Running pre-flight checks');
    const target = resetTarget(ctx.cfg, { dryRun: ctx.dryRun });
    await runCheckSet('root', { host: ctx.host, out: ctx.out, target, ignore: ctx.ignorePreflightErrors });
  },
};
