import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/api-error.js';
import type { ApiClient } from '../../src/api/client.js';
import { clusterAdminsBinding, ensureClusterAdmins } from '../../src/api/cluster-admins.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost } from '../helpers/fake-host.js';
import { memoryApi, type MemoryApi } from '../helpers/memory-api.js';

/** admin.conf's view of the API before the binding exists: creating it is forbidden. */
function forbiddenToCreate(api: MemoryApi): ApiClient {
  return {
    ...api,
    create: async (obj) => {
      await api.get({ kind: obj.kind, name: obj.metadata.name });
      throw new ApiError(403, 'Forbidden', `clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "kubernetes-admin" cannot create resource "clusterrolebindings"`);
    },
  };
}

/** Fails with `errors` in turn, then behaves as `api`. */
function failingFirst(api: ApiClient, errors: ApiError[]): ApiClient {
  return { ...api, create: async (obj) => { const e = errors.shift(); if (e) throw e; return api.create(obj); } };
}

const options = (timeoutMs = 60_000) => {
  const host = fakeHost();
  return { clock: host.clock, out: captureOutput(1), timeoutMs, host };
};

test('the binding is kubeadm\'s: kubeadm:cluster-admins → ClusterRole cluster-admin, Group kubeadm:cluster-admins', () => {
  assert.deepEqual(clusterAdminsBinding(), {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'kubeadm:cluster-admins' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'Group', name: 'kubeadm:cluster-admins' }],
  });
});

test('admin.conf allowed: it creates the binding and super-admin.conf is never read', async () => {
  const cluster = memoryApi();
  let superAsked = 0;
  const o = options();
  await ensureClusterAdmins(cluster, async () => { superAsked++; return cluster; }, o);
  assert.equal(superAsked, 0);
  assert.deepEqual(cluster.requests.map((r) => `${r.verb} ${r.kind} ${r.name}`), ['create ClusterRoleBinding kubeadm:cluster-admins']);
  assert.ok(cluster.stored('ClusterRoleBinding', 'kubeadm:cluster-admins'));
  assert.equal(o.out.stderr(), 'ensuring that the ClusterRoleBinding for the kubeadm:cluster-admins Group exists\n');
});

test('binding already there: AlreadyExists means done, super-admin.conf untouched', async () => {
  const cluster = memoryApi();
  cluster.seed(clusterAdminsBinding());
  let superAsked = 0;
  await ensureClusterAdmins(cluster, async () => { superAsked++; return cluster; }, options());
  assert.equal(superAsked, 0);
  assert.equal(cluster.all('ClusterRoleBinding').length, 1);
});

test('admin.conf forbidden: super-admin.conf creates the binding', async () => {
  const cluster = memoryApi();
  const o = options();
  await ensureClusterAdmins(forbiddenToCreate(cluster), async () => cluster, o);
  assert.deepEqual(cluster.stored('ClusterRoleBinding', 'kubeadm:cluster-admins')?.subjects, [{ kind: 'Group', name: 'kubeadm:cluster-admins' }]);
  assert.match(o.out.stderr(), /creating the ClusterRoleBinding for the kubeadm:cluster-admins Group by using super-admin.conf/);
});

test('admin.conf forbidden and the binding appears meanwhile: AlreadyExists from super-admin.conf is fine', async () => {
  const cluster = memoryApi();
  const superAdmin = memoryApi();
  superAdmin.seed(clusterAdminsBinding());
  await ensureClusterAdmins(forbiddenToCreate(cluster), async () => superAdmin, options());
  assert.deepEqual(superAdmin.requests.map((r) => r.verb), ['create']);
});

test('admin.conf forbidden and no super-admin.conf: kubeadm\'s error, with a fix', async () => {
  await assert.rejects(ensureClusterAdmins(forbiddenToCreate(memoryApi()), async () => undefined, options()), (e: unknown) =>
    e instanceof ApiError && e.reason === 'Forbidden' &&
    e.message === 'the ClusterRoleBinding for the kubeadm:cluster-admins Group is missing but there is no super-admin.conf to create it' &&
    /tskubeadm init phase kubeconfig super-admin/.test(e.fix ?? ''));
});

test('other failures are retried every 500 ms within the timeout, for either client', async () => {
  const cluster = memoryApi();
  const o = options();
  const start = o.clock.now().getTime();
  await ensureClusterAdmins(failingFirst(cluster, [new ApiError(0, 'ServiceUnavailable', 'refused'), new ApiError(401, 'Unauthorized', 'not yet')]), async () => undefined, o);
  assert.ok(cluster.stored('ClusterRoleBinding', 'kubeadm:cluster-admins'));
  assert.equal(o.clock.now().getTime() - start, 1_000);

  const other = memoryApi();
  await ensureClusterAdmins(forbiddenToCreate(memoryApi()), async () => failingFirst(other, [new ApiError(500, 'InternalError', 'etcd')]), options());
  assert.ok(other.stored('ClusterRoleBinding', 'kubeadm:cluster-admins'));
});

test('failures until the timeout end with the last error, named', async () => {
  const down: ApiClient = { ...memoryApi(), create: async () => { throw new ApiError(0, 'ServiceUnavailable', 'cannot reach the Kubernetes API server at https://10.0.0.1:6443: connection refused (ECONNREFUSED)', { fix: 'start it' }); } };
  await assert.rejects(ensureClusterAdmins(down, async () => undefined, options(2_000)), (e: unknown) =>
    e instanceof ApiError && e.status === 0 && e.fix === 'start it' &&
    e.message === 'unable to create the kubeadm:cluster-admins ClusterRoleBinding: cannot reach the Kubernetes API server at https://10.0.0.1:6443: connection refused (ECONNREFUSED)');
});
