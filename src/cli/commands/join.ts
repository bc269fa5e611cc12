// `tskubeadm join [api-server-endpoint]`: join this machine to a cluster. kubeadm: cmd/join.go.
import { Command } from 'commander';
import { joinFlags } from '../../config/flags.js';
import { UsageError } from '../../errors.js';
import { watchedDirs } from '../../journal/journal.js';
import type { JoinContext } from '../../phases/join/context.js';
import { joinPhases } from '../../phases/join/tree.js';
import type { CliDeps } from '../deps.js';
import { printWarnings } from '../command-io.js';
import { joinOutputFlag, lockTimeoutFlag } from '../command-flags.js';
import { parseResultFormat, resultFormats } from '../../output/result-format.js';
import { cliFlags, configValues } from '../flag-options.js';
import { bindWorkflow, type WorkflowCall } from '../workflow-command.js';
import {
  enterDryRun, printPlan, runJournaled, selectForCall, setUpRun, stringFlag,
} from '../workflow-run.js';

export function joinCommand(deps: CliDeps): Command {
  const cmd = new Command('join')
    .summary('Join this machine to an existing cluster')
    .description('Join this machine to an existing Kubernetes cluster, as a worker or as another control-plane node.');
  bindWorkflow(cmd, {
    tree: joinPhases,
    flags: [...cliFlags(joinFlags), joinOutputFlag],
    runFlags: [lockTimeoutFlag],
    argument: { name: 'api-server-endpoint', description: 'The API server of the cluster to join, host:port' },
    run: (call) => runJoin(deps, call),
  });
  return cmd;
}

/** Control-plane-only flags without --control-plane: kubeadm warns and joins a worker anyway; we refuse. */
function checkFlagCombination(call: WorkflowCall): void {
  if (call.set['control-plane'] === true || call.set.config !== undefined) return;
  const cpOnly = ['certificate-key', 'apiserver-advertise-address', 'apiserver-bind-port'].filter((f) => call.set[f] !== undefined);
  if (cpOnly.length > 0) {
    throw new UsageError(`${cpOnly.map((f) => `--${f}`).join(', ')} ${cpOnly.length === 1 ? 'applies' : 'apply'} only to a control-plane join`, {
      fix: 'add --control-plane to join as a control-plane node, or drop those flags to join as a worker',
    });
  }
}

async function runJoin(deps: CliDeps, call: WorkflowCall): Promise<void> {
  checkFlagCombination(call);
  const output = parseResultFormat(call.set.output, resultFormats, 'text');
  // With -o json|yaml, stdout carries the JoinResult only; progress lines go to stderr.
  const setup = setUpRun(deps, call, joinPhases, output);
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
  // A re-run of this node's join resumes it (src/resume); an earlier run of another setup stops here (exit 7).
  const { startResume } = await import('../../resume/session.js');
  const { joinIdentity } = await import('../../resume/identity.js');
  const resumeStart = await startResume(setup.host, (line) => out.warn(line), 'join', joinIdentity(cfg));
  const dryRun = cfg.join.dryRun;
  const dry = dryRun ? await enterDryRun(deps, setup.host, out, 'join') : undefined;

  const host = dry?.host ?? setup.host;
  const { keyConcurrency } = await import('../../pki/key-pool.js');
  const { patchLoader } = await import('../../patches/load-patches.js');
  const { createJoinContext } = await import('../../phases/join/join-context.js');
  const ctx: JoinContext = createJoinContext({
    cfg,
    host,
    out,
    dryRun,
    selected: new Set(selection.run.map((p) => p.path)),
    options: { replaceStaleMember: call.set['replace-stale-member'] === true, resuming: resumeStart.earlier !== undefined },
    ...(dry === undefined ? {} : { writtenTo: dry.writtenTo }),
    patches: patchLoader(host, cfg.join.patches?.directory, out),
    keyConcurrency: keyConcurrency(host.system.cpuCount(), host.env),
    ...(deps.connectApi === undefined ? {} : { connectApi: deps.connectApi }),
  });
  // The cluster's certificatesDir and etcd dataDir are known only after discovery, and the snapshot must be
  // taken before any phase runs: kubeadm's defaults, which is where a join writes unless the cluster says otherwise.
  await runJournaled(deps, setup, selection, ctx, {
    command: 'join',
    watched: watchedDirs({ certificatesDir: '/etc/kubernetes/pki', etcdDataDir: '/var/lib/etcd' }),
    resume: { ...resumeStart, generated: resumeStart.earlier?.generated ?? {} },
    lockTimeout: call.set['lock-timeout'],
  });
  if (dry) await printPlan(out, setup.host, dry);
  // kubeadm prints it after the whole workflow only, never after `join phase …`.
  if (call.only === undefined) {
    const { controlPlaneDoneMessage, workerDoneMessage } = await import('../../phases/join/done-message.js');
    const localEtcd = cfg.join.controlPlane === undefined ? undefined : (await ctx.cluster()).cluster.etcd.external === undefined;
    if (output !== 'text') {
      const { joinResultOf } = await import('./join-result.js');
      const { formatResult } = await import('../../output/result-format.js');
      out.print(await formatResult(await joinResultOf(ctx, { ...(localEtcd === undefined ? {} : { localEtcd }) }), output));
      return;
    }
    const message = localEtcd === undefined
      ? workerDoneMessage()
      : controlPlaneDoneMessage({ adminKubeconfigPath: `${ctx.options.kubeconfigDir}/admin.conf`, localEtcd });
    out.print(message);
  }
}
