// What the phases see of `--patches DIR` (kubeadm: util/patches): the patches read once per run,
// applied to each generated object by target name. The loader is src/patches/load-patches.ts.

/** kubeadm's patch targets: the four static Pods, the kubelet configuration, and (addons) CoreDNS. */
export const patchTargets = [
  'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubeletconfiguration', 'corednsdeployment',
] as const;
export type PatchTarget = (typeof patchTargets)[number];

export interface PatchSet {
  /** `doc` with every patch for `target` applied, in kubeadm's order; prints one `[patches] Applied patch of
   *  type "…" to target "…"` line per patch. Returns a new object; `doc` is not changed. Throws a typed error
   *  naming the patch file when a patch cannot be applied. */
  apply(target: PatchTarget, doc: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** No --patches: every object as generated. */
export const noPatches: PatchSet = Object.freeze({
  apply: (_target: PatchTarget, doc: Readonly<Record<string, unknown>>) => structuredClone(doc) as Record<string, unknown>,
});
