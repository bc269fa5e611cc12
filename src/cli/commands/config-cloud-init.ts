// `tskubeadm config cloud-init`: user-data that boots a machine into a cluster unattended.
// Only commander and types are imported at the top: the loader and renderer load in the action.
import { Command, Option } from 'commander';
import type { CliDeps } from '../deps.js';
import { UsageError } from '../../errors.js';
import { hostOf, outputOf, printWarnings } from '../command-io.js';
import { outputOption } from '../result-io.js';
import { documentFormats } from '../../output/result-format.js';

interface CloudInitOptions {
  readonly role?: string;
  readonly config?: string;
  readonly output: 'yaml' | 'json';
  readonly installFrom?: string;
  readonly installPath: string;
  readonly sentinel: string;
}

const defaultInstallPath = '/usr/local/bin/tskubeadm';
const defaultSentinel = '/run/tskubeadm/bootstrap-success.complete';

export function configCloudInitCommand(deps: CliDeps): Command {
  return new Command('cloud-init')
    .summary('Print cloud-init user-data that installs tskubeadm and runs init or join at first boot')
    .description(
      'Print a #cloud-config document for a machine that should become a cluster node with no one at the keyboard. ' +
        'It writes the configuration to /run/tskubeadm/kubeadm.yaml (mode 0600) and a bootstrap script that installs or checks ' +
        'tskubeadm, runs `tskubeadm init` (control-plane) or `tskubeadm join` (worker, control-plane-join) with --log-format json, ' +
        'and writes "success" to the sentinel file when it succeeds. On failure the console shows ' +
        '"tskubeadm bootstrap FAILED (exit N): see /var/log/tskubeadm-bootstrap.log" and the script exits N.\n\n' +
        'The --config file is checked first as the machine will read it (exit 3 on any problem). Without --config the role\'s ' +
        'defaults are used; for joins their discovery token and endpoint are placeholders you must replace.',
    )
    .addOption(new Option('--role <role>', 'What the machine becomes: control-plane (runs init), worker or control-plane-join (run join); required'))
    .option('--config <path>', 'The kubeadm config file the machine uses: Init/ClusterConfiguration for control-plane, JoinConfiguration for the others')
    .addOption(outputOption(documentFormats, 'yaml', 'yaml: the #cloud-config user-data; json: the same object as JSON for tooling (no #cloud-config line)'))
    .option('--install-from <url>', 'Download the tskubeadm executable from this https (or file) URL to --install-path at boot')
    .option('--install-path <path>', 'Where tskubeadm is on the machine; without --install-from it must already be there', defaultInstallPath)
    .option('--sentinel <path>', 'The file the machine writes "success" to once tskubeadm succeeded (as Cluster API\'s bootstrap-success.complete)', defaultSentinel)
    .action(async (opts: CloudInitOptions, cmd: Command) => {
      const { parseRole } = await import('../../cloud-init/roles.js');
      const role = parseRole(opts.role);
      const out = outputOf(deps, cmd);
      const binPath = absolutePath('--install-path', opts.installPath);
      const sentinelPath = absolutePath('--sentinel', opts.sentinel);
      const { checkInstallUrl } = await import('../../cloud-init/install-url.js');
      const install = opts.installFrom === undefined ? undefined : checkInstallUrl(opts.installFrom);
      const rc = await import('../../cloud-init/role-config.js');
      const host = hostOf(deps, cmd);
      const config =
        opts.config === undefined || opts.config === ''
          ? await rc.defaultRoleConfig(host, role)
          : await rc.roleConfigFromFile(host, role, opts.config);
      printWarnings(out, [...(install?.warning === undefined ? [] : [install.warning]), ...config.warnings]);
      const { renderUserData } = await import('../../cloud-init/user-data.js');
      deps.stdout(renderUserData({ role, config, binPath, installFrom: install?.url, sentinelPath }, opts.output));
    });
}

/** A path on the target machine: relative paths would depend on cloud-init's working directory. */
function absolutePath(flag: string, value: string): string {
  if (!value.startsWith('/') || value.endsWith('/') || value.includes('\n')) {
    throw new UsageError(`${flag} "${value}" is not an absolute file path`, { fix: `give ${flag} a path such as ${flag === '--sentinel' ? defaultSentinel : defaultInstallPath}` });
  }
  return value;
}
