// What mark-control-plane does to the Node, computed without the API: kubeadm's labels and taints, its two
// progress lines, and the strategic-merge patch from the Node as it is now.
// kubeadm: phases/markcontrolplane/markcontrolplane.go, util/apiclient (PatchNode).
import type { KubeObject } from '../api/objects.js';
import type { Taint } from '../config/types.js';

/** Added with empty values, in kubeadm's order (it prints them as a Go list). */
export const controlPlaneLabels: readonly string[] = Object.freeze([
  'node-role.kubernetes.io/control-plane',
  'node.kubernetes.io/exclude-from-external-load-balancers',
]);

/** The label the kubelet sets when it registers the Node: kubeadm waits for it before patching. */
export const hostnameLabel = 'kubernetes.io/hostname';

/** Go's Taint.ToString(): `key=value:Effect`, or `key:Effect` without a value. */
export function taintText(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** kubeadm's lines; the taints line only when there are taints to add. */
export function markingLines(nodeName: string, taints: readonly Taint[]): string[] {
  const lines = [`[mark-control-plane] Marking the node ${nodeName} as control-plane by adding the labels: [${controlPlaneLabels.join(' ')}]`];
  if (taints.length > 0) {
    lines.push(`[mark-control-plane] Marking the node ${nodeName} as control-plane by adding the taints [${taints.map(taintText).join(' ')}]`);
  }
  return lines;
}

const sameTaint = (a: Taint, b: Taint): boolean =>
  a.key === b.key && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect && a.timeAdded === b.timeAdded;

/** Ours first, then each existing taint that is not exactly one of ours (kubeadm compares whole structs). */
export function mergedTaints(ours: readonly Taint[], existing: readonly Taint[]): Taint[] {
  return [...ours, ...existing.filter((e) => !ours.some((o) => sameTaint(o, e)))];
}

/** The Node's current taints (spec.taints), as plain Taint values. */
export function nodeTaints(node: KubeObject): Taint[] {
  const spec = node['spec'];
  const list = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)['taints'] : undefined;
  return Array.isArray(list) ? list.filter((t): t is Taint => typeof t === 'object' && t !== null && typeof (t as Taint).key === 'string') : [];
}

/**
 * The strategic-merge patch kubeadm's two-way diff yields: the labels that are missing or not empty, and
 * spec.taints (a list Node replaces whole) only when the merged list differs from the current one. An empty
 * object when the Node is already marked.
 */
export function controlPlanePatch(node: KubeObject, taints: readonly Taint[]): Record<string, unknown> {
  const current = node.metadata.labels ?? {};
  const labels = Object.fromEntries(controlPlaneLabels.filter((l) => current[l] !== '').map((l) => [l, '']));
  const existing = nodeTaints(node);
  const merged = mergedTaints(taints, existing);
  const taintsChanged = merged.length !== existing.length || merged.some((t, i) => !sameTaint(t, existing[i]!));
  return {
    ...(Object.keys(labels).length === 0 ? {} : { metadata: { labels } }),
    ...(taintsChanged ? { spec: { taints: merged.map(taintObject) } } : {}),
  };
}

/** A Taint as the API writes it (empty value and timeAdded left out, as Go's omitempty does). */
function taintObject(t: Taint): Record<string, string> {
  return { effect: t.effect, key: t.key, ...(t.value ? { value: t.value } : {}), ...(t.timeAdded ? { timeAdded: t.timeAdded } : {}) };
}
