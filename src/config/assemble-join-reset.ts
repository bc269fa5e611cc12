// `join` and `reset` configurations: file or flags → defaults → validation
// (kubeadm: util/config/joinconfiguration.go, resetconfiguration.go, cmd/join.go, cmd/reset.go).
import type { Host } from '../host/host.js';
import type { JoinConfig, JoinConfiguration, ResetConfig, ResetConfiguration } from './types.js';
import type { DecodedDocuments } from './decode.js';
import type { JoinConfigurationDoc, ResetConfigurationDoc } from './schema-v1beta4.js';
import { buildJoin, buildReset } from './build.js';
import { locateProblems } from './config-file.js';
import { joinDynamicDefaults, resetDynamicDefaults, type DynamicOptions } from './dynamic-defaults.js';
import { problem, type FieldProblem } from './field-problem.js';
import { FlagReader, joinDocFromFlags, resetDocFromFlags, unionIgnorePreflightErrors, withMixableFlags } from './flag-values.js';
import { validateJoin, validateReset } from './validate-join.js';
import { flagNamed, type Assembled } from './assemble-init.js';

const joinFlagOfField: Readonly<Record<string, string>> = Object.freeze({
  'discovery.bootstrapToken.token': '--discovery-token',
  'discovery.bootstrapToken.apiServerEndpoint': 'API server endpoint argument',
  'discovery.bootstrapToken.caCertHashes': '--discovery-token-ca-cert-hash',
  'discovery.file.kubeConfigPath': '--discovery-file',
  'discovery.tlsBootstrapToken': '--tls-bootstrap-token',
  'controlPlane.localAPIEndpoint.advertiseAddress': '--apiserver-advertise-address',
  'controlPlane.localAPIEndpoint.bindPort': '--apiserver-bind-port',
  'controlPlane.certificateKey': '--certificate-key',
  'nodeRegistration.name': '--node-name',
  'nodeRegistration.criSocket': '--cri-socket',
  'nodeRegistration.ignorePreflightErrors': '--ignore-preflight-errors',
});

/** With --join-string the discovery fields all come from it: problems with them name it. */
const joinStringFlagOfField: Readonly<Record<string, string>> = Object.freeze({
  ...joinFlagOfField,
  'discovery.bootstrapToken.token': '--join-string',
  'discovery.bootstrapToken.apiServerEndpoint': '--join-string',
  'discovery.bootstrapToken.caCertHashes': '--join-string',
  'discovery.tlsBootstrapToken': '--join-string',
});

const resetFlagOfField: Readonly<Record<string, string>> = Object.freeze({
  criSocket: '--cri-socket',
  certificatesDir: '--cert-dir',
  ignorePreflightErrors: '--ignore-preflight-errors',
});

function firstDoc<K extends 'JoinConfiguration' | 'ResetConfiguration'>(decoded: DecodedDocuments, kind: K) {
  for (const d of decoded.documents) if (d.group === 'kubeadm' && d.kind === kind) return d.doc;
  return undefined;
}

export async function assembleJoin(o: {
  readonly host: Host;
  readonly decoded: DecodedDocuments | undefined;
  readonly flags: FlagReader;
  readonly endpoint: string | undefined;
  readonly dynamic: DynamicOptions;
}): Promise<Assembled<JoinConfig>> {
  const { host, decoded, flags } = o;
  const warnings: string[] = [...(decoded?.warnings ?? [])];
  let doc: JoinConfigurationDoc | undefined;
  if (decoded !== undefined) {
    doc = firstDoc(decoded, 'JoinConfiguration') as JoinConfigurationDoc | undefined;
    if (doc === undefined) {
      return { value: undefined, warnings, problems: [{ file: decoded.file, message: 'no JoinConfiguration found in the supplied config' }] };
    }
    if (o.endpoint !== undefined && o.endpoint !== '') {
      warnings.push(`the API server endpoint argument "${o.endpoint}" is ignored with --config: set discovery.bootstrapToken.apiServerEndpoint in the file`);
    }
  } else {
    doc = joinDocFromFlags(flags, o.endpoint);
  }
  const flagProblems: FieldProblem[] = flags.problems.map((m) => problem('flags', [], m));
  let join: JoinConfiguration = withMixableFlags(buildJoin(doc), flags);
  const collector = { problems: [] as FieldProblem[], warnings };
  join = await joinDynamicDefaults(host, join, o.dynamic, collector);
  const checked = await validateJoin(host, join);
  let problems = locateProblems([...flagProblems, ...collector.problems], checked, decoded);
  if (decoded === undefined) problems = flagNamed(problems, flags.has('join-string') ? joinStringFlagOfField : joinFlagOfField);
  return { value: problems.length > 0 ? undefined : { join, warnings }, problems, warnings };
}

export async function assembleReset(o: {
  readonly host: Host;
  readonly decoded: DecodedDocuments | undefined;
  readonly flags: FlagReader;
  readonly dynamic: DynamicOptions;
}): Promise<Assembled<ResetConfig>> {
  const { host, decoded, flags } = o;
  const warnings: string[] = [...(decoded?.warnings ?? [])];
  let doc: ResetConfigurationDoc | undefined;
  if (decoded !== undefined) {
    doc = firstDoc(decoded, 'ResetConfiguration') as ResetConfigurationDoc | undefined;
    if (doc === undefined) {
      return { value: undefined, warnings, problems: [{ file: decoded.file, message: 'no ResetConfiguration found in the supplied config' }] };
    }
  } else {
    doc = resetDocFromFlags(flags);
  }
  const flagProblems: FieldProblem[] = flags.problems.map((m) => problem('flags', [], m));
  let reset: ResetConfiguration = buildReset(doc);
  const skipPhases = flags.list('skip-phases');
  reset = {
    ...reset,
    dryRun: flags.bool('dry-run') ?? reset.dryRun,
    skipPhases: skipPhases !== undefined && skipPhases.length > 0 ? skipPhases : reset.skipPhases,
    ignorePreflightErrors: unionIgnorePreflightErrors(reset.ignorePreflightErrors, flags.list('ignore-preflight-errors')),
  };
  const collector = { problems: [] as FieldProblem[], warnings };
  reset = await resetDynamicDefaults(host, reset, o.dynamic, collector);
  let problems = locateProblems([...flagProblems, ...collector.problems], validateReset(reset), decoded);
  if (decoded === undefined) problems = flagNamed(problems, resetFlagOfField);
  return { value: problems.length > 0 ? undefined : { reset, warnings }, problems, warnings };
}
