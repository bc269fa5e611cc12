// `tskubeadm token create|list|delete|generate`: bootstrap tokens, stored as Secrets in kube-system.
// Flags as kubeadm's, in our words. Input is validated before the API is touched, so a bad token,
// usage, group or ttl creates nothing. Only commander loads here; the work loads inside each action.
// kubeadm: cmd/token.go.
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import type { CliDeps } from '../deps.js';
import { resultFormats, type ResultFormat } from '../../output/result-format.js';
import { outputOption, printResult, progressDeps } from '../result-io.js';
import { apiOptions, apiRun, type ApiOptions } from './token-api.js';
import { createCommand } from './token-create.js';

const description = 'Manage bootstrap tokens: create, list, delete and generate the tokens nodes join with';

export function tokenCommand(deps: CliDeps): Command {
  const token = new Command('token')
    .summary('Manage bootstrap tokens')
    .description(description)
    .addHelpText('after', '\nA bootstrap token ("[a-z0-9]{6}.[a-z0-9]{16}") lets a new node trust the cluster (the public ID names the ' +
      'cluster-info signature, the secret checks it) and authenticate for its kubelet\'s first certificate. Each is a Secret ' +
      '"bootstrap-token-<id>" of type bootstrap.kubernetes.io/token in kube-system. Keep the secret half private.\n')
    // Options after a subcommand belong to it (each subcommand has its own copies), as cobra's persistent flags.
    .enablePositionalOptions()
    .allowExcessArguments()
    .action((_opts: unknown, self: Command) => {
      // kubeadm exits non-zero here rather than printing help and succeeding.
      const [given] = self.args;
      throw new UsageError(given === undefined ? `missing subcommand; "token" is not meant to be run on its own` : `invalid subcommand: "${given}"`, {
        fix: 'run one of: tskubeadm token create | list | delete | generate (see tskubeadm token --help)',
      });
    });
  apiOptions(token, true);
  token.addCommand(createCommand(deps, token));
  token.addCommand(deleteCommand(deps, token));
  token.addCommand(generateCommand(deps));
  token.addCommand(listCommand(deps, token));
  return token;
}

function listCommand(deps: CliDeps, parent: Command): Command {
  const cmd = new Command('list')
    .summary('List the bootstrap tokens on the server')
    .description('List the bootstrap tokens of the cluster: token, time left, expiry, usages, description and extra groups. ' +
      'Secrets of the token type that are not valid tokens are reported on standard error and skipped.')
    .addOption(new Option('-o, --output <format>', 'Output format: a table, or output.kubeadm.k8s.io/v1alpha3 BootstrapToken objects')
      .choices(['text', 'json', 'yaml']).default('text'));
  apiOptions(cmd, false);
  return cmd.action(async (opts: ApiOptions & { output: 'text' | 'json' | 'yaml' }, self: Command) => {
    const run = await apiRun(deps, self, parent);
    const { bootstrapTokenSecretType } = await import('../../tokens/token-secret.js');
    const { parseTokenSecret } = await import('../../tokens/token-parse.js');
    const { formatTokenList } = await import('../../tokens/token-output.js');
    const api = await run.connect();
    const secrets = await api.list('Secret', 'kube-system', { fieldSelector: `type=${bootstrapTokenSecretType}` });
    const tokens = [];
    for (const s of secrets) {
      const parsed = parseTokenSecret(s);
      if ('problem' in parsed) run.out.warn(parsed.problem);
      else tokens.push(parsed.token);
    }
    run.out.print(formatTokenList(tokens, opts.output, run.host.clock.now()));
  });
}

function deleteCommand(deps: CliDeps, parent: Command): Command {
  const cmd = new Command('delete')
    .summary('Delete bootstrap tokens on the server')
    .description('Delete bootstrap tokens from the cluster, each given as its ID ("[a-z0-9]{6}") or as the whole token. ' +
      'Every argument is checked first; the deletions then run in order and stop at a token that does not exist.')
    .argument('[token-value...]', 'Token IDs or whole tokens')
    .addOption(outputOption(resultFormats, 'text', 'Output format: a line per deleted token, or one TokenDeleteResult'));
  apiOptions(cmd, false);
  return cmd.action(async (values: string[], opts: ApiOptions & { output: ResultFormat }, self: Command) => {
    const { parseTokenOrId, tokenIdPatternText } = await import('../../tokens/token-parse.js');
    const { tokenPatternText } = await import('../../config/token.js');
    if (values.length === 0) {
      throw new UsageError(`missing argument; 'token delete' is missing token of form "${tokenPatternText}" or "${tokenIdPatternText}"`, {
        fix: 'run: tskubeadm token delete <token-id> (see tskubeadm token list)',
      });
    }
    const ids = values.map(parseTokenOrId);
    const run = await apiRun(progressDeps(deps, opts.output), self, parent);
    const { tokenSecretName } = await import('../../tokens/token-secret.js');
    const { ApiError } = await import('../../api/api-error.js');
    const api = await run.connect();
    for (const id of ids) {
      if (!(await api.delete({ kind: 'Secret', name: tokenSecretName(id), namespace: 'kube-system' }))) {
        throw new ApiError(404, 'NotFound', `failed to delete bootstrap token "${id}": secrets "${tokenSecretName(id)}" not found`, {
          fix: 'see the tokens that exist with: tskubeadm token list',
        });
      }
      if (opts.output === 'text') run.out.print(`bootstrap token "${id}" deleted\n`);
    }
    if (opts.output !== 'text') {
      const { tokenDeleteResult } = await import('../../output/results.js');
      await printResult(deps, opts.output, () => tokenDeleteResult(ids), () => '');
    }
  });
}

function generateCommand(deps: CliDeps): Command {
  const cmd = new Command('generate')
    .summary('Generate and print a bootstrap token, without creating it on the server')
    .description('Print a new random bootstrap token ("[a-z0-9]{6}.[a-z0-9]{16}", from a cryptographic random source) ' +
      'for "tskubeadm init --token" or a config file. Nothing is sent to the cluster.');
  cmd.addOption(outputOption(resultFormats, 'text', 'Output format: the token alone, or one GeneratedToken'));
  // Accepted as kubeadm's persistent flags are, and unused.
  apiOptions(cmd, true);
  return cmd.action(async (opts: { output: ResultFormat }) => {
    const { generateBootstrapToken } = await import('../../config/token.js');
    const { generatedToken } = await import('../../output/results.js');
    const token = generateBootstrapToken();
    await printResult(deps, opts.output, () => generatedToken(token), () => `${token}\n`);
  });
}
