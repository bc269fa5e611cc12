// `tskubeadm reset`: revert what init or join did to this host. kubeadm: cmd/reset.go and
// cmd/phases/reset/preflight.go (whose confirmation prompt lives here: only the command knows
// whether there is a terminal to ask on).
import { Command } from 'commander';
import { PhaseError, TskubeadmError, UsageError, exitCodes } from '../../errors.js';
import { resetFlags, type FlagValues } from '../../config/flags.js';
import type { Output } from '../../output/output.js';
import { formatResult, parseResultFormat, resultFormats } from '../../output/result-format.js';
import { createResetContext } from '../../phases/reset/reset-context.js';
import { resetPhases } from '../../phases/reset/tree.js';
import { lockTimeoutFlag, resetOutputFlag, resetShorts, resetYesFlag } from '../command-flags.js';
import type { CliDeps } from '../deps.js';
import { printWarnings } from '../command-io.js';
import { cliFlags, configValues } from '../flag-options.js';
import { bindWorkflow, type WorkflowCall } from '../workflow-command.js';
import {
  enterDryRun, printPlan, runSelection, selectForCall, setUpRun, stringFlag,
} from '../workflow-run.js';

export function resetCommand(deps: CliDeps): Command {
  const cmd = new Command('reset')
    .summary("Revert the changes 'tskubeadm init' or 'tskubeadm join' made to this host")
    .description("Revert the changes 'tskubeadm init' or 'tskubeadm join' made to this host: restore what they replaced, remove what they and the cluster created, keep what was there before, and report what is left.");
  bindWorkflow(cmd, {
    tree: resetPhases,
    flags: cliFlags(resetFlags, resetShorts),
    // -o is a run flag: every reset run, a single phase too, ends with the report.
    runFlags: [resetYesFlag, lockTimeoutFlag, resetOutputFlag],
    run: (call) => runReset(deps, call),
  });
  return cmd;
}

async function runReset(deps: CliDeps, call: WorkflowCall): Promise<void> {
  const output = parseResultFormat(call.set.output, resultFormats, 'text');
  const setup = setUpRun(deps, call, resetPhases, output);
  const { out } = setup;
  const configPath = stringFlag(call.set.config);
  const { loadResetConfig } = await import('../../config/load.js');
  const cfg = await loadResetConfig({
    host: setup.host,
    ...(configPath === undefined ? {} : { configPath }),
    flags: withYes(call, configValues(call.set, call.flags)),
  });
  const { withHostLock } = await import('../../lock/host-lock.js');
  const { lockTimeoutMs } = await import('../../lock/lock-timeout.js');
  const timeoutMs = lockTimeoutMs(call.set['lock-timeout']);
  printWarnings(out, cfg.warnings);

  const selection = selectForCall(resetPhases, call, cfg.reset.skipPhases, configPath);
  const dryRun = cfg.reset.dryRun;
  const force = cfg.reset.force;
  const dry = dryRun ? await enterDryRun(deps, setup.host, out, 'reset') : undefined;
  const ctx = createResetContext({
    cfg,
    host: dry?.host ?? setup.host,
    out,
    dryRun,
    options: { kubeconfigPath: stringFlag(call.set.kubeconfig) ?? '/etc/kubernetes/admin.conf' },
    ...(deps.connectApi === undefined ? {} : { connectApi: deps.connectApi }),
  });
  // The host lock (none under --dry-run: ctx.host is then the dry-run host) covers everything that reads or
  // changes the host, so reset never reads a journal an init is still writing.
  await withHostLock(ctx.host, { command: 'reset', timeoutMs, out, ...(deps.signal ? { signal: deps.signal } : {}) }, async () => {
    // kubeadm reads the cluster's configuration before it asks (newResetData), and the journal is read before
    // anything can change.
    await ctx.cluster();
    await ctx.journal();
    // kubeadm asks in its preflight phase only, so `reset phase cleanup-node` deletes without asking; here every run
    // that can change the host asks (or needs --force / --yes), whichever phases it runs. A dry run changes nothing.
    const first = selection.run[0]?.path;
    if (!force && !dryRun && first !== undefined) await confirmReset(deps, out, first, configPath !== undefined);

    await runSelection(deps, setup, selection, ctx);
  });
  if (dry) await printPlan(out, setup.host, dry);
  if (output !== 'text') out.print(await formatResult(ctx.report.data(), output));
  else printReport(out, ctx.report);
}

/** kubeadm ends with advice on what it did not clean; tskubeadm cleans it, and lists what it still left. */
function printReport(out: Output, report: ReturnType<typeof createResetContext>['report']): void {
  const { leftovers } = report;
  const verb = report.dryRun ? 'would leave' : 'left';
  if (leftovers.length === 0) {
    out.print(`\ntskubeadm reset ${verb} nothing behind that it could attribute to this cluster.\n`);
    return;
  }
  const lines = [`\ntskubeadm reset ${verb} ${leftovers.length === 1 ? 'this' : `these ${leftovers.length} things`} behind:`];
  for (const l of leftovers) {
    lines.push(`  - ${l.kind} ${l.item}: ${l.reason}`);
    if (l.fix !== undefined) lines.push(`      to remove it: ${l.fix}`);
  }
  out.print(`${lines.join('\n')}\n`);
}

/** --yes is --force under another name, and like --force it cannot be mixed with --config (the file says it). */
function withYes(call: WorkflowCall, flags: FlagValues): FlagValues {
  if (call.set.yes !== true) return flags;
  if (call.set.config !== undefined) {
    throw new UsageError("can not mix '--config' with arguments [yes]", {
      fix: 'set force: true in the ResetConfiguration instead, or drop --config',
    });
  }
  return { ...flags, force: true };
}

async function confirmReset(deps: CliDeps, out: { warn(line: string): void }, phase: string, withConfig: boolean): Promise<void> {
  out.warn("[reset] WARNING: Changes made to this host by 'tskubeadm init' or 'tskubeadm join' will be reverted.");
  // kubeadm refuses --force next to --config: the file must say it.
  const forceFix = withConfig ? 'set force: true in the ResetConfiguration (--force cannot be mixed with --config)' : 'pass --force (-f)';
  if (deps.confirm === undefined) {
    throw new PhaseError(
      phase,
      new UsageError('reset asks for confirmation, and there is no terminal to ask on', {
        fix: `${forceFix} to reset without a prompt`,
      }),
    );
  }
  if (!(await deps.confirm('[reset] Are you sure you want to proceed?'))) {
    throw new PhaseError(
      phase,
      new TskubeadmError("won't proceed; the user didn't answer (Y|y) in order to continue", {
        exitCode: exitCodes.generic,
        fix: `answer y to proceed, or ${forceFix}`,
      }),
    );
  }
}
