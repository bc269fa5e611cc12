// Authorization as a kubeadm cluster has it: system:masters may do anything; the Node authorizer lets a
// kubelet (system:node:<name> in system:nodes) manage its own Node and its CSRs; everything else is RBAC over
// the stored Roles, ClusterRoles and bindings plus the bootstrap policy every cluster has built in.
import type { KubeObject } from '../../../src/api/objects.js';
import { resourceOf } from '../../../src/api/resources.js';
import type { UserInfo } from './auth.js';
import type { RequestInfo, ResourceRequest } from './request-info.js';
import { failure, qualifiedResource, type ApiFailure } from './status.js';
import type { Store } from './store.js';

export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

interface Subject { readonly kind: string; readonly name: string; readonly namespace?: string }
interface RoleRef { readonly kind: string; readonly name: string }

const csrGroup = 'certificates.k8s.io';
const csrs = 'certificatesigningrequests';

/** The bootstrap policy's ClusterRoles that kubeadm binds or relies on (served from here, not stored). */
export const builtinClusterRoles: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }],
  'system:discovery': [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }],
  'system:public-info-viewer': [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
  'system:node-bootstrapper': [{ verbs: ['create', 'get', 'list', 'watch'], apiGroups: [csrGroup], resources: [csrs] }],
  'system:certificates.k8s.io:certificatesigningrequests:nodeclient': [{ verbs: ['create'], apiGroups: [csrGroup], resources: [`${csrs}/nodeclient`] }],
  'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient': [{ verbs: ['create'], apiGroups: [csrGroup], resources: [`${csrs}/selfnodeclient`] }],
  'system:node-proxier': [
    { verbs: ['list', 'watch'], apiGroups: [''], resources: ['endpoints', 'services'] },
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['nodes'] },
    { verbs: ['create', 'patch', 'update'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
    { verbs: ['list', 'watch'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
  ],
};

const builtinBindings: readonly { readonly role: string; readonly groups: readonly string[] }[] = [
  { role: 'cluster-admin', groups: ['system:masters'] },
  { role: 'system:discovery', groups: ['system:authenticated'] },
  { role: 'system:public-info-viewer', groups: ['system:authenticated', 'system:unauthenticated'] },
];

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export function authorize(user: UserInfo, info: RequestInfo, store: Store): Decision {
  if (user.groups.includes('system:masters')) return { allowed: true };
  if (info.isResource && nodeAllows(user, info)) return { allowed: true };
  const errors: string[] = [];
  const applies = (rules: readonly PolicyRule[]) => rules.some((r) => ruleAllows(r, info));
  for (const b of builtinBindings) {
    if (b.groups.some((g) => user.groups.includes(g)) && applies(builtinClusterRoles[b.role]!)) return { allowed: true };
  }
  for (const b of store.list(resourceOf('ClusterRoleBinding'), undefined)) {
    if (!boundTo(b, user)) continue;
    const rules = rulesOf(store, roleRefOf(b), undefined, errors);
    if (rules !== undefined && applies(rules)) return { allowed: true };
  }
  if (info.isResource && info.namespace !== undefined) {
    for (const b of store.list(resourceOf('RoleBinding'), info.namespace)) {
      if (!boundTo(b, user)) continue;
      const rules = rulesOf(store, roleRefOf(b), info.namespace, errors);
      if (rules !== undefined && applies(rules)) return { allowed: true };
    }
  }
  const reason = errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`}`;
  return { allowed: false, reason };
}

/** The Node authorizer and NodeRestriction, simplified: a kubelet reads nodes, writes only its own, and makes CSRs. */
function nodeAllows(user: UserInfo, info: ResourceRequest): boolean {
  if (!user.name.startsWith('system:node:') || !user.groups.includes('system:nodes')) return false;
  const own = user.name.slice('system:node:'.length);
  if (info.group === '' && info.plural === 'nodes') {
    if (['get', 'list', 'watch'].includes(info.verb)) return true;
    // create carries no name in the path; the server checks the body's name (nodeMayWrite).
    return info.verb === 'create' || (['update', 'patch', 'delete'].includes(info.verb) && info.name === own);
  }
  return info.group === csrGroup && info.plural === csrs && info.subresource === undefined && ['create', 'get', 'list', 'watch'].includes(info.verb);
}

/** NodeRestriction's check of a Node a kubelet writes; undefined when allowed. */
export function nodeWriteDenied(user: UserInfo, obj: KubeObject): ApiFailure | undefined {
  if (obj.kind !== 'Node' || !user.name.startsWith('system:node:') || user.groups.includes('system:masters')) return undefined;
  const own = user.name.slice('system:node:'.length);
  if (obj.metadata.name === own) return undefined;
  return failure(403, 'Forbidden', `nodes "${obj.metadata.name}" is forbidden: node "${own}" is not allowed to modify node "${obj.metadata.name}"`,
    { name: obj.metadata.name, kind: 'nodes' });
}

function roleRefOf(binding: KubeObject): RoleRef {
  const ref = binding['roleRef'] as RoleRef | undefined;
  return ref ?? { kind: '', name: '' };
}

function boundTo(binding: KubeObject, user: UserInfo): boolean {
  const subjects = (binding['subjects'] ?? []) as readonly Subject[];
  return subjects.some((s) => {
    if (s.kind === 'User') return s.name === user.name;
    if (s.kind === 'Group') return user.groups.includes(s.name);
    if (s.kind === 'ServiceAccount') return user.name === `system:serviceaccount:${s.namespace ?? binding.metadata.namespace ?? ''}:${s.name}`;
    return false;
  });
}

function rulesOf(store: Store, ref: RoleRef, namespace: string | undefined, errors: string[]): readonly PolicyRule[] | undefined {
  if (ref.kind === 'ClusterRole') {
    const stored = store.get(resourceOf('ClusterRole'), undefined, ref.name);
    const rules = stored === undefined ? builtinClusterRoles[ref.name] : ((stored['rules'] ?? []) as PolicyRule[]);
    if (rules === undefined) errors.push(`clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`);
    return rules;
  }
  if (ref.kind === 'Role' && namespace !== undefined) {
    const stored = store.get(resourceOf('Role'), namespace, ref.name);
    if (stored === undefined) errors.push(`role.rbac.authorization.k8s.io "${ref.name}" not found`);
    return stored === undefined ? undefined : ((stored['rules'] ?? []) as PolicyRule[]);
  }
  return undefined;
}

const has = (list: readonly string[] | undefined, v: string) => list !== undefined && (list.includes('*') || list.includes(v));

function ruleAllows(rule: PolicyRule, info: RequestInfo): boolean {
  if (!has(rule.verbs, info.verb)) return false;
  if (!info.isResource) {
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === info.path || (u.endsWith('*') && info.path.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, info.group)) return false;
  const combined = info.subresource === undefined ? info.plural : `${info.plural}/${info.subresource}`;
  const resources = rule.resources ?? [];
  const resourceOk = resources.includes('*') || resources.includes(combined) ||
    (info.subresource !== undefined && resources.includes(`*/${info.subresource}`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (info.name !== undefined && names.includes(info.name));
}

/** The 403 kube-apiserver writes for a denied request (responsewriters.Forbidden). */
export function forbidden(user: UserInfo, info: RequestInfo, reason: string): ApiFailure {
  const suffix = reason === '' ? '' : `: ${reason}`;
  if (!info.isResource) {
    return failure(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${info.verb} path "${info.path}"${suffix}`, {});
  }
  const resource = info.subresource === undefined ? info.plural : `${info.plural}/${info.subresource}`;
  const scope = info.namespace !== undefined ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
  const why = `User "${user.name}" cannot ${info.verb} resource "${resource}" in API group "${info.group}" ${scope}${suffix}`;
  const qualified = qualifiedResource(info.group, info.plural);
  const name = info.name ?? '';
  const message = name === '' ? `${qualified} is forbidden: ${why}` : `${qualified} "${name}" is forbidden: ${why}`;
  return failure(403, 'Forbidden', message, {
    ...(name === '' ? {} : { name }), ...(info.group === '' ? {} : { group: info.group }), kind: info.plural,
  });
}
