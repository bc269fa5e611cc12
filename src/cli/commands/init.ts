// `tskubeadm init`: set up a control-plane node. kubeadm: cmd/init.go (newCmdInit, newInitData).
import { Command } from 'commander';
import { initFlags } from '../../config/flags.js';
import type { InitConfig } from '../../config/types.js';
import { parseResultFormat, resultFormats } from '../../output/result-format.js';
import { watchedDirs } from '../../journal/journal.js';
import type { Selection } from '../../workflow/select.js';
import type { InitContext } from '../../phases/init/context.js';
import { initPhases } from '../../phases/init/tree.js';
import { initOutputFlag, initPhaseOnlyFlags, lockTimeoutFlag } from '../command-flags.js';
import type { CliDeps } from '../deps.js';
import { printWarnings } from '../command-io.js';
import { cliFlags, configValues } from '../flag-options.js';
import { bindWorkflow, type WorkflowCall } from '../workflow-command.js';
import {
  enterDryRun, printPlan, runJournaled, selectForCall, setUpRun, stringFlag,
} from '../workflow-run.js';

export function initCommand(deps: CliDeps): Command {
  const cmd = new Command('init')
    .summary('Set up a Kubernetes control-plane node')
    .description('Set up this machine as the first node of a new Kubernetes control plane.');
  bindWorkflow(cmd, {
    tree: initPhases,
    flags: [...cliFlags(initFlags), initOutputFlag],
    phaseOnlyFlags: initPhaseOnlyFlags,
    runFlags: [lockTimeoutFlag],
    run: (call) => runInit(deps, call),
  });
  return cmd;
}

async function runInit(deps: CliDeps, call: WorkflowCall): Promise<void> {
  const output = parseResultFormat(call.set.output, resultFormats, 'text');
  // With -o json|yaml, stdout carries the result object only; progress lines go to stderr.
  const setup = setUpRun(deps, call, initPhases, output);
  const { out } = setup;
  const configPath = stringFlag(call.set.config);
  const { loadInitConfig } = await import('../../config/load.js');
  const { newCertificateKey } = await import('../../certs-admin/certificate-key.js');
  const loaded = await loadInitConfig({
    host: setup.host,
    ...(configPath === undefined ? {} : { configPath }),
    flags: configValues(call.set, call.flags),
  });
  printWarnings(out, loaded.warnings);
  const selection = selectForCall(initPhases, call, loaded.init.skipPhases, configPath);
  // A re-run of this node's init resumes it (src/resume): an earlier run of another setup stops here (exit 7), and
  // the token and certificate key it generated are reused, so the join command stays the same.
  const { startResume } = await import('../../resume/session.js');
  const { initIdentity } = await import('../../resume/identity.js');
  const { firstTokenGiven, withGeneratedToken } = await import('../../resume/generated.js');
  const resumeStart = await startResume(setup.host, (line) => out.warn(line), 'init', initIdentity(loaded));
  const earlierGenerated = resumeStart.earlier?.generated;
  const token = withGeneratedToken(loaded, earlierGenerated, await firstTokenGiven(setup.host, configPath, call.set.token), setup.host.clock.now());
  const uploadCerts = call.set['upload-certs'] === true;
  const cfg = withRunDecisions(token.cfg, selection, uploadCerts, () => earlierGenerated?.certificateKey ?? newCertificateKey());
  const generated = {
    ...earlierGenerated,
    ...(token.bootstrapToken === undefined ? {} : { bootstrapToken: token.bootstrapToken }),
    ...(token.bootstrapTokenExpires === undefined ? {} : { bootstrapTokenExpires: token.bootstrapTokenExpires }),
    ...(uploadCerts && loaded.init.certificateKey === '' ? { certificateKey: cfg.init.certificateKey } : {}),
  };
  const dryRun = cfg.init.dryRun;
  const dry = dryRun ? await enterDryRun(deps, setup.host, out, 'init') : undefined;
  // kubeadm prints this for the whole workflow only, not for `init phase …`.
  if (call.only === undefined) out.info(`[init] Using Kubernetes version: ${cfg.cluster.kubernetesVersion}`);

  const host = dry?.host ?? setup.host;
  const { createKeyPool, keyConcurrency } = await import('../../pki/key-pool.js');
  const { clusterKeyAlgorithm } = await import('../../pki/algorithms.js');
  const { patchLoader } = await import('../../patches/load-patches.js');
  const { apiConnector } = await import('../../api/connect.js');
  const kubeconfigDir = stringFlag(call.set['kubeconfig-dir']) ?? '/etc/kubernetes';
  const kubeconfigPath = stringFlag(call.set.kubeconfig) ?? `${kubeconfigDir}/admin.conf`;
  const ctx: InitContext = Object.freeze({
    cfg,
    host,
    out,
    dryRun,
    // The loader already holds the lower-cased union of the flag and the file.
    ignorePreflightErrors: new Set(cfg.init.nodeRegistration.ignorePreflightErrors),
    options: Object.freeze({
      uploadCerts: call.set['upload-certs'] === true,
      skipTokenPrint: call.set['skip-token-print'] === true,
      skipCertificateKeyPrint: call.set['skip-certificate-key-print'] === true,
      kubeconfigDir,
      kubeconfigPath,
      output,
    }),
    selected: new Set(selection.run.map((p) => p.path)),
    keys: createKeyPool(clusterKeyAlgorithm(cfg.cluster), keyConcurrency(host.system.cpuCount(), host.env)),
    loadedCAs: new Map(),
    startedAt: host.clock.now(),
    writtenTo: dry === undefined ? (p: string) => p : dry.writtenTo,
    patches: patchLoader(host, cfg.init.patches?.directory, out),
    api: (deps.connectApi ?? apiConnector)({
      host,
      out,
      dryRun,
      kubeconfigPath,
      superAdminKubeconfigPath: `${kubeconfigDir}/super-admin.conf`,
      timeoutMs: cfg.init.timeouts.kubernetesAPICallMs,
    }),
  });
  await runJournaled(deps, setup, selection, ctx, {
    command: 'init',
    watched: watchedDirs({ certificatesDir: cfg.cluster.certificatesDir, etcdDataDir: cfg.cluster.etcd.local?.dataDir }),
    resume: { ...resumeStart, generated },
    lockTimeout: call.set['lock-timeout'],
  });
  if (dry) await printPlan(out, setup.host, dry);
}

/**
 * What this run decides on top of the loaded config, as kubeadm's newInitData and ManageSkippedAddons do:
 * --upload-certs without a key gets a fresh one (upload-certs and the closing message share it), and a skipped
 * addon phase is recorded as disabled, so the ClusterConfiguration uploaded to the cluster says so.
 */
function withRunDecisions(cfg: InitConfig, selection: Selection<InitContext>, uploadCerts: boolean, newKey: () => string): InitConfig {
  const skipped = new Set(selection.skipped.map((s) => s.placed.path));
  const dnsDisabled = cfg.cluster.dns.disabled || skipped.has('addon/coredns');
  const proxyDisabled = cfg.cluster.proxy.disabled || skipped.has('addon/kube-proxy');
  const certificateKey = uploadCerts && cfg.init.certificateKey === '' ? newKey() : cfg.init.certificateKey;
  if (dnsDisabled === cfg.cluster.dns.disabled && proxyDisabled === cfg.cluster.proxy.disabled && certificateKey === cfg.init.certificateKey) return cfg;
  return Object.freeze({
    ...cfg,
    init: Object.freeze({ ...cfg.init, certificateKey }),
    cluster: Object.freeze({
      ...cfg.cluster,
      dns: Object.freeze({ ...cfg.cluster.dns, disabled: dnsDisabled }),
      proxy: Object.freeze({ ...cfg.cluster.proxy, disabled: proxyDisabled }),
    }),
  });
}
