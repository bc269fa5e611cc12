// What `certs renew` and `certs check-expiration` work on, drawn from the pki/ tables: every
// certificate a CA signs (the CAs themselves are never renewed) and the client certificates
// embedded in the kubeconfig files of the control plane, each with the CA that signs it.
// kubelet.conf is left out, as kubeadm does: the kubelet rotates its own client certificate.
// kubeadm: phases/certs/renewal/manager.go (NewManager; handlers sorted by name).
import { certProfiles, type CertProfile } from '../../pki/certificates.js';
import { kubeconfigProfiles, type KubeconfigProfile } from '../../pki/kubeconfigs.js';
import type { ClusterConfiguration } from '../config/types.js';
import { profileNamed } from '../pki-files/ensure-certs.js';

/** The static pods of a control plane, in the order kubeadm names them. */
export const staticPods = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const;
export type StaticPod = (typeof staticPods)[number];

interface TargetBase {
  /** The `certs renew` subcommand and the check-expiration row: the profile name, or the kubeconfig file name. */
  readonly name: string;
  /** "certificate for serving the Kubernetes API": help text and the `… renewed` line. */
  readonly longName: string;
  /** The signing CA's profile. */
  readonly ca: CertProfile;
  /** The static pods that read this certificate at start-up only, so must restart to load a renewed one. */
  readonly usedBy: readonly StaticPod[];
}

export type RenewTarget =
  | (TargetBase & { readonly kind: 'certificate'; readonly profile: CertProfile })
  | (TargetBase & { readonly kind: 'kubeconfig'; readonly profile: KubeconfigProfile });

/**
 * Who loads each certificate once, when it starts. Clients that read their file on every use
 * (kubectl with admin.conf, etcd's health check client) need no restart.
 */
const usedBy: Readonly<Record<string, readonly StaticPod[]>> = Object.freeze({
  apiserver: ['kube-apiserver'],
  'apiserver-kubelet-client': ['kube-apiserver'],
  'apiserver-etcd-client': ['kube-apiserver'],
  'front-proxy-client': ['kube-apiserver'],
  'etcd-server': ['etcd'],
  'etcd-peer': ['etcd'],
  'etcd-healthcheck-client': [],
  admin: [],
  'super-admin': [],
  'controller-manager': ['kube-controller-manager'],
  scheduler: ['kube-scheduler'],
});

/** Our wording of what each renewable kubeconfig is for (kubeadm's calls the scheduler a "scheduler manager"). */
const kubeconfigPurpose: Readonly<Record<string, string>> = Object.freeze({
  admin: 'for the admin to use and for tskubeadm itself',
  'super-admin': 'for the super-admin',
  'controller-manager': 'for the controller manager to use',
  scheduler: 'for the scheduler to use',
});

function certificateTarget(profile: CertProfile): RenewTarget {
  return { kind: 'certificate', name: profile.name, longName: profile.longName, ca: profileNamed(profile.ca!), usedBy: usedBy[profile.name] ?? [], profile };
}

function kubeconfigTarget(profile: KubeconfigProfile): RenewTarget | undefined {
  const purpose = kubeconfigPurpose[profile.name];
  if (purpose === undefined) return undefined;
  return {
    kind: 'kubeconfig',
    name: profile.file,
    longName: `certificate embedded in the kubeconfig file ${purpose}`,
    // Every kubeconfig client certificate is signed by the cluster CA.
    ca: profileNamed('ca'),
    usedBy: usedBy[profile.name] ?? [],
    profile,
  };
}

/** Whether the cluster uses the profile: the etcd ones only with a local etcd; undefined cluster = all. */
function inCluster(p: CertProfile, cluster: Pick<ClusterConfiguration, 'etcd'> | undefined): boolean {
  return !p.localEtcdOnly || cluster === undefined || cluster.etcd.local !== undefined;
}

/** Every renewable certificate of the cluster (all of them when no cluster is given), sorted by name as kubeadm lists them. */
export function renewTargets(cluster?: Pick<ClusterConfiguration, 'etcd'>): RenewTarget[] {
  const certs = certProfiles.filter((p) => p.ca !== undefined && inCluster(p, cluster)).map(certificateTarget);
  const kubeconfigs = kubeconfigProfiles.map(kubeconfigTarget).filter((t): t is RenewTarget => t !== undefined);
  return [...certs, ...kubeconfigs].sort((a, b) => byName(a.name, b.name));
}

/** The CAs that sign the renewable certificates, sorted by name. */
export function caTargets(cluster?: Pick<ClusterConfiguration, 'etcd'>): CertProfile[] {
  const names = new Set(renewTargets(cluster).map((t) => t.ca.name));
  return certProfiles.filter((p) => names.has(p.name)).sort((a, b) => byName(a.name, b.name));
}

/** The static pods to restart after renewing `renewed`, in kubeadm's order. */
export function podsToRestart(renewed: readonly RenewTarget[]): StaticPod[] {
  return staticPods.filter((pod) => renewed.some((t) => t.usedBy.includes(pod)));
}

/** Go's sort of strings: by UTF-8 bytes, which for these ASCII names is by code unit. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
