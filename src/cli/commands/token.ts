// `tskubeadm token create|list|delete|generate`: bootstrap tokens, stored as Secrets in kube-system.
// Flags as kubeadm's, in our words. Input is validated before the API is touched, so a bad token,
// usage, group or ttl creates nothing. Only commander loads here; the work loads inside each action.
// kubeadm: cmd/token.go.
import { Command, Option } from 'commander';
import type { ApiClient } from '../../api/client.js';
import type { BootstrapToken } from '../../config/types.js';
import { ConfigError, UsageError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';
import { hostOf, outputOf } from '../command-io.js';
import type { CliDeps } from '../deps.js';
import { setFlagsOf } from '../flag-options.js';

const description = 'Manage bootstrap tokens: create, list, delete and generate the tokens nodes join with';
const adminConf = '/etc/kubernetes/admin.conf';
const defaultTtl = '24h0m0s';
const defaultUsages = ['signing', 'authentication'];
const defaultGroups = ['system:bootstrappers:kubeadm:default-node-token'];
/** kubeadm's token commands have no config timeouts unless --config gives them. */
const defaultApiTimeoutMs = 5 * 60 * 1000;

interface ApiOptions {
  kubeconfig?: string;
  dryRun?: boolean;
}

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

/** --kubeconfig and --dry-run, on `token` (hidden, for `token --dry-run list`) and on every API subcommand. */
function apiOptions(cmd: Command, hidden: boolean): Command {
  const opts = [
    new Option('--kubeconfig <string>', 'The kubeconfig file to talk to the cluster with; when not given, the first that exists of ' +
      `$KUBECONFIG, $HOME/.kube/config and ${adminConf} (default ${adminConf})`),
    new Option('--dry-run', 'Send nothing to the cluster: print each request that would be made'),
  ];
  for (const o of opts) cmd.addOption(hidden ? o.hideHelp() : o);
  return cmd;
}

function apiOptionsOf(cmd: Command, parent: Command): ApiOptions {
  const own = cmd.opts<ApiOptions>();
  const up = parent.opts<ApiOptions>();
  const kubeconfig = own.kubeconfig ?? up.kubeconfig;
  return { ...(kubeconfig === undefined ? {} : { kubeconfig }), dryRun: own.dryRun === true || up.dryRun === true };
}

/** kubeadm's GetKubeConfigPath: the flag, else the first existing of $KUBECONFIG's files, ~/.kube/config, admin.conf. */
async function kubeconfigPath(host: Host, given: string | undefined): Promise<string> {
  if (given !== undefined && given !== '') return given;
  const fromEnv = (host.env.KUBECONFIG ?? '').split(':').filter((p) => p !== '');
  const home = host.env.HOME;
  const candidates = [...fromEnv, ...(fromEnv.length === 0 && home !== undefined && home !== '' ? [`${home}/.kube/config`] : []), adminConf];
  for (const c of candidates) if ((await host.fs.stat(c)) !== undefined) return c;
  // Unlike client-go (which names the first candidate), name the file a control-plane node has.
  return adminConf;
}

interface ApiRun {
  readonly host: Host;
  readonly out: Output;
  readonly kubeconfigPath: string;
  readonly connect: () => Promise<ApiClient>;
}

async function apiRun(deps: CliDeps, cmd: Command, parent: Command, timeoutMs = defaultApiTimeoutMs): Promise<ApiRun> {
  const host = hostOf(deps, cmd);
  const out = outputOf(deps, cmd);
  const o = apiOptionsOf(cmd, parent);
  const path = await kubeconfigPath(host, o.kubeconfig);
  const connector = deps.connectApi ?? (await import('../../api/connect.js')).apiConnector;
  return { host, out, kubeconfigPath: path, connect: connector({ host, out, dryRun: o.dryRun === true, kubeconfigPath: path, timeoutMs }) };
}

interface CreateOptions extends ApiOptions {
  config?: string;
  description?: string;
  groups?: string[];
  printJoinCommand?: boolean;
  certificateKey?: string;
  ttl?: string;
  usages?: string[];
  output: 'text' | 'json';
}

/** pflag's StringSlice: repeatable, comma-separated; an empty value gives an empty list. */
const appendList = (value: string, previous: string[] | undefined): string[] =>
  [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];

function createCommand(deps: CliDeps, parent: Command): Command {
  const cmd = new Command('create')
    .summary('Create a bootstrap token on the server')
    .description('Create a bootstrap token in the cluster and print it. The token is [TOKEN] when given (of the form ' +
      '"[a-z0-9]{6}.[a-z0-9]{16}"), else a new random one. --ttl, --usages, --groups and --description set its properties, ' +
      'or --config takes them from the bootstrapTokens of an InitConfiguration (every token there is created, the first is printed). ' +
      'Everything is checked before the cluster is contacted; a token whose ID already exists is refused.')
    .argument('[token]', 'The token to create; a random one when absent')
    .option('--config <string>', 'A kubeadm configuration file whose InitConfiguration bootstrapTokens are created')
    .option('--description <string>', 'A human friendly description of how this token is used')
    .option('--groups <strings>', `Extra groups this token authenticates as; each must match "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z" (default ${defaultGroups.join(',')})`, appendList)
    .option('--print-join-command', "Print the whole 'tskubeadm join' command for this token instead of the token alone")
    .option('--certificate-key <string>', 'With --print-join-command: print the control-plane join command with this key ' +
      '(from "tskubeadm init phase upload-certs --upload-certs")')
    .option('--ttl <string>', `How long the token lives before it is deleted; 0 means never (default ${defaultTtl})`)
    .option('--usages <strings>', `How the token may be used: signing, authentication (default ${defaultUsages.join(',')})`, appendList)
    .addOption(new Option('-o, --output <format>', 'Output format: the token (or join command), or one JSON object').choices(['text', 'json']).default('text'));
  apiOptions(cmd, false);
  return cmd.action((tokenArg: string | undefined, opts: CreateOptions, self: Command) => runCreate(deps, self, parent, tokenArg, opts));
}

async function runCreate(deps: CliDeps, self: Command, parent: Command, tokenArg: string | undefined, opts: CreateOptions): Promise<void> {
  const key = opts.certificateKey;
  if (key !== undefined && opts.printJoinCommand !== true) {
    throw new UsageError('cannot use --certificate-key without --print-join-command', {
      fix: 'add --print-join-command to print the control-plane join command with this key',
    });
  }
  if (key !== undefined && !/^[0-9a-fA-F]{64}$/.test(key)) {
    throw new ConfigError([{ field: '--certificate-key', message: 'the certificate key must be 64 hexadecimal characters (a 32-byte AES key)' }], {
      fix: 'give the key "tskubeadm init phase upload-certs --upload-certs" printed',
    });
  }
  const given = Object.keys(setFlagsOf(self));
  let tokens: BootstrapToken[];
  let timeoutMs = defaultApiTimeoutMs;
  if (opts.config !== undefined && opts.config !== '') {
    const mixed = given.filter((f) => ['description', 'groups', 'ttl', 'usages'].includes(f)).sort();
    if (mixed.length > 0 || tokenArg !== undefined) {
      const all = [...mixed, ...(tokenArg === undefined ? [] : ['[token]'])];
      throw new UsageError(`can not mix '--config' with arguments [${all.join(' ')}]`, { fix: 'set them in bootstrapTokens of the config file instead, or drop --config' });
    }
    const { loadPkiConfig } = await import('../command-io.js');
    const cfg = await loadPkiConfig(hostOf(deps, self), outputOf(deps, self), opts.config);
    tokens = [...cfg.init.bootstrapTokens];
    timeoutMs = cfg.init.timeouts.kubernetesAPICallMs;
  } else {
    tokens = [await tokenFromFlags(tokenArg, opts)];
  }
  const run = await apiRun(deps, self, parent, timeoutMs);
  const [first] = tokens;
  if (first === undefined) throw new ConfigError('the configuration has no bootstrap token to create', { fix: 'add one to bootstrapTokens of the config file' });
  // Read before anything is created, so an unusable kubeconfig leaves no stray token behind (kubeadm reads it after).
  let joinLine: string | undefined;
  if (opts.printJoinCommand === true) {
    const { joinCommand, joinTargetOf } = await import('../../tokens/join-command.js');
    const text = await run.host.fs.readText(run.kubeconfigPath);
    if (text === undefined) {
      const { CertificateError } = await import('../../errors.js');
      throw new CertificateError(run.kubeconfigPath, `failed to load kubeconfig: ${run.kubeconfigPath} does not exist`, { fix: 'pass the cluster\'s admin kubeconfig with --kubeconfig' });
    }
    const target = await joinTargetOf(text, run.kubeconfigPath, (p) => run.host.fs.readText(p));
    joinLine = joinCommand({
      endpoint: target.endpoint, token: first.token, caCertHashes: target.caCertHashes, program: 'tskubeadm',
      controlPlane: key !== undefined, ...(key === undefined ? {} : { certificateKey: key }),
    }).oneLine;
  }
  const { bootstrapTokenSecret, tokenExpiration, tokenIdOf } = await import('../../tokens/token-secret.js');
  const { isAlreadyExists, ApiError } = await import('../../api/api-error.js');
  const api = await run.connect();
  const now = run.host.clock.now();
  for (const t of tokens) {
    try {
      await api.create(bootstrapTokenSecret(t, now));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const id = tokenIdOf(t.token);
      throw new ApiError(409, 'AlreadyExists', `a token with id "${id}" already exists`, {
        fix: `create another token, or delete this one first: tskubeadm token delete ${id}`, cause: err,
      });
    }
  }
  if (opts.output === 'json') {
    const { createdTokenObject, goJson } = await import('../../tokens/token-output.js');
    const expires = tokenExpiration(first, now);
    run.out.print(goJson(createdTokenObject({
      token: first.token, id: tokenIdOf(first.token), description: first.description ?? '',
      expires: expires === undefined ? undefined : new Date(expires), usages: first.usages, groups: first.groups,
    }, joinLine)));
    return;
  }
  run.out.print(`${joinLine ?? first.token}\n`);
}

/** The token the flags describe, checked as kubeadm checks a config's bootstrapTokens (its messages). */
async function tokenFromFlags(tokenArg: string | undefined, opts: CreateOptions): Promise<BootstrapToken> {
  const { parseGoDuration } = await import('../../config/duration.js');
  const { generateBootstrapToken } = await import('../../config/token.js');
  const { validateBootstrapTokens } = await import('../../config/validate-common.js');
  const ttl = opts.ttl ?? defaultTtl;
  const ttlMs = parseGoDuration(ttl);
  if (ttlMs === undefined) {
    throw new UsageError(`invalid argument "${ttl}" for "--ttl" flag: time: invalid duration "${ttl}"`, {
      fix: 'give a Go duration such as 24h0m0s, 2h or 30m; 0 means the token never expires',
    });
  }
  if (ttlMs < 0) throw new ConfigError([{ field: '--ttl', message: `"${ttl}" is negative` }], { fix: 'give a positive duration, or 0 for a token that never expires' });
  const token: BootstrapToken = {
    token: tokenArg ?? generateBootstrapToken(),
    ttlMs,
    usages: opts.usages ?? defaultUsages,
    groups: opts.groups ?? defaultGroups,
    ...(opts.description === undefined || opts.description === '' ? {} : { description: opts.description }),
  };
  const fieldNames: Readonly<Record<string, string>> = { token: '[token]', usages: '--usages', groups: '--groups' };
  const problems = validateBootstrapTokens('flags', [token]).map((p) => {
    const last = p.path[p.path.length - 1];
    return { field: typeof last === 'string' ? fieldNames[last] ?? `--${last}` : '', message: p.message };
  });
  if (problems.length > 0) {
    throw new ConfigError(problems, { fix: 'correct the token or the flags; nothing was created' });
  }
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
    .argument('[token-value...]', 'Token IDs or whole tokens');
  apiOptions(cmd, false);
  return cmd.action(async (values: string[], _opts: ApiOptions, self: Command) => {
    const { parseTokenOrId, tokenIdPatternText } = await import('../../tokens/token-parse.js');
    const { tokenPatternText } = await import('../../config/token.js');
    if (values.length === 0) {
      throw new UsageError(`missing argument; 'token delete' is missing token of form "${tokenPatternText}" or "${tokenIdPatternText}"`, {
        fix: 'run: tskubeadm token delete <token-id> (see tskubeadm token list)',
      });
    }
    const ids = values.map(parseTokenOrId);
    const run = await apiRun(deps, self, parent);
    const { tokenSecretName } = await import('../../tokens/token-secret.js');
    const { ApiError } = await import('../../api/api-error.js');
    const api = await run.connect();
    for (const id of ids) {
      if (!(await api.delete({ kind: 'Secret', name: tokenSecretName(id), namespace: 'kube-system' }))) {
        throw new ApiError(404, 'NotFound', `failed to delete bootstrap token "${id}": secrets "${tokenSecretName(id)}" not found`, {
          fix: 'see the tokens that exist with: tskubeadm token list',
        });
      }
      run.out.print(`bootstrap token "${id}" deleted\n`);
    }
  });
}

function generateCommand(deps: CliDeps): Command {
  const cmd = new Command('generate')
    .summary('Generate and print a bootstrap token, without creating it on the server')
    .description('Print a new random bootstrap token ("[a-z0-9]{6}.[a-z0-9]{16}", from a cryptographic random source) ' +
      'for "tskubeadm init --token" or a config file. Nothing is sent to the cluster.');
  // Accepted as kubeadm's persistent flags are, and unused.
  apiOptions(cmd, true);
  return cmd.action(async () => {
    const { generateBootstrapToken } = await import('../../config/token.js');
    deps.stdout(`${generateBootstrapToken()}\n`);
  });
}
