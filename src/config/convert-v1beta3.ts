// v1beta3 → v1beta4, as kubeadm's apis/kubeadm/v1beta3/conversion.go does it:
// - extraArgs / kubeletExtraArgs maps become {name, value} lists sorted by name, then value;
// - discovery.timeout moves to timeouts.discovery;
// - apiServer.timeoutForControlPlane moves to the InitConfiguration's
//   timeouts.controlPlaneComponentHealthCheck (kubeadm carries it through a package global;
//   here the caller applies `controlPlaneTimeout` to the init document);
// - imagePullSerial becomes true; fields v1beta3 lacks get their v1beta4 defaults later.
import { kubeadmAPIVersion } from './defaults.js';
import { parseGoDuration } from './duration.js';
import type {
  ArgDoc, ClusterConfigurationDoc, InitConfigurationDoc, JoinConfigurationDoc, NodeRegistrationDoc,
} from './schema-v1beta4.js';
import type {
  ClusterConfigurationV1beta3, InitConfigurationV1beta3, JoinConfigurationV1beta3, NodeRegistrationV1beta3,
} from './schema-v1beta3.js';


/** A map of flags as a list sorted by name then value (kubeadm's convertToArgs). */
export function argsFromMap(map: Readonly<Record<string, string>> | undefined): ArgDoc[] | undefined {
  if (map === undefined) return undefined;
  return Object.entries(map)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name === b.name ? cmp(a.value, b.value) : cmp(a.name, b.name)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nodeRegistration(n: NodeRegistrationV1beta3 | undefined): NodeRegistrationDoc | undefined {
  if (n === undefined) return undefined;
  const { kubeletExtraArgs, ...rest } = n;
  const args = argsFromMap(kubeletExtraArgs);
  return { ...rest, ...(args === undefined ? {} : { kubeletExtraArgs: args }), imagePullSerial: true };
}

export function convertInit(d: InitConfigurationV1beta3): InitConfigurationDoc {
  const { nodeRegistration: nr, ...rest } = d;
  const converted = nodeRegistration(nr);
  return { ...rest, apiVersion: kubeadmAPIVersion, ...(converted === undefined ? {} : { nodeRegistration: converted }) };
}

export interface ConvertedCluster {
  readonly doc: ClusterConfigurationDoc;
  /** apiServer.timeoutForControlPlane when set and non-zero, for the init document's timeouts. */
  readonly controlPlaneTimeout: string | undefined;
}

export function convertCluster(d: ClusterConfigurationV1beta3): ConvertedCluster {
  const { apiServer, controllerManager, scheduler, etcd, ...rest } = d;
  const out: ClusterConfigurationDoc = { ...rest, apiVersion: kubeadmAPIVersion };
  let controlPlaneTimeout: string | undefined;
  if (apiServer !== undefined) {
    const { timeoutForControlPlane, extraArgs, ...a } = apiServer;
    // kubeadm moves it only when non-zero (`0m0s` is zero too); an unparsable one is kept for the decoder to refuse.
    if (timeoutForControlPlane !== undefined && parseGoDuration(timeoutForControlPlane) !== 0) {
      controlPlaneTimeout = timeoutForControlPlane;
    }
    out.apiServer = { ...a, ...withArgs(extraArgs) };
  }
  if (controllerManager !== undefined) {
    const { extraArgs, ...c } = controllerManager;
    out.controllerManager = { ...c, ...withArgs(extraArgs) };
  }
  if (scheduler !== undefined) {
    const { extraArgs, ...s } = scheduler;
    out.scheduler = { ...s, ...withArgs(extraArgs) };
  }
  if (etcd !== undefined) {
    const { local, ...e } = etcd;
    out.etcd = e;
    if (local !== undefined) {
      const { extraArgs, ...l } = local;
      out.etcd.local = { ...l, ...withArgs(extraArgs) };
    }
  }
  return { doc: out, controlPlaneTimeout };
}

function withArgs(map: Readonly<Record<string, string>> | undefined): { extraArgs?: ArgDoc[] } {
  const args = argsFromMap(map);
  return args === undefined ? {} : { extraArgs: args };
}

export function convertJoin(d: JoinConfigurationV1beta3): JoinConfigurationDoc {
  const { nodeRegistration: nr, discovery, ...rest } = d;
  const out: JoinConfigurationDoc = { ...rest, apiVersion: kubeadmAPIVersion };
  const converted = nodeRegistration(nr);
  if (converted !== undefined) out.nodeRegistration = converted;
  if (discovery !== undefined) {
    const { timeout, ...disc } = discovery;
    out.discovery = disc;
    if (timeout !== undefined) out.timeouts = { discovery: timeout };
  }
  return out;
}
