// The local etcd static Pod: one member on this node, listening on its advertise address and on
// loopback, TLS with the etcd CA everywhere, metrics and probes over plain HTTP on loopback.
// kubeadm: phases/etcd/local.go (GetEtcdPodSpec, getEtcdCommand), util/staticpod/utils.go
// (GetEtcdProbeEndpoint), util/etcd (GetClientURL, GetPeerURL).
import path from 'node:path';
import gte from 'semver/functions/gte.js';
import parseSemver from 'semver/functions/parse.js';
import { etcdImage } from '../config/images.js';
import { joinHostPort } from '../config/host-port.js';
import { isIPv6Address } from '../config/ip.js';
import type { APIEndpoint, Arg, ClusterConfiguration, HostPathMount, LocalEtcd } from '../config/types.js';
import { InternalError } from '../errors.js';
import { argumentsToCommand } from './arguments.js';
import { componentEnv, staticPod, startupFailureThreshold } from './static-pod.js';

export const etcdClientPort = 2379;
export const etcdPeerPort = 2380;
export const etcdMetricsPort = 2381;
/** kubeadm's name for the hostPath volume holding etcd's data: reset reads the data directory back from it. */
export const etcdDataVolume = 'etcd-data';

/** The Pod annotation other members and `upgrade` read this member's client URL from. */
export const etcdAdvertiseClientURLsAnnotation = 'kubeadm.kubernetes.io/etcd.advertise-client-urls';

/** A member of an existing etcd cluster, as `etcdctl member list` names it. */
export interface EtcdMember {
  readonly name: string;
  readonly peerURL: string;
}

export interface EtcdPodInput {
  /** Must use local etcd. */
  readonly cluster: ClusterConfiguration;
  /** This node's API endpoint: etcd listens and advertises on the same address. */
  readonly endpoint: APIEndpoint;
  /** The member name (nodeRegistration.name). */
  readonly nodeName: string;
  /** The host's environment: its *_proxy variables go into the Pod. */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly controlPlaneComponentHealthCheckMs: number;
  /** A member joining an existing cluster: every member, this one included, in the order given. Empty or
   *  absent: a new cluster of this node alone. */
  readonly initialCluster?: readonly EtcdMember[];
}

export interface ProbeEndpoint {
  readonly host: string;
  readonly port: number;
  readonly scheme: 'HTTP' | 'HTTPS';
}

/** https://<advertiseAddress>:2379 */
export function etcdClientURL(endpoint: APIEndpoint): string {
  return `https://${joinHostPort(endpoint.advertiseAddress, etcdClientPort)}`;
}

/** https://<advertiseAddress>:2380 */
export function etcdPeerURL(endpoint: APIEndpoint): string {
  return `https://${joinHostPort(endpoint.advertiseAddress, etcdPeerPort)}`;
}

/** Loopback of the advertise address's family: etcd and its probes use the same one. */
function loopbackFor(endpoint: APIEndpoint): string {
  return isIPv6Address(endpoint.advertiseAddress) ? '::1' : '127.0.0.1';
}

/** The tag of an image reference (what follows the last `:` after the last `/`). */
function imageTagOf(image: string): string {
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon === -1 ? '' : name.slice(colon + 1);
}

/** Whether the etcd image tag is a semantic version at least 3.6.0, as kubeadm decides it (apimachinery's
 *  ParseSemantic, then AtLeast): `3.6.4-0` is, `3.6.0-0` is not (a pre-release of 3.6.0), and a tag that is
 *  not a strict semver (`3.6`, `latest`) counts as older. node-semver's strict parser agrees with Go's on
 *  all of these (leading `v`, leading zeros refused, pre-release and build metadata). */
export function etcdTagAtLeast36(tag: string): boolean {
  const v = parseSemver(tag);
  return v !== null && gte(v, '3.6.0');
}

/** etcd 3.6 renamed two flags kubeadm sets: older etcd refuses the new names, 3.7 the old ones. */
function versionedArgs(tag: string): Arg[] {
  return etcdTagAtLeast36(tag)
    ? [{ name: 'feature-gates', value: 'InitialCorruptCheck=true' }, { name: 'watch-progress-notify-interval', value: '5s' }]
    : [{ name: 'experimental-initial-corrupt-check', value: 'true' }, { name: 'experimental-watch-progress-notify-interval', value: '5s' }];
}

function localEtcdOf(cluster: ClusterConfiguration): LocalEtcd {
  if (cluster.etcd.local === undefined) {
    throw new InternalError('an etcd static Pod was asked for a cluster that uses external etcd');
  }
  return cluster.etcd.local;
}

/** `etcd` and its flags: kubeadm's defaults with etcd.local.extraArgs laid over them, sorted. */
export function etcdCommand(input: EtcdPodInput): string[] {
  const { cluster, endpoint, nodeName } = input;
  const local = localEtcdOf(cluster);
  // Go's filepath.Join (cleans doubled and trailing slashes), as for the control-plane flags.
  const certs = (file: string) => path.posix.join(cluster.certificatesDir, file);
  const loopback = loopbackFor(endpoint);
  const members = input.initialCluster ?? [];
  const defaults: Arg[] = [
    { name: 'name', value: nodeName },
    { name: 'listen-client-urls', value: `https://${joinHostPort(loopback, etcdClientPort)},${etcdClientURL(endpoint)}` },
    { name: 'advertise-client-urls', value: etcdClientURL(endpoint) },
    { name: 'listen-peer-urls', value: etcdPeerURL(endpoint) },
    { name: 'initial-advertise-peer-urls', value: etcdPeerURL(endpoint) },
    { name: 'data-dir', value: local.dataDir },
    { name: 'cert-file', value: certs('etcd/server.crt') },
    { name: 'key-file', value: certs('etcd/server.key') },
    { name: 'trusted-ca-file', value: certs('etcd/ca.crt') },
    { name: 'client-cert-auth', value: 'true' },
    { name: 'peer-cert-file', value: certs('etcd/peer.crt') },
    { name: 'peer-key-file', value: certs('etcd/peer.key') },
    { name: 'peer-trusted-ca-file', value: certs('etcd/ca.crt') },
    { name: 'peer-client-cert-auth', value: 'true' },
    { name: 'snapshot-count', value: '10000' },
    { name: 'listen-metrics-urls', value: `http://${joinHostPort(loopback, etcdMetricsPort)}` },
    ...versionedArgs(imageTagOf(etcdImage(cluster) ?? '')),
  ];
  if (members.length === 0) {
    defaults.push({ name: 'initial-cluster', value: `${nodeName}=${etcdPeerURL(endpoint)}` });
  } else {
    defaults.push({ name: 'initial-cluster', value: members.map((m) => `${m.name}=${m.peerURL}`).join(',') });
    defaults.push({ name: 'initial-cluster-state', value: 'existing' });
  }
  return ['etcd', ...argumentsToCommand(defaults, local.extraArgs)];
}

/** Where the kubelet probes etcd: the first URL of the last `listen-metrics-urls` extra arg (kubeadm reads
 *  the args from the end), else loopback:2381 over HTTP. A URL Go cannot parse falls back entirely. */
export function etcdProbeEndpoint(local: LocalEtcd, ipv6: boolean): ProbeEndpoint {
  const fallback: ProbeEndpoint = { host: ipv6 ? '::1' : '127.0.0.1', port: etcdMetricsPort, scheme: 'HTTP' };
  const given = local.extraArgs.findLast((a) => a.name === 'listen-metrics-urls');
  if (given === undefined) return fallback;
  const url = goURLHostPort(given.value.split(',')[0] ?? '');
  if (url === undefined) return fallback;
  const port = /^[0-9]+$/.test(url.port) && Number(url.port) >= 1 && Number(url.port) <= 65535 ? Number(url.port) : etcdMetricsPort;
  return { host: url.host === '' ? fallback.host : url.host, port, scheme: url.scheme === 'https' ? 'HTTPS' : 'HTTP' };
}

/** The scheme, host and port Go's url.Parse + Hostname()/Port() give for the URLs etcd takes
 *  (`scheme://host[:port][/path]`); undefined where url.Parse fails. Kept to Go's rules, not WHATWG's:
 *  a default port stays as written, and a scheme-less `host:port` is a parse error. */
function goURLHostPort(text: string): { scheme: string; host: string; port: string } | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(text);
  if (m === null) return undefined;
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (!rest.startsWith('//')) return { scheme, host: '', port: '' }; // opaque, e.g. "localhost:2381"
  let authority = rest.slice(2).split(/[/?#]/, 1)[0]!;
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) return undefined;
    const after = authority.slice(close + 1);
    if (after !== '' && !/^:[0-9]*$/.test(after)) return undefined;
    return { scheme, host: authority.slice(1, close), port: after.slice(1) };
  }
  const colon = authority.lastIndexOf(':');
  if (colon === -1) return { scheme, host: authority, port: '' };
  const port = authority.slice(colon + 1);
  if (!/^[0-9]*$/.test(port)) return undefined;
  return { scheme, host: authority.slice(0, colon), port };
}

/** The etcd static Pod of this node. */
export function etcdPod(input: EtcdPodInput): Record<string, unknown> {
  const { cluster, endpoint } = input;
  const local = localEtcdOf(cluster);
  const probe = etcdProbeEndpoint(local, isIPv6Address(endpoint.advertiseAddress));
  // kubeadm appends "/etcd" as text here (no path cleaning), unlike the flags.
  const volumes: HostPathMount[] = [
    { name: etcdDataVolume, hostPath: local.dataDir, mountPath: local.dataDir, readOnly: false, pathType: 'DirectoryOrCreate' },
    { name: 'etcd-certs', hostPath: `${cluster.certificatesDir}/etcd`, mountPath: `${cluster.certificatesDir}/etcd`, readOnly: false, pathType: 'DirectoryOrCreate' },
  ];
  const pod = staticPod('etcd', {
    image: etcdImage(cluster) ?? '',
    command: etcdCommand(input),
    probeHost: probe.host,
    probePort: probe.port,
    startupFailureThreshold: startupFailureThreshold(input.controlPlaneComponentHealthCheckMs),
    volumes,
    mountOrder: 'given',
    env: componentEnv(input.hostEnv, local.extraEnvs),
    annotations: { [etcdAdvertiseClientURLsAnnotation]: etcdClientURL(endpoint) },
  });
  if (probe.scheme === 'HTTPS') setProbeScheme(pod, probe.scheme);
  return pod;
}

/** staticPod leaves the template's HTTP scheme; a metrics URL over https moves every probe to HTTPS. */
function setProbeScheme(pod: Record<string, unknown>, scheme: ProbeEndpoint['scheme']): void {
  const spec = pod['spec'] as { containers: Record<string, unknown>[] };
  const container = spec.containers[0]!;
  for (const name of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const get = (container[name] as { httpGet?: Record<string, unknown> } | undefined)?.httpGet;
    if (get !== undefined) get['scheme'] = scheme;
  }
}
