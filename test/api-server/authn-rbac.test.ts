// Who the test API server thinks is asking, and what it lets them do: client certificates against ca.crt,
// bootstrap tokens against their Secrets (expiry by the server's clock), anonymous; RBAC with the built-in
// bootstrap policy, the Node authorizer, and kube-apiserver's exact 401/403 bodies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/objects.js';
import { call, clusterAdminsBinding, foreignCredentials, startCluster, tokenSecret, type Cluster } from './cluster-fixture.js';

let now = new Date('2030-01-01T00:00:00Z');
let c: Cluster;
before(async () => { c = await startCluster({ clock: () => now }); });
after(async () => { await c.close(); });

const lastUser = () => c.server.requests.at(-1)?.user;
const clusterInfoPath = '/api/v1/namespaces/kube-public/configmaps/cluster-info';

describe('authentication', () => {
  test('a client certificate from the cluster CA authenticates as its CN', async () => {
    const r = await call(c, { path: '/api/v1/namespaces/kube-system/configmaps', as: c.superAdmin });
    assert.equal(r.status, 200);
    assert.equal(r.contentType, 'application/json');
    assert.equal(lastUser(), 'kubernetes-super-admin');
  });

  test('a certificate from another CA gets 401 Unauthorized, not anonymous and not its claimed group', async () => {
    const foreign = await foreignCredentials(c.root);
    const r = await call(c, { path: '/api/v1/namespaces', as: foreign });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  test('a bootstrap token authenticates while its Secret is valid, and not after it expires', async () => {
    c.server.put(tokenSecret('abcdef', '0123456789abcdef', { expiration: '2030-01-02T00:00:00Z' }));
    const ok = await call(c, { path: '/api', token: 'abcdef.0123456789abcdef' });
    assert.equal(ok.status, 200);
    assert.equal(lastUser(), 'system:bootstrap:abcdef');
    assert.equal((await call(c, { path: '/api', token: 'abcdef.0123456789abcdee' })).status, 401, 'wrong secret');
    assert.equal((await call(c, { path: '/api', token: 'zzzzzz.0123456789abcdef' })).status, 401, 'unknown token');
    assert.equal((await call(c, { path: '/api', token: 'not-a-token' })).status, 401, 'malformed');
    now = new Date('2030-01-02T00:00:01Z');
    try {
      const expired = await call(c, { path: '/api', token: 'abcdef.0123456789abcdef' });
      assert.equal(expired.status, 401);
      assert.equal(expired.json['reason'], 'Unauthorized');
    } finally {
      now = new Date('2030-01-01T00:00:00Z');
    }
  });

  test('a token without usage-bootstrap-authentication does not authenticate', async () => {
    const s = tokenSecret('signer', '0123456789abcdef');
    const data = { ...(s['data'] as Record<string, string>) };
    delete data['usage-bootstrap-authentication'];
    c.server.put({ ...s, data });
    assert.equal((await call(c, { path: '/api', token: 'signer.0123456789abcdef' })).status, 401);
  });
});

describe('authorization', () => {
  test('anonymous may not read cluster-info until the RBAC kubeadm creates grants it', async () => {
    c.server.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig: 'x' } });
    const denied = await call(c, { path: clusterInfoPath });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'configmaps "cluster-info" is forbidden: User "system:anonymous" cannot get resource "configmaps" in API group "" in the namespace "kube-public"',
      reason: 'Forbidden', details: { name: 'cluster-info', kind: 'configmaps' }, code: 403,
    });
    c.server.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'kubeadm:bootstrap-signer-clusterinfo', namespace: 'kube-public' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'], verbs: ['get'] }] });
    c.server.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'kubeadm:bootstrap-signer-clusterinfo', namespace: 'kube-public' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kubeadm:bootstrap-signer-clusterinfo' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:anonymous' }] });
    const allowed = await call(c, { path: clusterInfoPath });
    assert.equal(allowed.status, 200);
    assert.equal((allowed.json['metadata'] as KubeObject['metadata']).name, 'cluster-info');
    assert.equal((await call(c, { path: '/api/v1/namespaces/kube-public/configmaps' })).status, 403, 'resourceNames does not cover list');
    assert.equal((await call(c, { path: '/api/v1/namespaces/kube-public/configmaps/other' })).status, 403);
  });

  test('anonymous may read health but not discovery', async () => {
    const health = await call(c, { path: '/readyz' });
    assert.equal(health.status, 200);
    assert.equal(health.text, 'ok');
    const r = await call(c, { path: '/api' });
    assert.equal(r.status, 403);
    assert.equal(r.json['message'], 'forbidden: User "system:anonymous" cannot get path "/api"');
  });

  test('admin.conf needs the kubeadm:cluster-admins binding; the message names the qualified resource', async () => {
    const denied = await call(c, { method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', as: c.admin, body: clusterAdminsBinding });
    assert.equal(denied.status, 403);
    assert.equal(denied.json['message'],
      'clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "kubernetes-admin" cannot create resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope');
    assert.deepEqual(denied.json['details'], { group: 'rbac.authorization.k8s.io', kind: 'clusterrolebindings' });
    const made = await call(c, { method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', as: c.superAdmin, body: clusterAdminsBinding });
    assert.equal(made.status, 201);
    assert.equal((await call(c, { path: '/api/v1/namespaces/kube-system/secrets', as: c.admin })).status, 200);
  });

  test('a binding to a missing role denies with the RBAC reason', async () => {
    c.server.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'dangling', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'nope' }, subjects: [{ kind: 'User', name: 'system:anonymous' }] });
    const r = await call(c, { path: '/api/v1/namespaces/default/configmaps/x' });
    assert.match(String(r.json['message']), /in the namespace "default": RBAC: role.rbac.authorization.k8s.io "nope" not found$/);
  });

  test('a bootstrap token may create CSRs through system:node-bootstrapper but not read secrets', async () => {
    c.server.put(tokenSecret('bbbbbb', 'bbbbbbbbbbbbbbbb'));
    const token = 'bbbbbb.bbbbbbbbbbbbbbbb';
    assert.equal((await call(c, { path: '/apis/certificates.k8s.io/v1/certificatesigningrequests', token })).status, 403);
    c.server.put({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'kubeadm:kubelet-bootstrap' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-bootstrapper' },
      subjects: [{ kind: 'Group', name: 'system:bootstrappers:kubeadm:default-node-token' }] });
    assert.equal((await call(c, { path: '/apis/certificates.k8s.io/v1/certificatesigningrequests', token })).status, 200);
    const secrets = await call(c, { path: '/api/v1/namespaces/kube-system/secrets', token });
    assert.equal(secrets.status, 403);
    assert.equal(secrets.json['message'],
      'secrets is forbidden: User "system:bootstrap:bbbbbb" cannot list resource "secrets" in API group "" in the namespace "kube-system"');
  });

  test('a kubelet may write its own Node and not another', async () => {
    const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
    assert.equal((await call(c, { method: 'POST', path: '/api/v1/nodes', as: c.kubelet, body: node('node-1') })).status, 201);
    const other = await call(c, { method: 'POST', path: '/api/v1/nodes', as: c.kubelet, body: node('node-2') });
    assert.equal(other.status, 403);
    assert.equal(other.json['message'], 'nodes "node-2" is forbidden: node "node-1" is not allowed to modify node "node-2"');
    c.server.put(node('node-3'));
    const patch = await call(c, { method: 'PATCH', path: '/api/v1/nodes/node-3', as: c.kubelet, contentType: 'application/merge-patch+json', body: { metadata: { labels: { a: 'b' } } } });
    assert.equal(patch.status, 403);
    assert.equal((await call(c, { method: 'PATCH', path: '/api/v1/nodes/node-1', as: c.kubelet, contentType: 'application/merge-patch+json', body: { metadata: { labels: { a: 'b' } } } })).status, 200);
  });
});
