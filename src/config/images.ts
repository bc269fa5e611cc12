// The container images a control-plane node needs, named exactly as kubeadm names them
// (cmd/kubeadm/app/images/images.go), and pulling them through the CRI with crictl.
// Preflight imports this at start-up, so it stays free of yaml: `-o` rendering is in encode-images.ts.
import type { ExecResult, Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import type { ClusterConfiguration, ImagePullPolicy } from './types.js';
import { TskubeadmError, exitCodes } from '../errors.js';
import { imagesFor, minorOf } from './kubernetes-versions.js';

/** The default registry; only there is CoreDNS published under the `coredns/` sub-path. */
export const defaultImageRepository = 'registry.k8s.io';

/** A Kubernetes version as an image tag: anything but letters, digits, `_`, `.` and `-` becomes `_` (e.g. `+`). */
export function kubernetesImageTag(version: string): string {
  return version.replace(/[^-a-zA-Z0-9_.]/g, '_');
}

/** kube-apiserver, kube-controller-manager, kube-scheduler and kube-proxy images. */
export function kubernetesImage(component: string, cluster: ClusterConfiguration): string {
  return `${cluster.imageRepository}/${component}:${kubernetesImageTag(cluster.kubernetesVersion)}`;
}

function releaseOf(cluster: ClusterConfiguration) {
  return imagesFor(minorOf(cluster.kubernetesVersion) ?? Number.POSITIVE_INFINITY);
}

export function dnsImage(cluster: ClusterConfiguration): string {
  let repo = cluster.dns.imageRepository !== '' ? cluster.dns.imageRepository : cluster.imageRepository;
  // The official image moved from registry.k8s.io/coredns to registry.k8s.io/coredns/coredns;
  // mirrors keep the flat name, so the sub-path is added for the default registry only.
  if (repo === defaultImageRepository) repo = `${repo}/coredns`;
  const tag = cluster.dns.imageTag !== '' ? cluster.dns.imageTag : releaseOf(cluster).coreDNS;
  return `${repo}/coredns:${tag}`;
}

/** The etcd image; undefined for external etcd (nothing to run locally). */
export function etcdImage(cluster: ClusterConfiguration): string | undefined {
  const local = cluster.etcd.local;
  if (local === undefined) return undefined;
  const repo = local.imageRepository !== '' ? local.imageRepository : cluster.imageRepository;
  const tag = local.imageTag !== '' ? local.imageTag : releaseOf(cluster).etcd;
  return `${repo}/etcd:${tag}`;
}

/** pause always comes from the cluster repository (the dns/etcd overrides do not apply). */
export function pauseImage(cluster: ClusterConfiguration): string {
  return `${cluster.imageRepository}/pause:${releaseOf(cluster).pause}`;
}

/** kubeadm's order: apiserver, controller-manager, scheduler, kube-proxy (unless disabled),
 *  CoreDNS (unless disabled), pause, etcd (local etcd only). */
export function controlPlaneImages(cluster: ClusterConfiguration): string[] {
  const images = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => kubernetesImage(c, cluster));
  if (!cluster.proxy.disabled) images.push(kubernetesImage('kube-proxy', cluster));
  if (!cluster.dns.disabled) images.push(dnsImage(cluster));
  images.push(pauseImage(cluster));
  const etcd = etcdImage(cluster);
  if (etcd !== undefined) images.push(etcd);
  return images;
}

/** kubeadm retries a failed pull this many times (constants.PullImageRetry). */
export const pullImageAttempts = 5;

export interface PullOptions {
  /** CRI endpoint with its scheme, e.g. unix:///var/run/containerd/containerd.sock. */
  readonly criSocket: string;
  readonly policy: ImagePullPolicy;
  /** false pulls all images at once. */
  readonly serial: boolean;
}

/** crictl talking to one runtime endpoint. No `--timeout`: crictl applies it to the pull RPC too, and a real
 *  image takes longer than a connection timeout; the process timeout below bounds a stalled registry instead. */
export function crictlArgv(criSocket: string, ...args: string[]): string[] {
  return ['crictl', '--runtime-endpoint', criSocket, ...args];
}

/** One image through the CRI; `last` is the final failed attempt, for the caller to word. */
export type ImagePullResult =
  | { readonly ok: true; readonly pulled: boolean }
  | { readonly ok: false; readonly spawnError?: string; readonly last: ExecResult };

/** kubeadm's PullImage for one image: IfNotPresent asks the runtime first; a failed pull is retried. */
export async function pullImage(host: Host, criSocket: string, image: string, policy: 'Always' | 'IfNotPresent'): Promise<ImagePullResult> {
  if (policy === 'IfNotPresent') {
    const r = await host.exec.run(crictlArgv(criSocket, 'inspecti', '-q', image), { mutates: false, timeoutMs: 60_000 });
    if (r.spawnError !== undefined) return { ok: false, spawnError: r.spawnError, last: r };
    if (r.exitCode === 0) return { ok: true, pulled: false };
  }
  let last: ExecResult | undefined;
  for (let attempt = 1; attempt <= pullImageAttempts; attempt++) {
    last = await host.exec.run(crictlArgv(criSocket, 'pull', image), { mutates: true, timeoutMs: 15 * 60_000 });
    if (last.spawnError !== undefined) return { ok: false, spawnError: last.spawnError, last }; // no crictl: retrying cannot help
    if (last.exitCode === 0) return { ok: true, pulled: true };
  }
  return { ok: false, last: last! };
}

/**
 * Pulls images through the CRI with `crictl pull`, printing `[config/images] Pulled <image>`.
 * IfNotPresent skips images the runtime already has; Never pulls nothing.
 */
export async function pullImages(host: Host, out: Output, images: readonly string[], o: PullOptions): Promise<void> {
  if (o.policy === 'Never') {
    for (const image of images) out.info(`[config/images] Skipped ${image}: imagePullPolicy is Never`);
    return;
  }
  const policy = o.policy;
  const one = async (image: string): Promise<void> => {
    const r = await pullImage(host, o.criSocket, image, policy);
    if (r.ok) {
      out.info(r.pulled ? `[config/images] Pulled ${image}` : `[config/images] Image is present: ${image}`);
      return;
    }
    if (r.spawnError !== undefined) throw crictlMissing(r.spawnError);
    const last = (r.last.stderr.trim() || r.last.stdout.trim() || `exit code ${r.last.exitCode}`).split('\n').join(' ');
    throw new TskubeadmError(`failed to pull image "${image}": ${last}`, {
      exitCode: exitCodes.generic,
      fix: `check that the container runtime at ${o.criSocket} is running and can reach the registry (try: crictl --runtime-endpoint ${o.criSocket} pull ${image})`,
    });
  };
  if (o.serial) {
    for (const image of images) await one(image);
    return;
  }
  const results = await Promise.allSettled(images.map(one));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) {
    throw new TskubeadmError(failed.map((e) => (e instanceof Error ? e.message : String(e))).join('\n'), {
      exitCode: exitCodes.generic,
      fix: `check that the container runtime at ${o.criSocket} is running and can reach the registry`,
      cause: failed[0],
    });
  }
}

function crictlMissing(detail: string): TskubeadmError {
  return new TskubeadmError(`cannot run crictl to talk to the container runtime: ${detail}`, {
    exitCode: exitCodes.generic,
    fix: 'install crictl (the cri-tools package) and make sure it is on PATH',
  });
}
