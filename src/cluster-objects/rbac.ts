// RBAC objects as kubeadm creates them: small builders so each phase lists its rules as data.
import type { KubeObject } from '../api/objects.js';

const rbacV1 = 'rbac.authorization.k8s.io/v1';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

export type Subject =
  | { readonly kind: 'Group' | 'User'; readonly name: string }
  | { readonly kind: 'ServiceAccount'; readonly name: string; readonly namespace: string };

/** The group every kubelet's credentials carry. */
export const nodesGroup = 'system:nodes';

export const group = (name: string): Subject => ({ kind: 'Group', name });
export const user = (name: string): Subject => ({ kind: 'User', name });
export const serviceAccountSubject = (name: string, namespace: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

/** Keys in the order the API prints them (sorted), resourceNames only when given. */
function rule(r: PolicyRule): Record<string, unknown> {
  return {
    apiGroups: [...r.apiGroups],
    ...(r.resourceNames === undefined ? {} : { resourceNames: [...r.resourceNames] }),
    resources: [...r.resources],
    verbs: [...r.verbs],
  };
}

/** A rule granting `get` on one named object of a core resource (kubeadm's usual read grant). */
export const getNamed = (resource: string, name: string): PolicyRule => ({ apiGroups: [''], resources: [resource], verbs: ['get'], resourceNames: [name] });

export function role(name: string, namespace: string, rules: readonly PolicyRule[]): KubeObject {
  return { apiVersion: rbacV1, kind: 'Role', metadata: { name, namespace }, rules: rules.map(rule) };
}

export function clusterRole(name: string, rules: readonly PolicyRule[]): KubeObject {
  return { apiVersion: rbacV1, kind: 'ClusterRole', metadata: { name }, rules: rules.map(rule) };
}

export function roleBinding(name: string, namespace: string, roleName: string, subjects: readonly Subject[]): KubeObject {
  return {
    apiVersion: rbacV1, kind: 'RoleBinding', metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
    subjects: subjects.map((s) => ({ ...s })),
  };
}

export function clusterRoleBinding(name: string, clusterRoleName: string, subjects: readonly Subject[]): KubeObject {
  return {
    apiVersion: rbacV1, kind: 'ClusterRoleBinding', metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
    subjects: subjects.map((s) => ({ ...s })),
  };
}
