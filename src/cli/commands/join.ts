// `tskubeadm join [api-server-endpoint]`: join this machine to a cluster. kubeadm: cmd/join.go.
import { Command } from 'commander';
import { joinFlags } from '../../config/flags.js';
import type { JoinContext } from '../../phases/join/context.js';
import { joinPhases } from '../../phases/join/tree.js';
import type { CliDeps } from '../deps.js';
import { printWarnings } from '../command-io.js';
import { cliFlags, configValues } from '../flag-options.js';
import { bindWorkflow, type WorkflowCall } from '../workflow-command.js';
import {
  enterDryRun, printPlan, runSelection, selectForCall, setUpRun, stringFlag,
} from '../workflow-run.js';

export function joinCommand(deps: CliDeps): Command {
  const cmd = new Command('join')
    .summary('Join this machine to an existing cluster')
    .description('Join this machine to an existing Kubernetes cluster, as a worker or as another control-plane node.');
  bindWorkflow(cmd, {
    tree: joinPhases,
    flags: cliFlags(joinFlags),
    argument: { name: 'api-server-endpoint', description: 'The API server of the cluster to join, host:port' },
    run: (call) => runJoin(deps, call),
  });
  return cmd;
}

async function runJoin(deps: CliDeps, call: WorkflowCall): Promise<void> {
  const setup = setUpRun(deps, call, joinPhases);
  const { out } = setup;
  const configPath = stringFlag(call.set.config);
  const endpoint = call.args[0];
  const { loadJoinConfig } = await import('../../config/load.js');
  const cfg = await loadJoinConfig({
    host: setup.host,
    ...(configPath === undefined ? {} : { configPath }),
    ...(endpoint === undefined ? {} : { endpoint }),
    flags: configValues(call.set, call.flags),
  });
  printWarnings(out, cfg.warnings);
  const selection = selectForCall(joinPhases, call, cfg.join.skipPhases, configPath);
  const dryRun = cfg.join.dryRun;
  const dry = dryRun ? await enterDryRun(deps, setup.host, out, 'join') : undefined;

  const ctx: JoinContext = Object.freeze({
    cfg,
    host: dry?.host ?? setup.host,
    out,
    dryRun,
    // The loader already holds the lower-cased union of the flag and the file.
    ignorePreflightErrors: new Set(cfg.join.nodeRegistration.ignorePreflightErrors),
  });
  await runSelection(deps, setup, selection, ctx);
  if (dry) await printPlan(out, setup.host, dry);
}
