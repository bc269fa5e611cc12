// Defaults that need the host, randomness or the version table (kubeadm's
// Set{Init,Join,Reset}DynamicDefaults): node name, CRI socket, advertise address,
// bootstrap token values, the resolved kubernetesVersion, controlPlaneEndpoint's port.
import type { Host } from '../host/host.js';
import { ConfigError } from '../errors.js';
import type { APIEndpoint, ClusterConfiguration, InitConfiguration, JoinConfiguration, NodeRegistration, ResetConfiguration } from './types.js';
import { chooseAdvertiseAddress } from './advertise-address.js';
import { detectCriSocket, normalizeCriSocket } from './cri-socket.js';
import { configDefaults } from './defaults.js';
import { problem, type FieldProblem } from './field-problem.js';
import { resolveVersionLabel, defaultKubernetesVersion } from './kubernetes-versions.js';
import { generateBootstrapToken } from './token.js';
import { joinHostPort, parseHostPort } from './host-port.js';

export interface DynamicOptions {
  /** `config validate` does not probe for CRI sockets (kubeadm's skipCRIDetect); it uses containerd's. */
  readonly skipCriDetect: boolean;
}

export interface Collector {
  readonly problems: FieldProblem[];
  readonly warnings: string[];
}

async function nodeRegistrationDefaults(
  host: Host,
  kind: string,
  n: NodeRegistration,
  controlPlane: boolean,
  opts: DynamicOptions,
  out: Collector,
): Promise<NodeRegistration> {
  // kubeadm's nodeutil.GetHostname: trimmed and lower-cased, given or detected (corpus 022).
  let name = n.name.trim();
  if (name === '') name = host.system.hostname().trim();
  if (name === '') {
    out.problems.push(problem(kind, ['nodeRegistration', 'name'],
      '--node-name or .nodeRegistration.name in the config file is a required value: the hostname of this machine is empty'));
  }
  return {
    ...n,
    name: name.toLowerCase(),
    criSocket: await criSocketDefault(host, kind, ['nodeRegistration', 'criSocket'], n.criSocket, opts, out),
    // kubeadm's SetNodeRegistrationDynamicDefaults: unset taints on a control-plane node mean the control-plane taint
    // (an explicit empty list keeps the node untainted).
    taints: n.taints === undefined && controlPlane ? [configDefaults.controlPlaneTaint] : n.taints,
  };
}

async function criSocketDefault(
  host: Host,
  kind: string,
  path: readonly string[],
  given: string,
  opts: DynamicOptions,
  out: Collector,
): Promise<string> {
  if (given === '') {
    if (opts.skipCriDetect) return configDefaults.criSocket;
    const found = await detectCriSocket(host);
    if (found.ok) return found.socket;
    out.problems.push(problem(kind, path, found.message));
    return '';
  }
  const n = normalizeCriSocket(given);
  if (n.warning !== undefined) out.warnings.push(n.warning);
  return n.socket;
}

async function apiEndpointDefaults(host: Host, kind: string, path: readonly string[], e: APIEndpoint, out: Collector): Promise<APIEndpoint> {
  const choice = await chooseAdvertiseAddress(host, e.advertiseAddress);
  if (!choice.ok) {
    out.problems.push(problem(kind, [...path, 'advertiseAddress'], `${choice.message} (${choice.fix})`));
    return e;
  }
  if (choice.warning !== undefined) out.warnings.push(choice.warning);
  return { ...e, advertiseAddress: choice.address };
}

/** Resolves kubernetesVersion offline; empty means the default version. */
function clusterDefaults(kind: string, c: ClusterConfiguration, bindPort: number, out: Collector): ClusterConfiguration {
  let kubernetesVersion = c.kubernetesVersion;
  try {
    kubernetesVersion = kubernetesVersion === '' ? defaultKubernetesVersion : resolveVersionLabel(kubernetesVersion);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const fix = err.fix === undefined ? '' : ` (${err.fix})`;
    out.problems.push(problem(kind, ['kubernetesVersion'], `${err.message}${fix}`));
  }
  // kubeadm: a controlPlaneEndpoint without a port gets the local bindPort.
  let controlPlaneEndpoint = c.controlPlaneEndpoint;
  if (controlPlaneEndpoint !== '') {
    const hp = parseHostPort(controlPlaneEndpoint);
    if (hp.ok && hp.port === '') controlPlaneEndpoint = joinHostPort(hp.host, bindPort);
  }
  return {
    ...c,
    kubernetesVersion,
    controlPlaneEndpoint,
    // Some load balancer names carry capitals; certificates want lower case (kubeadm LowercaseSANs).
    apiServer: { ...c.apiServer, certSANs: c.apiServer.certSANs.map((s) => s.toLowerCase()) },
  };
}

export async function initDynamicDefaults(
  host: Host,
  init: InitConfiguration,
  cluster: ClusterConfiguration,
  opts: DynamicOptions,
  out: Collector,
): Promise<{ init: InitConfiguration; cluster: ClusterConfiguration }> {
  const tokens = init.bootstrapTokens.map((t) => (t.token === '' ? { ...t, token: generateBootstrapToken() } : t));
  const nodeRegistration = await nodeRegistrationDefaults(host, 'InitConfiguration', init.nodeRegistration, true, opts, out);
  const localAPIEndpoint = await apiEndpointDefaults(host, 'InitConfiguration', ['localAPIEndpoint'], init.localAPIEndpoint, out);
  return {
    init: { ...init, bootstrapTokens: tokens, nodeRegistration, localAPIEndpoint },
    cluster: clusterDefaults('ClusterConfiguration', cluster, localAPIEndpoint.bindPort, out),
  };
}

export async function joinDynamicDefaults(host: Host, join: JoinConfiguration, opts: DynamicOptions, out: Collector): Promise<JoinConfiguration> {
  const d = join.discovery;
  let file = d.file;
  if (file !== undefined && file.kubeConfigPath.startsWith('file://')) {
    // kubeadm: a file:// URL becomes its path.
    file = { kubeConfigPath: decodeURIComponent(new URL(file.kubeConfigPath).pathname) };
  }
  const tlsBootstrapToken = d.tlsBootstrapToken === '' && d.bootstrapToken !== undefined ? d.bootstrapToken.token : d.tlsBootstrapToken;
  const nodeRegistration = await nodeRegistrationDefaults(host, 'JoinConfiguration', join.nodeRegistration, join.controlPlane !== undefined, opts, out);
  const controlPlane =
    join.controlPlane === undefined
      ? undefined
      : {
          ...join.controlPlane,
          localAPIEndpoint: await apiEndpointDefaults(host, 'JoinConfiguration', ['controlPlane', 'localAPIEndpoint'], join.controlPlane.localAPIEndpoint, out),
        };
  return {
    ...join,
    discovery: { ...d, ...(file === undefined ? {} : { file }), tlsBootstrapToken },
    nodeRegistration,
    controlPlane,
  };
}

export async function resetDynamicDefaults(host: Host, reset: ResetConfiguration, opts: DynamicOptions, out: Collector): Promise<ResetConfiguration> {
  return { ...reset, criSocket: await criSocketDefault(host, 'ResetConfiguration', ['criSocket'], reset.criSocket, opts, out) };
}
