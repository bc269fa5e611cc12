// A real client against the test API server: @kubernetes/client-node's KubernetesObjectApi (which asks
// discovery first) creates and reads a ConfigMap with admin.conf's credentials, so the server's answers
// satisfy the library the product's real client is built on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { clusterAdminsBinding, startCluster, type Cluster } from './cluster-fixture.js';

let c: Cluster;
before(async () => { c = await startCluster(); });
after(async () => { await c.close(); });

test('KubernetesObjectApi creates and reads a ConfigMap with admin.conf', async () => {
  const k8s = await import('@kubernetes/client-node');
  c.server.put(clusterAdminsBinding);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path.join(c.root, 'etc/kubernetes/admin.conf'));
  const cluster = kc.getCurrentCluster();
  assert.ok(cluster !== null);
  // admin.conf names the advertised 6443; the test server listens on a free port of the same address.
  kc.clusters = kc.clusters.map((x) => ({ ...x, server: c.server.url }));
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const created = await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-client-node', namespace: 'kube-system' }, data: { a: 'b' } });
  assert.equal(created.metadata?.name, 'from-client-node');
  const read = await api.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-client-node', namespace: 'kube-system' } });
  assert.deepEqual((read as { data?: unknown }).data, { a: 'b' });
  assert.equal(c.server.requests.find((r) => r.path === '/api/v1/namespaces/kube-system/configmaps')?.user, 'kubernetes-admin');
  await assert.rejects(api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-client-node', namespace: 'kube-system' } }),
    (err: { code?: number }) => err.code === 409);
});
