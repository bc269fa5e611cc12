// The shape of a preflight check. Checks are rows of one table (table.ts), each with
// kubeadm's exact name (the key of --ignore-preflight-errors), the lists it belongs to,
// an applicability condition over the target and a function over the host.
import type { ComponentConfig, Etcd, ImagePullPolicy } from '../config/types.js';
import type { Host } from '../host/host.js';

/**
 * The lists kubeadm runs, in its words:
 * - `root`: RunRootCheckOnly (reset, and a fail-fast first pass of init and join);
 * - `init`: InitNodeChecks for the first control plane;
 * - `join`: JoinNodeChecks (every joining node);
 * - `control-plane-join`: InitNodeChecks with isSecondaryControlPlane (after discovery);
 * - `image-pull`: RunPullImagesCheck.
 */
export type CheckSet = 'root' | 'init' | 'join' | 'control-plane-join' | 'image-pull';

export interface ControlPlaneTarget {
  readonly advertiseAddress: string;
  readonly bindPort: number;
  /** Split from networking.serviceSubnet / podSubnet; `['']` when unset, as kubeadm's strings.Split. */
  readonly serviceSubnets: readonly string[];
  readonly podSubnets: readonly string[];
  readonly etcd: Etcd;
  /** A joining control plane that downloads the shared certificates (--certificate-key). */
  readonly downloadCerts: boolean;
}

export interface JoinTarget {
  /** Only checked for a worker (a control plane gets its CA from the cluster). */
  readonly caCertPath: string | undefined;
  /** Host part of discovery.bootstrapToken.apiServerEndpoint, when token discovery is used. */
  readonly discoveryHost: string | undefined;
}

export interface ImagePullTarget {
  readonly images: readonly string[];
  readonly policy: ImagePullPolicy | string;
  readonly serial: boolean;
}

/** Everything a check may look at, built once per run from the command's configuration (target.ts). */
export interface PreflightTarget {
  readonly nodeName: string;
  /** With scheme, e.g. unix:///var/run/containerd/containerd.sock. */
  readonly criSocket: string;
  readonly dryRun: boolean;
  /** The control plane version being deployed; undefined on join, where kubeadm passes none. */
  readonly kubernetesVersion: string | undefined;
  readonly controlPlane: ControlPlaneTarget | undefined;
  readonly join: JoinTarget | undefined;
  /** Which forwarding sysctls must be 1. */
  readonly forwarding: { readonly ipv4: boolean; readonly ipv6: boolean };
  /** The KubeletConfiguration document the user gave (init), for settings that change a verdict. */
  readonly kubeletConfig: ComponentConfig | undefined;
  readonly imagePull: ImagePullTarget | undefined;
}

export interface CheckContext {
  readonly host: Host;
  readonly target: PreflightTarget;
}

export interface CheckResult {
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
  /** Lines printed before the check's verdict when it has errors (SystemVerification's report). */
  readonly report?: readonly string[];
}

export interface CheckSpec {
  /** kubeadm's name, or a function of the target for names built from config (Port-<bindPort>, DirAvailable-…). */
  readonly name: string | ((t: PreflightTarget) => string);
  readonly sets: readonly CheckSet[];
  /** False: the check is not part of this run at all (not printed, not counted). */
  readonly when?: (t: PreflightTarget) => boolean;
  readonly run: (ctx: CheckContext) => Promise<CheckResult>;
}

export const pass: CheckResult = Object.freeze({ warnings: Object.freeze([]), errors: Object.freeze([]) });

/** kubeadm's message first (so greps for it still match), then what to do about it. */
export function withFix(message: string, fix: string | undefined): string {
  return fix === undefined || fix === '' ? message : `${message} — ${fix}`;
}

export function warning(message: string, fix?: string): CheckResult {
  return { warnings: [withFix(message, fix)], errors: [] };
}

export function failure(message: string, fix?: string): CheckResult {
  return { warnings: [], errors: [withFix(message, fix)] };
}

/** kubeadm's name for a path-based check: `/var/lib/etcd` → `<kind>--var-lib-etcd`. */
export function pathCheckName(kind: 'DirAvailable' | 'FileAvailable' | 'FileExisting' | 'FileContent', path: string): string {
  return `${kind}-${path.replaceAll('/', '-')}`;
}

export function nameOf(spec: CheckSpec, target: PreflightTarget): string {
  return typeof spec.name === 'string' ? spec.name : spec.name(target);
}
