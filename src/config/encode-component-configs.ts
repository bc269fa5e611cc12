// kubeadm's defaulted KubeletConfiguration and KubeProxyConfiguration documents.
// kubeadm decodes these into the kubelet's and kube-proxy's Go structs, applies its own
// defaults (componentconfigs/kubelet.go and kubeproxy.go Default()) and marshals the whole
// struct, so every field without `omitempty` prints with its zero value. The skeletons
// below are those zero values (observed: kubeadm-observed/init-defaults-cc.yaml); the
// fields kubeadm computes are set on a copy, from the cluster configuration.
import type { ClusterConfiguration, ComponentConfig } from './types.js';
import type { GoObject } from './encode-common.js';
import { deepFreeze } from './deep-freeze.js';
import { formatIP, indexedIP, parseCIDR, parseIP } from './ip.js';

type Json = Record<string, unknown>;

const kubeletSkeleton = deepFreeze({
  apiVersion: 'kubelet.config.k8s.io/v1beta1',
  kind: 'KubeletConfiguration',
  authentication: { anonymous: {}, webhook: { cacheTTL: '0s' }, x509: {} },
  authorization: { webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
  containerRuntimeEndpoint: '',
  cpuManagerReconcilePeriod: '0s',
  crashLoopBackOff: {},
  evictionPressureTransitionPeriod: '0s',
  fileCheckFrequency: '0s',
  httpCheckFrequency: '0s',
  imageMaximumGCAge: '0s',
  imageMinimumGCAge: '0s',
  logging: { flushFrequency: 0, options: { json: { infoBufferSize: '0' }, text: { infoBufferSize: '0' } }, verbosity: 0 },
  memorySwap: {},
  nodeStatusReportFrequency: '0s',
  nodeStatusUpdateFrequency: '0s',
  runtimeRequestTimeout: '0s',
  shutdownGracePeriod: '0s',
  shutdownGracePeriodCriticalPods: '0s',
  streamingConnectionIdleTimeout: '0s',
  syncFrequency: '0s',
  volumeStatsAggPeriod: '0s',
});

const kubeProxySkeleton = deepFreeze({
  apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
  kind: 'KubeProxyConfiguration',
  bindAddress: '',
  bindAddressHardFail: false,
  clientConnection: { acceptContentTypes: '', burst: 0, contentType: '', kubeconfig: '', qps: 0 },
  clusterCIDR: '',
  configSyncPeriod: '0s',
  conntrack: {
    maxPerCore: null, min: null, tcpBeLiberal: false, tcpCloseWaitTimeout: null, tcpEstablishedTimeout: null,
    udpStreamTimeout: '0s', udpTimeout: '0s',
  },
  detectLocal: { bridgeInterface: '', interfaceNamePrefix: '' },
  detectLocalMode: '',
  enableProfiling: false,
  healthzBindAddress: '',
  hostnameOverride: '',
  iptables: { localhostNodePorts: null, masqueradeAll: false, masqueradeBit: null, minSyncPeriod: '0s', syncPeriod: '0s' },
  ipvs: {
    excludeCIDRs: null, minSyncPeriod: '0s', scheduler: '', strictARP: false, syncPeriod: '0s', tcpFinTimeout: '0s',
    tcpTimeout: '0s', udpTimeout: '0s',
  },
  logging: { flushFrequency: 0, options: { json: { infoBufferSize: '0' }, text: { infoBufferSize: '0' } }, verbosity: 0 },
  metricsBindAddress: '',
  mode: '',
  nftables: { masqueradeAll: false, masqueradeBit: null, minSyncPeriod: '0s', syncPeriod: '0s' },
  nodePortAddresses: null,
  oomScoreAdj: null,
  portRange: '',
  showHiddenMetricsForVersion: '',
  winkernel: { enableDSR: false, forwardHealthCheckVip: false, networkName: '', rootHnsEndpointName: '', sourceVip: '' },
});

/** kubeadm's fixed values (componentconfigs/kubelet.go, kubeproxy.go, constants.go). */
export const componentConfigDefaults = Object.freeze({
  staticPodPath: '/etc/kubernetes/manifests',
  fallbackClusterDNS: '10.96.0.10',
  healthzBindAddress: '127.0.0.1',
  healthzPort: 10248,
  cgroupDriver: 'systemd',
  systemdResolvConf: '/run/systemd/resolve/resolv.conf',
  kubeProxyKubeconfig: '/var/lib/kube-proxy/kubeconfig.conf',
});

export interface ComponentConfigResult {
  readonly document: GoObject;
  /** kubeadm's "recommended value" warnings for user values that differ from what it would set. */
  readonly warnings: readonly string[];
}

export interface KubeletConfigOptions {
  /** The user's KubeletConfiguration document, if any; its values win over the zero skeleton. */
  readonly given?: ComponentConfig;
  /** Set when systemd-resolved is active on the host (kubeadm then points the kubelet at its resolv.conf). */
  readonly resolvConf?: string;
}

/** kubeadm's defaulted KubeletConfiguration for this cluster. */
export function kubeletConfiguration(cluster: ClusterConfiguration, opts: KubeletConfigOptions = {}): ComponentConfigResult {
  const kind = 'KubeletConfiguration';
  const doc = merge(kubeletSkeleton, opts.given ?? {});
  const d = new Defaulter(kind, doc);
  const dnsIP = tenthIP(firstCIDR(cluster.networking.serviceSubnet)) ?? componentConfigDefaults.fallbackClusterDNS;

  d.string(['staticPodPath'], componentConfigDefaults.staticPodPath);
  const clusterDNS = doc['clusterDNS'];
  if (clusterDNS === undefined || clusterDNS === null) doc['clusterDNS'] = [dnsIP];
  else if (!Array.isArray(clusterDNS) || clusterDNS.length !== 1 || clusterDNS[0] !== dnsIP) d.warn('clusterDNS', [dnsIP], clusterDNS);
  if (cluster.networking.dnsDomain !== '') d.string(['clusterDomain'], cluster.networking.dnsDomain);
  d.string(['authentication', 'x509', 'clientCAFile'], `${cluster.certificatesDir.replace(/\/+$/, '')}/ca.crt`);
  d.set(['authentication', 'anonymous', 'enabled'], false);
  d.string(['authorization', 'mode'], 'Webhook');
  d.set(['authentication', 'webhook', 'enabled'], true);
  d.string(['healthzBindAddress'], componentConfigDefaults.healthzBindAddress);
  d.set(['healthzPort'], componentConfigDefaults.healthzPort);
  const readOnlyPort = doc['readOnlyPort'];
  if (readOnlyPort !== undefined && readOnlyPort !== null && readOnlyPort !== 0) d.warn('readOnlyPort', 0, readOnlyPort);
  // kubeadm cannot tell an unset bool from false here, so it always forces certificate rotation on.
  doc['rotateCertificates'] = true;
  if (doc['cgroupDriver'] === undefined || doc['cgroupDriver'] === null || doc['cgroupDriver'] === '') {
    doc['cgroupDriver'] = componentConfigDefaults.cgroupDriver;
  }
  if (opts.resolvConf !== undefined) d.set(['resolvConf'], opts.resolvConf);
  return { document: doc as GoObject, warnings: d.warnings };
}

export interface KubeProxyConfigOptions {
  readonly given?: ComponentConfig;
  /** This node's API advertise address: an IPv6 one makes kube-proxy bind `::`. */
  readonly advertiseAddress: string;
}

/** kubeadm's defaulted KubeProxyConfiguration for this cluster. */
export function kubeProxyConfiguration(cluster: ClusterConfiguration, opts: KubeProxyConfigOptions): ComponentConfigResult {
  const doc = merge(kubeProxySkeleton, opts.given ?? {});
  const d = new Defaulter('KubeProxyConfiguration', doc);
  // kubeadm: an address that is not IPv4 (IPv6, or none at all) binds `::`.
  d.string(['bindAddress'], parseIP(opts.advertiseAddress)?.family === 4 ? '0.0.0.0' : '::');
  if (cluster.networking.podSubnet !== '') d.string(['clusterCIDR'], cluster.networking.podSubnet);
  d.string(['clientConnection', 'kubeconfig'], componentConfigDefaults.kubeProxyKubeconfig);
  return { document: doc as GoObject, warnings: d.warnings };
}

/** Sets a field when unset (Go's zero value), else warns when it differs, as kubeadm's Default() does. */
class Defaulter {
  readonly warnings: string[] = [];
  constructor(
    private readonly kind: string,
    private readonly doc: Json,
  ) {}

  string(path: readonly string[], value: string): void {
    this.apply(path, value, (v) => v === undefined || v === null || v === '');
  }

  set(path: readonly string[], value: unknown): void {
    this.apply(path, value, (v) => v === undefined || v === null);
  }

  warn(field: string, recommended: unknown, given: unknown): void {
    this.warnings.push(`The recommended value for "${field}" in "${this.kind}" is: ${goValue(recommended)}; the provided value is: ${goValue(given)}`);
  }

  private apply(path: readonly string[], value: unknown, isUnset: (v: unknown) => boolean): void {
    let obj = this.doc;
    for (const key of path.slice(0, -1)) {
      const next = obj[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) obj[key] = {};
      obj = obj[key] as Json;
    }
    const last = path[path.length - 1]!;
    const current = obj[last];
    if (isUnset(current)) obj[last] = value;
    else if (current !== value) this.warn(path.join('.'), value, current);
  }
}

/** Go's %v for the values in these warnings: lists as `[a b]`. */
function goValue(v: unknown): string {
  return Array.isArray(v) ? `[${v.map(goValue).join(' ')}]` : String(v);
}

/** A deep copy of `base` with `given` laid over it: maps merge, anything else replaces; a null leaves the base value. */
function merge(base: Readonly<Json>, given: Readonly<Record<string, unknown>>): Json {
  const out: Json = structuredClone(base) as Json;
  for (const [k, v] of Object.entries(given)) {
    if (v === null || v === undefined) continue;
    const b = out[k];
    out[k] = isMap(v) && isMap(b) ? merge(b, v) : structuredClone(v);
  }
  return out;
}

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}


/** The first CIDR of a comma-separated (dual-stack) list. */
function firstCIDR(subnets: string): string {
  return subnets.split(',')[0]?.trim() ?? '';
}

/** The address 10 past the network address of a CIDR (kubeadm's DNS service IP); undefined when
 *  unparsable or too small to hold it (kubeadm then falls back to 10.96.0.10). */
export function tenthIP(cidr: string): string | undefined {
  const c = parseCIDR(cidr);
  const ip = c === undefined ? undefined : indexedIP(c, 10);
  return ip === undefined ? undefined : formatIP(ip);
}
