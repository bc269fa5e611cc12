// The API resources tskubeadm reads and writes, as data: where each lives (group/version, plural,
// namespaced), so dry-run can print kubeadm's "resource … in API group …" lines and the REST path
// without asking a server, and the test API server serves the same table.
import type { ObjectRef } from './objects.js';

export interface ResourceType {
  readonly kind: string;
  /** `v1`, `apps/v1`, `rbac.authorization.k8s.io/v1`… */
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

const r = (kind: string, apiVersion: string, plural: string, namespaced: boolean): ResourceType =>
  Object.freeze({ kind, apiVersion, plural, namespaced });

export const resourceTypes: readonly ResourceType[] = Object.freeze([
  r('ConfigMap', 'v1', 'configmaps', true),
  r('Secret', 'v1', 'secrets', true),
  r('ServiceAccount', 'v1', 'serviceaccounts', true),
  r('Service', 'v1', 'services', true),
  r('Pod', 'v1', 'pods', true),
  r('Node', 'v1', 'nodes', false),
  r('Namespace', 'v1', 'namespaces', false),
  r('Role', 'rbac.authorization.k8s.io/v1', 'roles', true),
  r('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings', true),
  r('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', false),
  r('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', false),
  r('Deployment', 'apps/v1', 'deployments', true),
  r('DaemonSet', 'apps/v1', 'daemonsets', true),
  r('CertificateSigningRequest', 'certificates.k8s.io/v1', 'certificatesigningrequests', false),
]);

/** The resource type of a kind; throws for a kind tskubeadm never uses (a programming error). */
export function resourceOf(kind: string): ResourceType {
  const t = resourceTypes.find((x) => x.kind === kind);
  if (t === undefined) throw new Error(`no API resource is known for kind ${kind}`);
  return t;
}

/** kubeadm's dry-run name of the group: `core/v1` for the legacy group, else the apiVersion. */
export function apiGroupText(t: ResourceType): string {
  return t.apiVersion.includes('/') ? t.apiVersion : `core/${t.apiVersion}`;
}

/** The REST path of a collection (name undefined) or of one object. */
export function resourcePath(t: ResourceType, namespace: string | undefined, name?: string): string {
  const root = t.apiVersion.includes('/') ? `/apis/${t.apiVersion}` : `/api/${t.apiVersion}`;
  const ns = t.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${ns}/${t.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

export function pathOf(ref: ObjectRef): string {
  return resourcePath(resourceOf(ref.kind), ref.namespace, ref.name);
}
