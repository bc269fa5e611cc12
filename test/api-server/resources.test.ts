// The resource semantics of the test API server, asked as kube-apiserver would be: Status bodies for
// 404/409/422/400/415, resourceVersion and optimistic concurrency, merge and strategic patches on a Node,
// list selectors, delete, and discovery.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/objects.js';
import { call, startCluster, type Cluster } from './cluster-fixture.js';

let c: Cluster;
before(async () => { c = await startCluster(); });
after(async () => { await c.close(); });

const cm = (name: string, extra: Partial<KubeObject> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' }, ...extra });
const cms = '/api/v1/namespaces/kube-system/configmaps';
const admin = () => c.superAdmin;
const meta = (r: { json: Record<string, unknown> }) => r.json['metadata'] as Required<KubeObject['metadata']>;

test('create sets uid, creationTimestamp, namespace and a growing resourceVersion; a second create is 409 AlreadyExists', async () => {
  const a = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('first') });
  const b = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('second') });
  assert.equal(a.status, 201);
  assert.equal(meta(a).namespace, 'kube-system');
  assert.match(meta(a).uid, /^[0-9a-f-]{36}$/);
  assert.match(meta(a).creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Number(meta(b).resourceVersion) > Number(meta(a).resourceVersion));
  const again = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('first') });
  assert.equal(again.status, 409);
  assert.deepEqual(again.json, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "first" already exists',
    reason: 'AlreadyExists', details: { name: 'first', kind: 'configmaps' }, code: 409,
  });
});

test('get of a missing object is a 404 Status; an unknown path is 404 too', async () => {
  const r = await call(c, { path: `${cms}/nope`, as: admin() });
  assert.equal(r.status, 404);
  assert.deepEqual(r.json, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "nope" not found',
    reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404,
  });
  const crb = await call(c, { path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/nope', as: admin() });
  assert.equal(crb.json['message'], 'clusterrolebindings.rbac.authorization.k8s.io "nope" not found');
  const unknown = await call(c, { path: '/api/v1/namespaces/default/widgets', as: admin() });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json['message'], 'the server could not find the requested resource');
});

test('invalid names are 422 Invalid; RBAC names may hold colons', async () => {
  const r = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('Bad_Name') });
  assert.equal(r.status, 422);
  assert.equal(r.json['reason'], 'Invalid');
  assert.match(String(r.json['message']), /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.deepEqual((r.json['details'] as { causes: unknown[] }).causes.length, 1);
  const colon = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('kubeadm:config') });
  assert.equal(colon.status, 422);
  const role = await call(c, { method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/roles', as: admin(),
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'kubeadm:nodes-kubeadm-config' }, rules: [] } });
  assert.equal(role.status, 201);
  const slash = await call(c, { method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles', as: admin(),
    body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'a/b' }, rules: [] } });
  assert.equal(slash.status, 422);
  assert.match(String(slash.json['message']), /^ClusterRole\.rbac\.authorization\.k8s\.io "a\/b" is invalid: metadata\.name: Invalid value: "a\/b": may not contain '\/'/);
});

test('a body whose namespace, apiVersion or kind disagrees with the path is 400 BadRequest', async () => {
  const ns = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('x', { metadata: { name: 'x', namespace: 'default' } }) });
  assert.equal(ns.status, 400);
  assert.equal(ns.json['message'], 'the namespace of the provided object does not match the namespace sent on the request');
  const version = await call(c, { method: 'POST', path: cms, as: admin(), body: { ...cm('x'), apiVersion: 'apps/v1' } });
  assert.equal(version.status, 400);
  assert.equal(version.json['message'], 'the API version in the data (apps/v1) does not match the expected API version (v1)');
  const kind = await call(c, { method: 'POST', path: cms, as: admin(), body: { ...cm('x'), kind: 'Secret' } });
  assert.equal(kind.status, 400);
  assert.equal((await call(c, { method: 'POST', path: cms, as: admin(), body: '{not json' })).status, 400);
  const missingNs = await call(c, { method: 'POST', path: '/api/v1/namespaces/nowhere/configmaps', as: admin(), body: cm('x') });
  assert.equal(missingNs.status, 404);
  assert.equal(missingNs.json['message'], 'namespaces "nowhere" not found');
  const rv = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('x', { metadata: { name: 'x', resourceVersion: '5' } }) });
  assert.equal(rv.status, 500);
  assert.match(String(rv.json['message']), /resourceVersion should not be set on objects to be created/);
});

test('PUT: 404 when absent, 409 Conflict with a stale resourceVersion, unconditional without one', async () => {
  assert.equal((await call(c, { method: 'PUT', path: `${cms}/absent`, as: admin(), body: cm('absent') })).status, 404);
  const made = await call(c, { method: 'POST', path: cms, as: admin(), body: cm('versioned') });
  const rv = meta(made).resourceVersion;
  const first = await call(c, { method: 'PUT', path: `${cms}/versioned`, as: admin(), body: cm('versioned', { metadata: { name: 'versioned', resourceVersion: rv }, data: { k: '2' } }) });
  assert.equal(first.status, 200);
  assert.equal(meta(first).uid, meta(made).uid);
  assert.notEqual(meta(first).resourceVersion, rv);
  const stale = await call(c, { method: 'PUT', path: `${cms}/versioned`, as: admin(), body: cm('versioned', { metadata: { name: 'versioned', resourceVersion: rv }, data: { k: '3' } }) });
  assert.equal(stale.status, 409);
  assert.equal(stale.json['reason'], 'Conflict');
  assert.equal(stale.json['message'], 'Operation cannot be fulfilled on configmaps "versioned": the object has been modified; please apply your changes to the latest version and try again');
  const blind = await call(c, { method: 'PUT', path: `${cms}/versioned`, as: admin(), body: cm('versioned', { data: { k: '4' } }) });
  assert.equal(blind.status, 200);
  assert.deepEqual(c.server.get('ConfigMap', 'versioned', 'kube-system')?.['data'], { k: '4' });
  const renamed = await call(c, { method: 'PUT', path: `${cms}/versioned`, as: admin(), body: cm('other') });
  assert.equal(renamed.status, 400);
});

test('PATCH a Node: merge patch merges maps; strategic patch replaces taints and merges conditions by type', async () => {
  c.server.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp-1', labels: { a: '1' } },
    spec: { taints: [{ key: 'old', effect: 'NoSchedule' }] },
    status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }] } });
  const merge = await call(c, { method: 'PATCH', path: '/api/v1/nodes/cp-1', as: admin(), contentType: 'application/merge-patch+json',
    body: { metadata: { labels: { b: '2' } } } });
  assert.equal(merge.status, 200);
  assert.deepEqual(meta(merge).labels, { a: '1', b: '2' });
  const strategic = await call(c, { method: 'PATCH', path: '/api/v1/nodes/cp-1', as: admin(), contentType: 'application/strategic-merge-patch+json',
    body: { metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] } } });
  assert.equal(strategic.status, 200);
  const node = c.server.get('Node', 'cp-1');
  assert.deepEqual(node?.metadata.labels, { a: '1', b: '2', 'node-role.kubernetes.io/control-plane': '' });
  assert.deepEqual((node?.['spec'] as { taints: unknown }).taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  assert.deepEqual((node?.['status'] as { conditions: unknown }).conditions, [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }]);
  const stale = await call(c, { method: 'PATCH', path: '/api/v1/nodes/cp-1', as: admin(), contentType: 'application/merge-patch+json',
    body: { metadata: { resourceVersion: '1' } } });
  assert.equal(stale.status, 409);
  const bad = await call(c, { method: 'PATCH', path: '/api/v1/nodes/cp-1', as: admin(), contentType: 'application/json', body: {} });
  assert.equal(bad.status, 415);
  const directive = await call(c, { method: 'PATCH', path: '/api/v1/nodes/cp-1', as: admin(), contentType: 'application/strategic-merge-patch+json',
    body: { metadata: { $patch: 'bogus' } } });
  assert.equal(directive.status, 400);
  assert.equal((await call(c, { method: 'PATCH', path: '/api/v1/nodes/absent', as: admin(), contentType: 'application/merge-patch+json', body: {} })).status, 404);
});

test('LIST filters by field and label selectors and omits apiVersion/kind on items, as a real list does', async () => {
  c.server.put({ apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token', metadata: { name: 'bootstrap-token-aaaaaa', namespace: 'kube-system', labels: { x: 'y' } }, data: {} });
  c.server.put({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'plain', namespace: 'kube-system' }, data: {} });
  const path = '/api/v1/namespaces/kube-system/secrets';
  const typed = await call(c, { path: `${path}?fieldSelector=${encodeURIComponent('type=bootstrap.kubernetes.io/token')}`, as: admin() });
  assert.equal(typed.status, 200);
  assert.equal(typed.json['kind'], 'SecretList');
  assert.deepEqual(typed.json.items?.map((i) => i.metadata.name), ['bootstrap-token-aaaaaa']);
  assert.equal(typed.json.items?.[0]?.kind, undefined);
  const byName = await call(c, { path: `${path}?fieldSelector=metadata.name%3Dplain`, as: admin() });
  assert.deepEqual(byName.json.items?.map((i) => i.metadata.name), ['plain']);
  const byLabel = await call(c, { path: `${path}?labelSelector=x%3Dy`, as: admin() });
  assert.deepEqual(byLabel.json.items?.map((i) => i.metadata.name), ['bootstrap-token-aaaaaa']);
  const unsupported = await call(c, { path: `${path}?fieldSelector=spec.foo%3Dbar`, as: admin() });
  assert.equal(unsupported.status, 400);
  assert.equal(unsupported.json['message'], 'field label not supported: spec.foo');
});

test('DELETE answers a Success Status, then 404; the built-in namespaces cannot be deleted', async () => {
  await call(c, { method: 'POST', path: cms, as: admin(), body: cm('doomed') });
  const r = await call(c, { method: 'DELETE', path: `${cms}/doomed`, as: admin() });
  assert.equal(r.status, 200);
  assert.equal(r.json['status'], 'Success');
  assert.equal((r.json['details'] as { name: string }).name, 'doomed');
  assert.equal((await call(c, { method: 'DELETE', path: `${cms}/doomed`, as: admin() })).status, 404);
  assert.equal((await call(c, { method: 'DELETE', path: '/api/v1/namespaces/kube-system', as: admin() })).status, 403);
});

test('discovery lists the table\'s kinds per group version', async () => {
  const core = await call(c, { path: '/api/v1', as: c.kubelet });
  assert.equal(core.json['kind'], 'APIResourceList');
  const resources = core.json['resources'] as { name: string; kind: string; namespaced: boolean }[];
  assert.deepEqual(resources.find((r) => r.kind === 'ConfigMap'), { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] });
  const rbac = await call(c, { path: '/apis/rbac.authorization.k8s.io/v1', as: c.kubelet });
  assert.equal(rbac.json['groupVersion'], 'rbac.authorization.k8s.io/v1');
  assert.equal((await call(c, { path: '/apis/nothing.example/v1', as: c.kubelet })).status, 404);
});
