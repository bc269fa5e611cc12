// `tskubeadm kubeconfig user`: print a kubeconfig for another user, signed by this node's cluster
// CA or carrying a token. kubeadm: cmd/kubeconfig.go. Only commander and types load here; the
// config loader and the PKI code load inside the action.
import { Command } from 'commander';
import { parseGoDuration } from '../../config/duration.js';
import { UsageError } from '../../errors.js';
import type { CliDeps } from '../deps.js';
import { toOptions, type CliFlag } from '../flag-options.js';
import { hostOf, loadPkiConfig, outputOf } from '../command-io.js';
import { documentFormats, type DataFormat } from '../../output/result-format.js';
import { outputOption } from '../result-io.js';

const defaultValidity = '8760h0m0s';

const flag = (name: string, kind: CliFlag['kind'], description: string, defaultText?: string): CliFlag => ({
  name, kind, description, allowedWithConfig: true, target: 'command', ...(defaultText === undefined ? {} : { defaultText }),
});

const userFlags: readonly CliFlag[] = [
  flag('client-name', 'string', 'The user name: the CommonName of its client certificate (required)'),
  flag('config', 'string', 'Path to a kubeadm configuration file (the one init used: cluster name, certificatesDir, endpoint)'),
  flag('org', 'list', 'Organizations (groups) of the client certificate; repeat the flag or separate with commas'),
  flag('token', 'string', 'Authenticate with this bearer token instead of a client certificate'),
  flag('validity-period', 'string', 'How long the client certificate is valid, from now (a Go duration)', defaultValidity),
];

export function kubeconfigCommand(deps: CliDeps): Command {
  const cmd = new Command('kubeconfig').description('Kubeconfig file utilities: print a kubeconfig for an additional user');
  cmd.addCommand(userCommand(deps));
  return cmd;
}

interface UserOptions {
  config?: string;
  clientName?: string;
  org?: string[];
  token?: string;
  validityPeriod?: string;
  output: DataFormat;
}

function userCommand(deps: CliDeps): Command {
  const cmd = new Command('user')
    .summary('Output a kubeconfig file for an additional user')
    .description(
      'Print, to standard output, a kubeconfig for another user of the cluster: a client certificate for the user ' +
        '(CommonName = --client-name, Organizations = --org) signed by the cluster CA in the certificates directory, ' +
        'or, with --token, that token instead. The server is the control-plane endpoint (or the advertise address). ' +
        'Run it on a control-plane node with the config file init used; nothing is written to disk.',
    )
    .addHelpText('after', '\nExamples:\n  # A kubeconfig for user foo in group developers, from the config file used at init\n' +
      '  tskubeadm kubeconfig user --client-name=foo --org=developers --config=kubeadm.yaml > foo.conf\n');
  for (const f of userFlags) for (const o of toOptions(f)) cmd.addOption(o);
  cmd.addOption(outputOption(documentFormats, 'yaml', 'Output format: the kubeconfig as YAML, or the same object as JSON'));
  return cmd.action(async (opts: UserOptions, self: Command) => {
    if (opts.clientName === undefined || opts.clientName === '') {
      throw new UsageError('the --client-name flag is mandatory', { fix: 'run: tskubeadm kubeconfig user --client-name <user> --config kubeadm.yaml' });
    }
    const validity = opts.validityPeriod ?? defaultValidity;
    const validityMs = parseGoDuration(validity);
    if (validityMs === undefined || validityMs <= 0) {
      throw new UsageError(`invalid argument "${validity}" for "--validity-period" flag: not a positive duration`, {
        fix: `give a Go duration such as ${defaultValidity}, 720h or 90m`,
      });
    }
    const host = hostOf(deps, self);
    const out = outputOf(deps, self);
    const cfg = await loadPkiConfig(host, out, opts.config);
    const { userKubeconfig } = await import('../../pki-files/user-kubeconfig.js');
    const text = await userKubeconfig(host, out, cfg, {
      clientName: opts.clientName,
      organizations: opts.org ?? [],
      validityMs,
      ...(opts.token === undefined || opts.token === '' ? {} : { token: opts.token }),
    });
    if (opts.output === 'json') {
      const { formatResult, parseDocuments } = await import('../../output/result-format.js');
      const [doc] = await parseDocuments(text);
      out.print(await formatResult(doc as object, 'json'));
      return;
    }
    // kubeadm prints the document with Println, so one empty line follows it.
    out.print(`${text}\n`);
  });
}
