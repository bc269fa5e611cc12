// `tskubeadm config …`: print defaults, migrate, validate, images list/pull — kubeadm's
// `config` subtree with its flags and messages. Only commander and types are imported here:
// the config modules (yaml, zod) load inside each action, so building the program stays cheap.
import { Command, Option } from 'commander';
import type { CliDeps } from '../deps.js';
import { initFlags } from '../../config/flags.js';
import { cliFlags, configValues, setFlagsOf, toOptions, type CliFlag } from '../flag-options.js';
import { UsageError } from '../../errors.js';
import { hostOf, outputOf, printWarnings } from '../command-io.js';
import { documentFormats, resultFormats, type DataFormat, type ResultFormat } from '../../output/result-format.js';
import { outputOption, printResult, progressDeps } from '../result-io.js';
import { configCloudInitCommand } from './config-cloud-init.js';

/** Builds the whole `config` command; the root program adds it and provides --rootfs and -v. */
export function configCommand(deps: CliDeps): Command {
  const config = new Command('config')
    .description('Work with kubeadm configuration files: print defaults, validate, migrate, list and pull images')
    .addOption(new Option('--kubeconfig <path>', 'Accepted for kubeadm compatibility; no config subcommand talks to the cluster').default('/etc/kubernetes/admin.conf'));
  config.addCommand(printCommand(deps));
  config.addCommand(migrateCommand(deps));
  config.addCommand(validateCommand(deps));
  config.addCommand(imagesCommand(deps));
  config.addCommand(configCloudInitCommand(deps));
  return config;
}

const commaList = (value: string, previous: readonly string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter((s) => s !== ''),
];

function printCommand(deps: CliDeps): Command {
  const print = new Command('print')
    .summary('Print default configuration documents')
    .description('Print the configuration a command uses when a file sets nothing, as kubeadm.k8s.io/v1beta4 YAML.');
  const placeholderNote =
    'Values that would be secret or host-specific are placeholders: the token is "abcdef.0123456789abcdef", ' +
    'the node name "node" and the advertise address 1.2.3.4. The output is a valid starting point for a config file.';
  const action = (name: string) =>
    new Command(`${name}-defaults`)
      .summary(`Print the default configuration of 'tskubeadm ${name}'`)
      .description(`Print the configuration 'tskubeadm ${name}' uses when a config file sets nothing.\n\n${placeholderNote}`)
      .addOption(documentsOption());

  print.addCommand(
    action('init')
      .option('--component-configs <kinds>', 'Also print these component configs, comma-separated: KubeletConfiguration, KubeProxyConfiguration (none by default)', commaList)
      .action(async (opts: { componentConfigs?: string[]; output: DataFormat }, cmd: Command) => {
        const pd = await import('../../config/print-defaults.js');
        const kinds = pd.parseComponentConfigKinds(opts.componentConfigs ?? []);
        const resolvConf = kinds.includes('KubeletConfiguration') ? await pd.detectResolvConf(hostOf(deps, cmd)) : undefined;
        await printDocuments(deps, opts.output, pd.printInitDefaults({ componentConfigs: kinds, ...(resolvConf === undefined ? {} : { resolvConf }) }));
      }),
  );
  print.addCommand(
    action('join').action(async (opts: { output: DataFormat }, cmd: Command) => {
      const pd = await import('../../config/print-defaults.js');
      const hostname = hostOf(deps, cmd).system.hostname();
      if (hostname.trim() === '') throw new UsageError('empty hostname is invalid', { fix: 'give this machine a hostname' });
      await printDocuments(deps, opts.output, pd.printJoinDefaults({ nodeName: hostname }));
    }),
  );
  print.addCommand(
    action('reset').action(async (opts: { output: DataFormat }) => {
      await printDocuments(deps, opts.output, (await import('../../config/print-defaults.js')).printResetDefaults());
    }),
  );
  print.addCommand(
    action('upgrade').action(async (opts: { output: DataFormat }) => {
      await printDocuments(deps, opts.output, (await import('../../config/print-defaults.js')).printUpgradeDefaults());
    }),
  );
  return print;
}

/** config print and migrate print YAML documents: -o json prints them as one JSON array, in order. */
function documentsOption() {
  return outputOption(documentFormats, 'yaml', 'Output format: the YAML documents, or one JSON array holding them in order');
}

async function printDocuments(deps: CliDeps, format: DataFormat, yamlText: string): Promise<void> {
  const { formatDocuments } = await import('../../output/result-format.js');
  deps.stdout(await formatDocuments(yamlText, format));
}

function migrateCommand(deps: CliDeps): Command {
  return new Command('migrate')
    .summary('Rewrite a kubeadm.k8s.io/v1beta3 config file as v1beta4')
    .description(
      'Convert a config file written for an older API version to kubeadm.k8s.io/v1beta4. Runs locally; no cluster is contacted.\n\n' +
        'The file is read, converted, defaulted and validated as init, join or reset would read it, and written as ' +
        'kubeadm.k8s.io/v1beta4. KubeletConfiguration, KubeProxyConfiguration and UpgradeConfiguration documents are ' +
        'kept as written (kubeadm drops them).',
    )
    .option('--old-config <path>', 'The config file to convert (required)')
    .option('--new-config <path>', 'Where to write the converted file (mode 0600); standard output when not given')
    .option('--allow-experimental-api', 'Accepted for kubeadm compatibility; tskubeadm has no experimental API versions', false)
    .addOption(outputOption(documentFormats, 'yaml', 'Output format of what goes to standard output: the YAML documents, or one JSON array holding them in order'))
    .action(async (opts: { oldConfig?: string; newConfig?: string; output: DataFormat }, cmd: Command) => {
      if (opts.oldConfig === undefined || opts.oldConfig === '') {
        throw new UsageError('the --old-config flag is mandatory', { fix: 'run: tskubeadm config migrate --old-config old.yaml [--new-config new.yaml]' });
      }
      if (opts.output === 'json' && opts.newConfig !== undefined && opts.newConfig !== '') {
        throw new UsageError('-o json applies to standard output, and --new-config writes a file (always YAML)', {
          fix: 'drop -o json to write the file, or drop --new-config to print the documents as JSON',
        });
      }
      const host = hostOf(deps, cmd);
      const { migrateConfig } = await import('../../config/migrate.js');
      const result = await migrateConfig({ host, oldConfigPath: opts.oldConfig });
      printWarnings(outputOf(deps, cmd), result.warnings);
      if (opts.newConfig === undefined || opts.newConfig === '') {
        await printDocuments(deps, opts.output, result.text);
        return;
      }
      // 0600, not kubeadm's 0644: the output holds bootstrap token secrets.
      await host.fs.write(opts.newConfig, result.text, { mode: 0o600 });
    });
}

function validateCommand(deps: CliDeps): Command {
  return new Command('validate')
    .summary('Check a kubeadm config file without changing anything')
    .description(
      'Decode, default and validate a config file exactly as init, join and reset would, and print "ok". ' +
        'Every problem is reported at once with its file:line:column, document and field, and the command exits 3; ' +
        'warnings (deprecated API version, scheme-less criSocket…) go to standard error. Nothing is written.',
    )
    .option('--config <path>', 'The config file to check (required)')
    .option('--allow-experimental-api', 'Accepted for kubeadm compatibility; tskubeadm has no experimental API versions', false)
    .addOption(outputOption(resultFormats, 'text', 'Output format: "ok", or one ConfigValidation with the warnings'))
    .action(async (opts: { config?: string; output: ResultFormat }, cmd: Command) => {
      if (opts.config === undefined || opts.config === '') {
        throw new UsageError('the --config flag is mandatory', { fix: 'run: tskubeadm config validate --config kubeadm.yaml' });
      }
      const { validateConfigFile } = await import('../../config/load.js');
      const { configValidation } = await import('../../output/results.js');
      const configPath = opts.config;
      const { warnings } = await validateConfigFile({ host: hostOf(deps, cmd), configPath });
      printWarnings(outputOf(deps, cmd), warnings);
      await printResult(deps, opts.output, () => configValidation(configPath, warnings), () => 'ok\n');
    });
}

/** The init flags `images list` and `images pull` take (kubeadm's AddImagesCommonConfigFlags), from the one flag table. */
function imageFlags(names: readonly string[]): CliFlag[] {
  return cliFlags(initFlags).filter((f) => names.includes(f.name));
}

function withFlags(cmd: Command, flags: readonly CliFlag[]): Command {
  for (const f of flags) for (const o of toOptions(f)) cmd.addOption(o);
  return cmd;
}

function imagesCommand(deps: CliDeps): Command {
  const images = new Command('images').description('The container images a control-plane node runs');
  const listFlags = imageFlags(['config', 'feature-gates', 'image-repository', 'kubernetes-version']);
  const pullFlags = imageFlags(['config', 'cri-socket', 'feature-gates', 'image-repository', 'kubernetes-version']);
  images.addCommand(
    withFlags(new Command('list'), listFlags)
      .description('List the images a control-plane node needs, after any repository or tag overrides in the config file')
      .addOption(new Option('-o, --output <format>', 'text, json or yaml').default('text'))
      .action(async (opts: { config?: string; output: string }, cmd: Command) => {
        const { formatImages, parseImageOutputFormat } = await import('../../config/encode-images.js');
        const format = parseImageOutputFormat(opts.output);
        const { controlPlaneImages } = await import('../../config/images.js');
        const { loadInitConfig } = await import('../../config/load.js');
        const flags = configValues(setFlagsOf(cmd), listFlags);
        const cfg = await loadInitConfig({ host: hostOf(deps, cmd), ...(opts.config === undefined ? {} : { configPath: opts.config }), flags });
        printWarnings(outputOf(deps, cmd), cfg.warnings);
        deps.stdout(formatImages(controlPlaneImages(cfg.cluster), format));
      }),
  );
  images.addCommand(
    withFlags(new Command('pull'), pullFlags)
      .description('Pull the control-plane images through the container runtime (crictl), honouring imagePullPolicy')
      .addOption(outputOption(resultFormats, 'text', 'Output format: a line per image, or one ImagePull (the lines then go to standard error)'))
      .action(async (opts: { config?: string; output: ResultFormat }, cmd: Command) => {
        const img = await import('../../config/images.js');
        const { loadInitConfig } = await import('../../config/load.js');
        const progress = progressDeps(deps, opts.output);
        const host = hostOf(progress, cmd);
        const out = outputOf(progress, cmd);
        const flags = configValues(setFlagsOf(cmd), pullFlags);
        const cfg = await loadInitConfig({ host, ...(opts.config === undefined ? {} : { configPath: opts.config }), flags });
        printWarnings(out, cfg.warnings);
        const nr = cfg.init.nodeRegistration;
        const images = img.controlPlaneImages(cfg.cluster);
        await img.pullImages(host, out, images, {
          criSocket: nr.criSocket,
          policy: nr.imagePullPolicy,
          serial: nr.imagePullSerial,
        });
        if (opts.output === 'text') return;
        const { imagePull } = await import('../../output/results.js');
        await printResult(deps, opts.output, () => imagePull(nr.imagePullPolicy, images), () => '');
      }),
  );
  return images;
}
