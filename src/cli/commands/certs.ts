// `tskubeadm certs …`: certificate-key, check-expiration, renew (one subcommand per certificate,
// plus `all`, as kubeadm) and generate-csr. Flags as kubeadm's, in our words. The configuration
// comes from --config or the defaults, never from the cluster (kubeadm first tries the
// kubeadm-config ConfigMap). Only commander, types and the pki tables load here; the work loads
// inside each action. kubeadm: cmd/certs.go.
import { Command, Option } from 'commander';
import { CertificateError, ConfigError } from '../../errors.js';
import type { AdminRun } from '../../certs-admin/target-files.js';
import { renewTargets, type RenewTarget } from '../../certs-admin/targets.js';
import type { CliDeps } from '../deps.js';
import { hostOf, loadPkiConfig, outputOf } from '../command-io.js';
import { resultFormats, type ResultFormat } from '../../output/result-format.js';
import { outputOption, printResult, progressDeps } from '../result-io.js';
import { lockTimeoutFlag } from '../command-flags.js';
import { toOptions } from '../flag-options.js';

const description = 'Check, renew and generate the certificates of a control plane, and make keys for --upload-certs';
const defaultCertDir = '/etc/kubernetes/pki';
const defaultKubeconfigDir = '/etc/kubernetes';

interface FileOptions {
  /** certs renew only: --lock-timeout. */
  readonly lockTimeout?: string;
  readonly certDir?: string;
  readonly config?: string;
  readonly kubeconfigDir?: string;
  /** -o where the command has it. */
  readonly output?: ResultFormat;
}

export function certsCommand(deps: CliDeps): Command {
  const certs = new Command('certs').alias('certificates').summary('Renew, check and request the certificates of a control plane').description(description);
  certs.addCommand(renewCommand(deps));
  certs.addCommand(checkExpirationCommand(deps));
  certs.addCommand(certificateKeyCommand(deps));
  certs.addCommand(generateCsrCommand(deps));
  certs.addCommand(caHashCommand(deps));
  return certs;
}

function withFileOptions(cmd: Command, opts: { kubeconfig: boolean }): Command {
  cmd
    .option('--cert-dir <string>', `The directory holding the certificates; overrides certificatesDir of --config (default ${defaultCertDir})`)
    .option('--config <string>', 'A kubeadm configuration file; its defaults are used when none is given')
    .option('--kubeconfig-dir <string>', `The directory holding the kubeconfig files (default ${defaultKubeconfigDir})`);
  if (opts.kubeconfig) {
    cmd.addOption(new Option('--kubeconfig <string>', 'Accepted for kubeadm compatibility: the configuration is read from --config or the defaults, never from the cluster ' +
      '(default /etc/kubernetes/admin.conf)'));
  }
  return cmd;
}

/** The run context of renew and check-expiration: the cluster settings, and --cert-dir over them. */
async function adminRun(given: CliDeps, cmd: Command, opts: FileOptions): Promise<AdminRun> {
  // With -o json|yaml, progress lines go to stderr: stdout carries the result only.
  const deps = progressDeps(given, opts.output ?? 'text');
  const host = hostOf(deps, cmd);
  const out = outputOf(deps, cmd);
  let cluster;
  if (opts.config !== undefined && opts.config !== '') {
    cluster = (await loadPkiConfig(host, out, opts.config)).cluster;
  } else {
    cluster = (await import('../../config/default-configs.js')).defaultClusterConfiguration();
  }
  return {
    host,
    out,
    certificatesDir: opts.certDir ?? cluster.certificatesDir,
    kubeconfigDir: opts.kubeconfigDir ?? defaultKubeconfigDir,
    cluster,
    now: host.clock.now(),
  };
}

function renewCommand(deps: CliDeps): Command {
  const renew = new Command('renew')
    .summary('Renew certificates of the control plane with their local CA')
    .description('Renew certificates of the control plane with their local CA: one certificate by name, or all of them.');
  const subcommands: Command[] = [];
  // One subcommand per certificate the default cluster has (kubeadm builds them from an empty config).
  for (const target of renewTargets()) {
    subcommands.push(withFileOptions(new Command(target.name), { kubeconfig: true })
      .summary(`Renew the ${target.longName}`)
      .description(renewLong(`the ${target.longName}`))
      .action(async (opts: FileOptions, cmd: Command) => {
        const run = await adminRun(deps, cmd, opts);
        const wanted = renewTargets(run.cluster).find((t) => t.name === target.name);
        if (wanted === undefined) {
          throw new ConfigError(`${target.name} is not used by this cluster: its configuration has an external etcd`, {
            fix: 'the certificates of an external etcd are renewed by whoever runs that etcd',
          });
        }
        await runRenew(deps, run, [wanted], false, opts);
      }));
  }
  subcommands.push(withFileOptions(new Command('all'), { kubeconfig: true })
    .summary('Renew every certificate of the control plane')
    .description(renewLong('every certificate the control plane uses and the client certificates of admin.conf, super-admin.conf, controller-manager.conf and scheduler.conf', true) +
      '\n\nA missing file is reported and skipped; a certificate that cannot be renewed (its CA is external) is reported, ' +
      'the others are renewed, and the command then fails naming it.')
    .action(async (opts: FileOptions, cmd: Command) => {
      const run = await adminRun(deps, cmd, opts);
      await runRenew(deps, run, renewTargets(run.cluster), true, opts);
    }));
  // renew changes the PKI init and join write: it holds the host lock (beyond kubeadm).
  for (const c of subcommands) for (const o of toOptions(lockTimeoutFlag)) c.addOption(o);
  for (const c of subcommands) c.addOption(outputOption(resultFormats, 'text', 'Output format: progress lines, or one CertificateRenewal'));
  // Listed by name, as kubeadm (cobra) lists them.
  for (const c of subcommands.sort((a, b) => a.name().localeCompare(b.name()))) renew.addCommand(c);
  return renew;
}

async function runRenew(deps: CliDeps, run: AdminRun, targets: readonly RenewTarget[], all: boolean, opts: FileOptions): Promise<void> {
  const { renew } = await import('../../certs-admin/renew.js');
  const { withHostLock } = await import('../../lock/host-lock.js');
  const { lockTimeoutMs } = await import('../../lock/lock-timeout.js');
  const lock = { command: 'certs renew', timeoutMs: lockTimeoutMs(opts.lockTimeout), out: run.out, ...(deps.signal ? { signal: deps.signal } : {}) };
  const since = run.host.mutations.length;
  await withHostLock(run.host, lock, () => renew(run, targets, { all }));
  const format = opts.output ?? 'text';
  if (format === 'text') return;
  const { renewalResult } = await import('./certs-results.js');
  const result = await renewalResult(run, targets, since);
  await printResult(deps, format, () => result, () => '');
}

function renewLong(what: string, plural = false): string {
  return `Renew ${what} by signing ${plural ? 'new certificates' : 'a new certificate'} with the local CA, whatever the expiry date.\n\n` +
    'The private key is kept, and so are the subject, the Subject Alternative Names and the key usages of the existing ' +
    'certificate: nothing needs to be given again. The new certificate starts now (backdated 5 minutes) and lasts ' +
    'certificateValidityPeriod (1 year by default), never beyond its CA. A certificate whose CA key is not on this ' +
    'machine (an external CA) cannot be renewed here.\n\n' +
    'The command ends by naming the static pods that must restart to load what was renewed; copies of the files kept elsewhere must be refreshed too.';
}

function checkExpirationCommand(deps: CliDeps): Command {
  return withFileOptions(new Command('check-expiration'), { kubeconfig: true })
    .summary('Show when each certificate of the control plane expires')
    .description('Show when each certificate of the local PKI and each client certificate embedded in a kubeconfig file expires, ' +
      'how long it has left, which CA signed it and whether that CA is external (its key absent, so renew cannot renew it), ' +
      'then the same for the CAs. Anything expired or expiring within 30 days is also warned about on standard error.')
    .addOption(new Option('-o, --output <format>', 'Output format').choices(['text', 'json', 'yaml']).default('text'))
    .action(async (opts: FileOptions & { output: 'text' | 'json' | 'yaml' }, cmd: Command) => {
      const run = await adminRun(deps, cmd, opts);
      const { expirationInfo, expiryWarnings } = await import('../../certs-admin/expiration.js');
      const { formatExpiration } = await import('../../certs-admin/expiration-output.js');
      const info = await expirationInfo(run);
      // The result to the real stdout: with -o json|yaml the run's own output is stderr.
      deps.stdout(formatExpiration(info, opts.output));
      for (const w of expiryWarnings(info)) run.out.warn(w);
    });
}

function certificateKeyCommand(deps: CliDeps): Command {
  return new Command('certificate-key')
    .summary('Print a new key for --upload-certs')
    .description('Print a new random key (32 bytes as 64 hex characters) for "tskubeadm init --upload-certs --certificate-key", ' +
      'which encrypts the control-plane certificates uploaded to the cluster. Without one, init --upload-certs makes and prints its own.')
    .addOption(outputOption(resultFormats, 'text', 'Output format: the key alone, or one CertificateKey'))
    .action(async (opts: { output: ResultFormat }) => {
      const { newCertificateKey } = await import('../../certs-admin/certificate-key.js');
      const { certificateKey } = await import('../../output/results.js');
      const key = newCertificateKey();
      await printResult(deps, opts.output, () => certificateKey(key), () => `${key}\n`);
    });
}

function generateCsrCommand(deps: CliDeps): Command {
  return withFileOptions(new Command('generate-csr'), { kubeconfig: false })
    .summary('Write keys and certificate signing requests for an external CA')
    .description('Write a new private key and a certificate signing request (CSR) for every certificate the control plane needs ' +
      '(<name>.key and <name>.csr under --cert-dir), and for every kubeconfig file a kubeconfig holding only its client key ' +
      'plus <file>.csr (under --kubeconfig-dir). The subjects and SANs come from --config (or the defaults for this machine).\n\n' +
      'Have your CA sign the requests, then put each certificate beside its key as <name>.crt, and for a kubeconfig add it, ' +
      'base64-encoded, as users[].user.client-certificate-data. Existing files are never overwritten: the command writes nothing ' +
      'if any of them is already there.')
    .addHelpText('after', '\nExamples:\n  tskubeadm certs generate-csr --kubeconfig-dir /tmp/etc-k8s --cert-dir /tmp/etc-k8s/pki\n')
    .addOption(outputOption(resultFormats, 'text', 'Output format: progress lines, or one CertificateRequests listing the files written'))
    .action(async (opts: FileOptions & { output: ResultFormat }, cmd: Command) => {
      const progress = progressDeps(deps, opts.output);
      const host = hostOf(progress, cmd);
      const out = outputOf(progress, cmd);
      const cfg = await loadPkiConfig(host, out, opts.config);
      const { generateCsrs } = await import('../../certs-admin/generate-csr.js');
      const dirs = { certificatesDir: opts.certDir ?? cfg.cluster.certificatesDir, kubeconfigDir: opts.kubeconfigDir ?? defaultKubeconfigDir };
      const since = host.mutations.length;
      await generateCsrs({ host, out, ...dirs, cfg, now: host.clock.now() });
      if (opts.output === 'text') return;
      const { writtenSince } = await import('./certs-results.js');
      const { certificateRequests } = await import('../../output/results.js');
      await printResult(deps, opts.output, () => certificateRequests({ ...dirs, files: writtenSince(host, since) }), () => '');
    });
}

function caHashCommand(deps: CliDeps): Command {
  return new Command('ca-hash')
    .summary('Print the CA public key pin for --discovery-token-ca-cert-hash')
    .description('Print the value "tskubeadm join" (and kubeadm join) takes as --discovery-token-ca-cert-hash: "sha256:" and the ' +
      'SHA-256 of the CA certificate\'s public key (not of the file, which is what sha256sum would hash). One line per certificate ' +
      `in the file; the file is ca.crt under --cert-dir (default ${defaultCertDir}) unless one is named.`)
    .argument('[file]', 'a PEM file holding the CA certificate(s)')
    .option('--cert-dir <string>', `The directory holding ca.crt (default ${defaultCertDir})`)
    .addOption(outputOption(resultFormats, 'text', 'Output format: one pin per line, or one CACertHashes'))
    .addHelpText('after', '\nExamples:\n  tskubeadm certs ca-hash\n  tskubeadm certs ca-hash /etc/kubernetes/pki/ca.crt\n')
    .action(async (file: string | undefined, opts: { certDir?: string; output: ResultFormat }, cmd: Command) => {
      const host = hostOf(deps, cmd);
      const { certPath, readCertificateFile } = await import('../../pki-files/pki-files.js');
      const path = file ?? certPath(opts.certDir ?? defaultCertDir, 'ca');
      const { publicKeyPin } = await import('../../pki/ca-hash.js');
      const found = await readCertificateFile(host, path);
      if (found === undefined) {
        throw new CertificateError(path, `${path} does not exist`, { fix: 'name the CA certificate file, or point --cert-dir at the directory that holds ca.crt' });
      }
      const pins = [found.leaf, ...found.intermediates].map((c) => publicKeyPin(c));
      const { caCertHashes } = await import('../../output/results.js');
      await printResult(deps, opts.output, () => caCertHashes(path, pins), () => pins.map((p) => `${p}\n`).join(''));
    });
}

