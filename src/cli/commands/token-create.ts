// `tskubeadm token create`: a bootstrap token from the flags (or the bootstrapTokens of --config), checked before
// the cluster is contacted, created as its Secret, and printed alone, as a join command, or as JSON. kubeadm: cmd/token.go.
import { Command } from 'commander';
import { configDefaults } from '../../config/defaults.js';
import { formatGoDuration } from '../../config/duration.js';
import type { BootstrapToken } from '../../config/types.js';
import { ConfigError, UsageError } from '../../errors.js';
import { hostOf, outputOf } from '../command-io.js';
import type { CliDeps } from '../deps.js';
import { setFlagsOf } from '../flag-options.js';
import { formatResult, resultFormats, type ResultFormat } from '../../output/result-format.js';
import { outputOption, progressDeps } from '../result-io.js';
import { apiOptions, apiRun, defaultApiTimeoutMs, type ApiOptions } from './token-api.js';

const defaultTtl = formatGoDuration(configDefaults.tokenTtlMs);
const defaultUsages: readonly string[] = configDefaults.tokenUsages;
const defaultGroups: readonly string[] = configDefaults.tokenGroups;

interface CreateOptions extends ApiOptions {
  config?: string;
  description?: string;
  groups?: string[];
  printJoinCommand?: boolean;
  printJoinString?: boolean;
  certificateKey?: string;
  ttl?: string;
  usages?: string[];
  output: ResultFormat;
}

/** pflag's StringSlice: repeatable, comma-separated; an empty value gives an empty list. */
const appendList = (value: string, previous: string[] | undefined): string[] =>
  [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];

export function createCommand(deps: CliDeps, parent: Command): Command {
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
    .option('--print-join-string', "Print the compact join value for 'tskubeadm join --join-string' (endpoint, token and CA pins " +
      'in one checksummed string), on its own line after the join command when --print-join-command is also given')
    .option('--certificate-key <string>', 'With --print-join-command: print the control-plane join command with this key ' +
      '(from "tskubeadm init phase upload-certs --upload-certs")')
    .option('--ttl <string>', `How long the token lives before it is deleted; 0 means never (default ${defaultTtl})`)
    .option('--usages <strings>', `How the token may be used: signing, authentication (default ${defaultUsages.join(',')})`, appendList)
    .addOption(outputOption(resultFormats, 'text', 'Output format: the token (or join command), or one BootstrapToken object'));
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
  const run = await apiRun(progressDeps(deps, opts.output), self, parent, timeoutMs);
  const [first] = tokens;
  if (first === undefined) throw new ConfigError('the configuration has no bootstrap token to create', { fix: 'add one to bootstrapTokens of the config file' });
  // Read before anything is created, so an unusable kubeconfig leaves no stray token behind (kubeadm reads it after).
  let joinLine: string | undefined;
  let joinString: string | undefined;
  if (opts.printJoinCommand === true || opts.printJoinString === true) {
    const { joinCommand, joinTargetOf } = await import('../../tokens/join-command.js');
    const text = await run.host.fs.readText(run.kubeconfigPath);
    if (text === undefined) {
      const { CertificateError } = await import('../../errors.js');
      throw new CertificateError(run.kubeconfigPath, `failed to load kubeconfig: ${run.kubeconfigPath} does not exist`, { fix: 'pass the cluster\'s admin kubeconfig with --kubeconfig' });
    }
    const target = await joinTargetOf(text, run.kubeconfigPath, (p) => run.host.fs.readText(p));
    if (opts.printJoinCommand === true) {
      joinLine = joinCommand({
        endpoint: target.endpoint, token: first.token, caCertHashes: target.caCertHashes, program: 'tskubeadm',
        controlPlane: key !== undefined, ...(key === undefined ? {} : { certificateKey: key }),
      }).oneLine;
    }
    const { encodeJoinString } = await import('../../tokens/join-string.js');
    joinString = encodeJoinString({ endpoint: target.endpoint, token: first.token, caCertHashes: target.caCertHashes });
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
  if (opts.output !== 'text') {
    const { createdTokenObject } = await import('../../tokens/token-output.js');
    const expires = tokenExpiration(first, now);
    deps.stdout(await formatResult({
      ...createdTokenObject({
        token: first.token, id: tokenIdOf(first.token), description: first.description ?? '',
        expires: expires === undefined ? undefined : new Date(expires), usages: first.usages, groups: first.groups,
      }, joinLine),
      ...(joinString === undefined ? {} : { joinString }),
    }, opts.output));
    return;
  }
  // kubeadm's line stays first and unchanged; the join string only with its own flag, on a line of its own.
  if (joinLine !== undefined) run.out.print(`${joinLine}\n`);
  if (opts.printJoinString === true && joinString !== undefined) run.out.print(`${joinString}\n`);
  if (joinLine === undefined && opts.printJoinString !== true) run.out.print(`${first.token}\n`);
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
