// The configuration APIs tskubeadm reads, and what it says about the ones it does not.
// kubeadm: util/config/common.go (validateSupportedVersion, validateKnownGVKs).

export const kubeadmGroup = 'kubeadm.k8s.io';

export type KubeadmKind =
  | 'InitConfiguration'
  | 'ClusterConfiguration'
  | 'JoinConfiguration'
  | 'ResetConfiguration'
  | 'UpgradeConfiguration';

export type ComponentKind = 'KubeletConfiguration' | 'KubeProxyConfiguration';

/** How a document's apiVersion/kind was recognised. */
export type KindClass =
  | { readonly type: 'kubeadm'; readonly version: 'v1beta4' | 'v1beta3'; readonly kind: KubeadmKind }
  | { readonly type: 'component'; readonly kind: ComponentKind }
  | { readonly type: 'old'; readonly useKubeadm: string }
  | { readonly type: 'unknown' };

const kubeadmKinds: Readonly<Record<'v1beta4' | 'v1beta3', readonly KubeadmKind[]>> = Object.freeze({
  v1beta4: ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration', 'ResetConfiguration', 'UpgradeConfiguration'],
  // ResetConfiguration and UpgradeConfiguration appeared with v1beta4 (corpus 056, 057).
  v1beta3: ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration'],
});

/** Removed kubeadm API versions and the last kubeadm that can still migrate each. */
const oldKubeadmVersions: Readonly<Record<string, string>> = Object.freeze({
  v1alpha1: 'v1.11',
  v1alpha2: 'v1.12',
  v1alpha3: 'v1.14',
  v1beta1: 'v1.15',
  v1beta2: 'v1.22',
});

const componentAPIs: Readonly<Record<ComponentKind, string>> = Object.freeze({
  KubeletConfiguration: 'kubelet.config.k8s.io/v1beta1',
  KubeProxyConfiguration: 'kubeproxy.config.k8s.io/v1alpha1',
});

export function classifyKind(apiVersion: string, kind: string): KindClass {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  if (group === kubeadmGroup) {
    // Any kind of a removed version gets the migration advice, as kubeadm does; this also
    // rejects v1alpha1 MasterConfiguration, which `kubeadm config validate` lets through (corpus 011).
    const old = oldKubeadmVersions[version];
    if (old !== undefined) return { type: 'old', useKubeadm: old };
    if (version === 'v1beta4' || version === 'v1beta3') {
      const k = kubeadmKinds[version].find((x) => x === kind);
      if (k !== undefined) return { type: 'kubeadm', version, kind: k };
    }
    return { type: 'unknown' };
  }
  for (const [k, api] of Object.entries(componentAPIs) as [ComponentKind, string][]) {
    if (k === kind && api === apiVersion) return { type: 'component', kind: k };
  }
  return { type: 'unknown' };
}

/** kubeadm's ParseGroupVersion: "" is empty, "v1" has no group, more than one slash is invalid. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  if (apiVersion === '') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return undefined;
}
