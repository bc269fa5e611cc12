// The Kubernetes releases tskubeadm deploys and the add-on images each one pairs with.
// We emulate kubeadm v1.35 as observed (reference kubeadm-observed/: v1.35.0-alpha.0):
// it deploys control planes 1.34 and 1.35, refuses anything older than 1.34.0 and
// defaults to its own version, 1.35.0. Labels (stable, latest-1.34, …) are resolved
// offline against this table: tskubeadm never asks dl.k8s.io.
import compare from 'semver/functions/compare.js';
import valid from 'semver/functions/valid.js';
import { ConfigError } from '../errors.js';

/** One supported Kubernetes minor and the images kubeadm pairs with it. */
export interface KubernetesRelease {
  /** The `N` of Kubernetes 1.N. */
  readonly minor: number;
  /** The full version a label for this minor resolves to offline: the `.0` release, which certainly exists. */
  readonly version: string;
  /** etcd image tag (kubeadm's SupportedEtcdVersion[minor]). */
  readonly etcd: string;
  /** CoreDNS image tag (kubeadm's CoreDNSVersion: one value per kubeadm build, repeated per row). */
  readonly coreDNS: string;
  /** pause image tag (kubeadm's PauseVersion: one value per kubeadm build, repeated per row). */
  readonly pause: string;
}

// Values as the observed kubeadm printed them (`config images list` for v1.34.0 and the
// `init --dry-run` manifests: etcd 3.6.4-0, coredns v1.12.3, pause 3.10.1). Its etcd map has
// no newer pairing for 1.35, and kubeadm falls back to the nearest entry, so 1.35 gets 3.6.4-0 too.
const releases = [
  { minor: 34, version: 'v1.34.0', etcd: '3.6.4-0', coreDNS: 'v1.12.3', pause: '3.10.1' },
  { minor: 35, version: 'v1.35.0', etcd: '3.6.4-0', coreDNS: 'v1.12.3', pause: '3.10.1' },
] as const satisfies readonly KubernetesRelease[];

/** Supported releases, oldest first; minors are contiguous (checked by test). */
export const kubernetesReleases: readonly KubernetesRelease[] = Object.freeze(releases.map((r) => Object.freeze({ ...r })));

export const supportedMinors: readonly number[] = Object.freeze(kubernetesReleases.map((r) => r.minor));

/** Every supported Kubernetes version has major 1. */
const kubernetesMajor = 1;

/** The oldest control plane tskubeadm deploys (kubeadm's MinimumControlPlaneVersion: its minor − 1). */
export const minimumControlPlaneVersion = 'v1.34.0';

const newest: KubernetesRelease = kubernetesReleases[kubernetesReleases.length - 1]!;

/** The newest minor in the table (kubeadm's own minor). */
export const maximumMinor: number = newest.minor;

/** What kubeadm uses when kubernetesVersion is not set: its own version. */
export const defaultKubernetesVersion: string = newest.version;

/** semver ordering of two Kubernetes versions (`v` prefix allowed): -1, 0 or 1. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return compare(a, b);
}

const fullVersion = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_.+]*)?$/;

/** `1.34.2`, `v1.35.0-alpha.0+abc`: a semantic version, as Go's version.ParseSemantic reads one (`v1.35.0.1` is not). */
function isFullVersion(text: string): boolean {
  return fullVersion.test(text) && valid(text) !== null;
}

/** The minor of `v1.34.2` / `1.34.2`; undefined when the text is not a full version. */
export function minorOf(version: string): number | undefined {
  const m = isFullVersion(version) ? fullVersion.exec(version) : null;
  return m === null ? undefined : Number(m[2]);
}

/** The table row for a minor, or undefined when tskubeadm does not know it. */
export function releaseFor(minor: number): KubernetesRelease | undefined {
  return kubernetesReleases.find((r) => r.minor === minor);
}

/** Images for a minor. An unknown minor gets the nearest row, as kubeadm's EtcdSupportedVersion
 *  does (it warns); callers that care check `releaseFor` first. */
export function imagesFor(minor: number): KubernetesRelease {
  const oldest = kubernetesReleases[0]!;
  if (minor <= oldest.minor) return oldest;
  if (minor >= newest.minor) return newest;
  return releaseFor(minor) ?? newest;
}

/** True when tskubeadm may deploy this control plane version: not older than the minimum.
 *  Newer minors are not refused here (preflight warns about them, as kubeadm does). */
export function isSupportedControlPlaneVersion(version: string): boolean {
  if (minorOf(version) === undefined) return false;
  return compareVersions(version, minimumControlPlaneVersion) >= 0;
}

/** kubeadm's message for a control plane that is too old (kept so users can search it). */
export function tooOldMessage(version: string): string {
  return `this version of kubeadm only supports deploying clusters with the control plane version >= ${minimumControlPlaneVersion.slice(1)}. Current version: ${version}`;
}

const labelPattern = /^(?:release\/)?(stable|latest)(?:-([0-9]+)(?:\.([0-9]+))?)?$/;
const minorOnlyPattern = /^v?([0-9]+)\.([0-9]+)$/;

/**
 * The full `v<x.y.z>` version for what a user wrote as kubernetesVersion, without the network:
 * - `1.34.2` / `v1.34.2` → `v1.34.2` (kubeadm's normalization; range checks are the validator's job);
 * - `stable`, `latest`, `stable-1`, `latest-1` → the default version;
 * - `stable-1.34` / `latest-1.34` → that minor's table version; a newer minor falls back to the
 *   default, as kubeadm does when the remote release is newer than itself;
 * - `v1.34` / `1.34` → that minor's table version (kubeadm refuses this form; we resolve it).
 * Anything else, `ci/` builds and unknown or too-old minors are a ConfigError.
 */
export function resolveVersionLabel(label: string): string {
  const text = label.trim();
  if (isFullVersion(text)) return text.startsWith('v') ? text : `v${text}`;

  if (/^ci(-cross)?\//.test(text)) {
    throw new ConfigError(`kubernetesVersion "${label}": CI builds are not supported`, {
      fix: `use a released version, e.g. ${defaultKubernetesVersion}`,
    });
  }

  const lm = labelPattern.exec(text);
  if (lm !== null) {
    const [, , major, minor] = lm;
    if (major === undefined) return defaultKubernetesVersion;
    if (Number(major) !== kubernetesMajor) throw unknownRelease(label);
    if (minor === undefined) return defaultKubernetesVersion;
    return versionForMinor(label, Number(minor), true);
  }

  const mm = minorOnlyPattern.exec(text);
  if (mm !== null) {
    if (Number(mm[1]) !== kubernetesMajor) throw unknownRelease(label);
    return versionForMinor(label, Number(mm[2]), false);
  }

  throw new ConfigError(
    `version "${label}" doesn't match patterns for neither semantic version nor labels (stable, latest, ...)`,
    { fix: `use a version such as ${defaultKubernetesVersion}, or a label: stable, latest, stable-1.${maximumMinor}` },
  );
}

function versionForMinor(label: string, minor: number, clampNewer: boolean): string {
  const row = releaseFor(minor);
  if (row !== undefined) return row.version;
  if (minor > maximumMinor) {
    if (clampNewer) return defaultKubernetesVersion;
    throw unknownRelease(label);
  }
  throw new ConfigError(tooOldMessage(label), { fix: `use ${minimumControlPlaneVersion} or newer` });
}

function unknownRelease(label: string): ConfigError {
  return new ConfigError(`kubernetesVersion "${label}": tskubeadm knows no such Kubernetes release`, {
    fix: `give a full version (e.g. v1.${maximumMinor}.0) or one of: ${supportedMinors.map((m) => `v1.${m}`).join(', ')}, stable, latest`,
  });
}
