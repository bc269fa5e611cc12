// `tskubeadm config …`: print defaults, migrate, validate, images list/pull — kubeadm's
// `config` subtree with its flags and messages. Only commander and types are imported here:
// the config modules (yaml, zod) load inside each action, so building the program stays cheap.
import { Command, Option } from 'commander';
import type { CliDeps } from '../deps.js';
import type { Host } from '../../host/host.js';
import type { FlagValues } from '../../config/flags.js';
import { UsageError } from '../../errors.js';
import { plainOutput, type Output } from '../../output/output.js';
import { globalsOf } from '../globals.js';

/** Builds the whole `config` command; the root program adds it and provides --rootfs and -v. */
export function configCommand(deps: CliDeps): Command {
  const config = new Command('config')
    .description('Manage configuration for a kubeadm cluster persisted in a ConfigMap in the cluster')
    .addOption(new Option('--kubeconfig <path>', 'Accepted for kubeadm compatibility; no config subcommand talks to the cluster').default('/etc/kubernetes/admin.conf'));
  config.addCommand(printCommand(deps));
  config.addCommand(migrateCommand(deps));
  config.addCommand(validateCommand(deps));
  config.addCommand(imagesCommand(deps));
  return config;
}

/** The host for this run, under --rootfs when the root program got one. */
function hostOf(deps: CliDeps, cmd: Command): Host {
  const { rootfs } = globalsOf(cmd);
  return deps.makeHost(rootfs === undefined ? {} : { rootfs });
}

function outputOf(deps: CliDeps, cmd: Command): Output {
  return plainOutput({ stdout: deps.stdout, stderr: deps.stderr, verbosity: globalsOf(cmd).verbosity });
}

function warnAll(out: Output, warnings: readonly string[]): void {
  for (const w of warnings) out.warn(`[config] WARNING: ${w}`);
}

const commaList = (value: string, previous: readonly string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter((s) => s !== ''),
];

function printCommand(deps: CliDeps): Command {
  const print = new Command('print')
    .summary('Print configuration')
    .description('This command prints configurations for subcommands provided.');
  const placeholderNote =
    'Note that sensitive values like the Bootstrap Token fields are replaced with placeholder values like ' +
    '"abcdef.0123456789abcdef" in order to pass validation but not perform the real computation for creating a token.';
  const action = (name: string) =>
    new Command(`${name}-defaults`)
      .summary(`Print default ${name} configuration, that can be used for 'tskubeadm ${name}'`)
      .description(`This command prints objects such as the default ${name} configuration that is used for 'tskubeadm ${name}'.\n\n${placeholderNote}`);

  print.addCommand(
    action('init')
      .option('--component-configs <kinds>', 'A comma-separated list for component config API objects to print the default values for. Available values: [KubeletConfiguration KubeProxyConfiguration]. If this flag is not set, no component configs will be printed.', commaList)
      .action(async (opts: { componentConfigs?: string[] }, cmd: Command) => {
        const pd = await import('../../config/print-defaults.js');
        const kinds = pd.parseComponentConfigKinds(opts.componentConfigs ?? []);
        const resolvConf = kinds.includes('KubeletConfiguration') ? await pd.detectResolvConf(hostOf(deps, cmd)) : undefined;
        deps.stdout(pd.printInitDefaults({ componentConfigs: kinds, ...(resolvConf === undefined ? {} : { resolvConf }) }));
      }),
  );
  print.addCommand(
    action('join').action(async (_opts: unknown, cmd: Command) => {
      const pd = await import('../../config/print-defaults.js');
      const hostname = hostOf(deps, cmd).system.hostname();
      if (hostname.trim() === '') throw new UsageError('empty hostname is invalid', { fix: 'give this machine a hostname' });
      deps.stdout(pd.printJoinDefaults({ nodeName: hostname }));
    }),
  );
  print.addCommand(
    action('reset').action(async () => {
      deps.stdout((await import('../../config/print-defaults.js')).printResetDefaults());
    }),
  );
  print.addCommand(
    action('upgrade').action(async () => {
      deps.stdout((await import('../../config/print-defaults.js')).printUpgradeDefaults());
    }),
  );
  return print;
}

function migrateCommand(deps: CliDeps): Command {
  return new Command('migrate')
    .summary('Read an older version of the kubeadm configuration API types from a file, and output the similar config object for the newer version')
    .description(
      'This command lets you convert configuration objects of older versions to the latest supported version, ' +
        'locally in the CLI tool without ever touching anything in the cluster.\n\n' +
        'The file is read, converted, defaulted and validated as init, join or reset would read it, and written as ' +
        'kubeadm.k8s.io/v1beta4. KubeletConfiguration, KubeProxyConfiguration and UpgradeConfiguration documents are ' +
        'kept as written (kubeadm drops them).',
    )
    .option('--old-config <path>', 'Path to the kubeadm config file that is using an old API version and should be converted. This flag is mandatory.')
    .option('--new-config <path>', 'Path to the resulting equivalent kubeadm config file using the new API version. Optional, if not specified output will be sent to STDOUT.')
    .option('--allow-experimental-api', 'Allow migration to experimental, unreleased APIs.', false)
    .action(async (opts: { oldConfig?: string; newConfig?: string }, cmd: Command) => {
      if (opts.oldConfig === undefined || opts.oldConfig === '') {
        throw new UsageError('the --old-config flag is mandatory', { fix: 'run: tskubeadm config migrate --old-config old.yaml [--new-config new.yaml]' });
      }
      const host = hostOf(deps, cmd);
      const { migrateConfig } = await import('../../config/migrate.js');
      const result = await migrateConfig({ host, oldConfigPath: opts.oldConfig });
      warnAll(outputOf(deps, cmd), result.warnings);
      if (opts.newConfig === undefined || opts.newConfig === '') {
        deps.stdout(result.text);
        return;
      }
      // 0600, not kubeadm's 0644: the output holds bootstrap token secrets.
      await host.fs.write(opts.newConfig, result.text, { mode: 0o600 });
    });
}

function validateCommand(deps: CliDeps): Command {
  return new Command('validate')
    .summary('Read a file containing the kubeadm configuration API and report any validation problems')
    .description(
      'This command lets you validate a kubeadm configuration API file and report any warnings and errors. ' +
        'If there are no errors the exit status will be zero, otherwise it will be non-zero. ' +
        'Any unmarshaling problems such as unknown API fields will trigger errors. Unknown API versions and ' +
        'fields with invalid values will also trigger errors. Any other errors or warnings may be reported ' +
        'depending on contents of the input file.',
    )
    .option('--config <path>', 'Path to a kubeadm configuration file.')
    .option('--allow-experimental-api', 'Allow validation of experimental, unreleased APIs.', false)
    .action(async (opts: { config?: string }, cmd: Command) => {
      if (opts.config === undefined || opts.config === '') {
        throw new UsageError('the --config flag is mandatory', { fix: 'run: tskubeadm config validate --config kubeadm.yaml' });
      }
      const { validateConfigFile } = await import('../../config/load.js');
      const { warnings } = await validateConfigFile({ host: hostOf(deps, cmd), configPath: opts.config });
      warnAll(outputOf(deps, cmd), warnings);
      deps.stdout('ok\n');
    });
}

/** Flags shared by `images list` and `images pull`, as kubeadm's AddImagesCommonConfigFlags. */
function withImageFlags(cmd: Command): Command {
  return cmd
    .option('--config <path>', 'Path to a kubeadm configuration file.')
    .option('--feature-gates <gates>', 'A set of key=value pairs that describe feature gates for various features.')
    .option('--image-repository <repo>', 'Choose a container registry to pull control plane images from (default "registry.k8s.io")')
    .option('--kubernetes-version <version>', 'Choose a specific Kubernetes version for the control plane. (default "stable-1", resolved offline)');
}

/** The flags the user actually typed, as the config loader wants them. */
function imageFlagValues(cmd: Command, names: readonly string[]): FlagValues {
  const out: Record<string, string> = {};
  for (const name of names) {
    const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = cmd.getOptionValue(key) as string | undefined;
    if (value !== undefined && cmd.getOptionValueSource(key) === 'cli') out[name] = value;
  }
  return out;
}

function imagesCommand(deps: CliDeps): Command {
  const images = new Command('images').description('Interact with container images used by kubeadm');
  images.addCommand(
    withImageFlags(new Command('list'))
      .description('Print a list of images kubeadm will use. The configuration file is used in case any images or image repositories are customized')
      .addOption(new Option('-o, --output <format>', 'Output format. One of: text|json|yaml.').default('text'))
      .action(async (opts: { config?: string; output: string }, cmd: Command) => {
        const { formatImages, parseImageOutputFormat } = await import('../../config/encode-images.js');
        const format = parseImageOutputFormat(opts.output);
        const { controlPlaneImages } = await import('../../config/images.js');
        const { loadInitConfig } = await import('../../config/load.js');
        const flags = imageFlagValues(cmd, ['feature-gates', 'image-repository', 'kubernetes-version']);
        const cfg = await loadInitConfig({ host: hostOf(deps, cmd), ...(opts.config === undefined ? {} : { configPath: opts.config }), flags });
        warnAll(outputOf(deps, cmd), cfg.warnings);
        deps.stdout(formatImages(controlPlaneImages(cfg.cluster), format));
      }),
  );
  images.addCommand(
    withImageFlags(new Command('pull'))
      .description('Pull images used by kubeadm')
      .option('--cri-socket <socket>', 'Path to the CRI socket to connect. If empty kubeadm will try to auto-detect this value; use this option only if you have more than one CRI installed or if you have non-standard CRI socket.')
      .action(async (opts: { config?: string }, cmd: Command) => {
        const img = await import('../../config/images.js');
        const { loadInitConfig } = await import('../../config/load.js');
        const host = hostOf(deps, cmd);
        const out = outputOf(deps, cmd);
        const flags = imageFlagValues(cmd, ['feature-gates', 'image-repository', 'kubernetes-version', 'cri-socket']);
        const cfg = await loadInitConfig({ host, ...(opts.config === undefined ? {} : { configPath: opts.config }), flags });
        warnAll(out, cfg.warnings);
        const nr = cfg.init.nodeRegistration;
        await img.pullImages(host, out, img.controlPlaneImages(cfg.cluster), {
          criSocket: nr.criSocket,
          policy: nr.imagePullPolicy,
          serial: nr.imagePullSerial,
        });
      }),
  );
  return images;
}
