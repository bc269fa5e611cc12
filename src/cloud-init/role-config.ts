// The config file a role's machine reads at first boot: the user's --config text, checked
// by our loader as that machine's command will read it, or the role's defaults. The text is
// kept as written (comments, order, apiVersion): the target fills its own dynamic defaults.
import { parseAllDocuments } from 'yaml';
import type { Host } from '../host/host.js';
import { ConfigError, type InputProblem } from '../errors.js';
import { readConfigDocuments } from '../config/decode.js';
import { assembleInit } from '../config/assemble-init.js';
import { assembleJoin } from '../config/assemble-join-reset.js';
import { FlagReader } from '../config/flag-values.js';
import { fixConfig } from '../config/config-file.js';
import { configDefaults } from '../config/defaults.js';
import { joinDocuments, toGoYaml } from '../config/encode.js';
import { printInitDefaults, printJoinDefaults } from '../config/print-defaults.js';
import { commandOf, type Role } from './roles.js';
import { standInHostname, targetStandIn } from './target-stand-in.js';

export interface RoleConfig {
  /** The text written to the machine's config file. */
  readonly text: string;
  readonly warnings: readonly string[];
  /** init only: the config sets a certificateKey, so init uploads the control-plane certificates for joins. */
  readonly uploadCerts: boolean;
}

/** The --config file read on this machine (under --rootfs when given) and checked for `role`. */
export async function roleConfigFromFile(host: Host, role: Role, path: string): Promise<RoleConfig> {
  let text: string | undefined;
  try {
    text = await host.fs.readText(path);
  } catch (err) {
    throw new ConfigError(`unable to read config from "${path}": ${err instanceof Error ? err.message : String(err)}`, {
      fix: 'check the --config path and its permissions',
      cause: err,
    });
  }
  if (text === undefined) throw new ConfigError(`unable to read config from "${path}": no such file`, { fix: 'check the --config path' });
  return checkedFor(host, role, text, path, []);
}

/** Without --config: the defaults `config print init-defaults|join-defaults` shows, made fit to boot unattended. */
export async function defaultRoleConfig(host: Host, role: Role): Promise<RoleConfig> {
  const warnings: string[] = [];
  let text: string;
  if (role === 'control-plane') {
    // The printed placeholders would give every machine the same address, name and a well-known
    // token: left out, the machine picks its own (default-route address, hostname, random token).
    const [init = {}, cluster = {}] = documentsOf(printInitDefaults());
    deleteIn(init, ['localAPIEndpoint', 'advertiseAddress']);
    deleteIn(init, ['nodeRegistration', 'name']);
    for (const t of arrayAt(init, ['bootstrapTokens'])) deleteIn(t, ['token']);
    text = joinDocuments([toGoYaml(init), toGoYaml(cluster)]);
    warnings.push(
      'no --config: the machine runs init with its defaults; its node name, advertise address and bootstrap token are chosen there at boot ' +
        '(create a join token on it later with `tskubeadm token create --print-join-command`)',
    );
  } else {
    const [join = {}] = documentsOf(printJoinDefaults({ nodeName: standInHostname }));
    deleteIn(join, ['nodeRegistration', 'name']);
    if (role === 'control-plane-join') join['controlPlane'] = { localAPIEndpoint: { bindPort: 6443 } };
    text = toGoYaml(join);
    warnings.push(
      `no --config: discovery.bootstrapToken.token and tlsBootstrapToken ("${configDefaults.placeholderToken}") and apiServerEndpoint ` +
        '("kube-apiserver:6443") are placeholders that must be replaced, and unsafeSkipCAVerification should give way to caCertHashes; ' +
        'take the real values from `tskubeadm token create --print-join-command` on a control-plane node and pass a JoinConfiguration with --config',
    );
    if (role === 'control-plane-join') {
      warnings.push(
        'no --config: controlPlane.certificateKey is not set: set it to the key `tskubeadm init --upload-certs` printed, ' +
          'or place the cluster\'s shared certificates on the machine before it boots',
      );
    }
  }
  return checkedFor(host, role, text, '(defaults)', warnings);
}

/** Loads `text` as the role's command would on a stand-in target; throws ConfigError (exit 3) with every problem. */
async function checkedFor(host: Host, role: Role, text: string, file: string, warnings: readonly string[]): Promise<RoleConfig> {
  const decoded = readConfigDocuments(text, file);
  if (decoded.problems.length > 0) fail(decoded.problems);
  const base = { host: targetStandIn(host), decoded, flags: new FlagReader({}), dynamic: { skipCriDetect: true } };
  const all = [...warnings];
  const add = (ws: readonly string[]) => {
    for (const w of ws) if (!all.includes(w)) all.push(w);
  };
  if (commandOf(role) === 'init') {
    const a = await assembleInit(base);
    add(a.warnings);
    if (a.value === undefined) fail(a.problems);
    return { text, warnings: all, uploadCerts: a.value.init.certificateKey !== '' };
  }
  const a = await assembleJoin({ ...base, endpoint: undefined });
  add(a.warnings);
  if (a.value === undefined) fail(a.problems);
  const { join } = a.value;
  if (role === 'worker' && join.controlPlane !== undefined) {
    const at = decoded.locate('JoinConfiguration', ['controlPlane'], 'key');
    fail([{ ...at, file, kind: 'JoinConfiguration', field: 'controlPlane', message: 'controlPlane is set, so this configuration joins a control-plane node, not a worker' }],
      'use --role control-plane-join, or remove controlPlane for a worker');
  }
  if (role === 'control-plane-join' && join.controlPlane === undefined) {
    fail([{ file, kind: 'JoinConfiguration', message: 'controlPlane is not set, so this configuration joins a worker, not a control-plane node' }],
      'use --role worker, or add a controlPlane section (with certificateKey when the certificates come from `tskubeadm init --upload-certs`)');
  }
  if (join.discovery.file !== undefined) {
    add([`discovery.file.kubeConfigPath "${join.discovery.file.kubeConfigPath}" must exist on the machine when it boots: the user-data does not carry it`]);
  }
  return { text, warnings: all, uploadCerts: false };
}

function fail(problems: readonly InputProblem[], fix: string = fixConfig): never {
  throw new ConfigError(problems, { fix });
}

type Doc = Record<string, unknown>;

function documentsOf(text: string): Doc[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Doc);
}

function deleteIn(doc: unknown, path: readonly string[]): void {
  let node = doc;
  for (const key of path.slice(0, -1)) node = isDoc(node) ? node[key] : undefined;
  if (isDoc(node)) delete node[path[path.length - 1]!];
}

function arrayAt(doc: Doc, path: readonly string[]): unknown[] {
  let node: unknown = doc;
  for (const key of path) node = isDoc(node) ? node[key] : undefined;
  return Array.isArray(node) ? node : [];
}

const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
