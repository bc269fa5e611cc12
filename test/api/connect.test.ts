import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiConnector } from '../../src/api/connect.js';
import { CertificateError, ConfigError } from '../../src/errors.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost } from '../helpers/fake-host.js';
import { json, kubeconfig, makePki, startServer, status } from './https-fixture.js';

test('dry-run: a printing client, made once, without reading any kubeconfig', async () => {
  const out = captureOutput();
  const connect = apiConnector({ host: fakeHost(), out, dryRun: true, kubeconfigPath: '/etc/kubernetes/admin.conf', timeoutMs: 1_000 });
  const api = await connect();
  assert.equal(await connect(), api);
  await api.get({ kind: 'Node', name: 'node-1' });
  assert.match(out.stdout(), /^\[dryrun\] Would perform action GET on resource "nodes" in API group "core\/v1"$/m);
});

test('a missing kubeconfig is a ConfigError naming it with the fix; the next call tries again', async () => {
  const host = fakeHost();
  const connect = apiConnector({ host, out: captureOutput(), dryRun: false, kubeconfigPath: '/etc/kubernetes/admin.conf', timeoutMs: 1_000 });
  await assert.rejects(connect(), (e: unknown) =>
    e instanceof ConfigError && e.message === 'the kubeconfig file /etc/kubernetes/admin.conf does not exist' &&
    /tskubeadm init phase kubeconfig admin/.test(e.fix ?? '') && /--kubeconfig/.test(e.fix ?? ''));
  await host.fs.write('/etc/kubernetes/admin.conf', 'not: [a kubeconfig', { mode: 0o600 });
  await assert.rejects(connect(), (e: unknown) =>
    e instanceof CertificateError && e.path === '/etc/kubernetes/admin.conf' && /is not a valid kubeconfig file/.test(e.message), 'the file is read again');
});

test('admin.conf forbidden to create kubeadm:cluster-admins: super-admin.conf creates it over HTTPS, then admin.conf is used', async () => {
  const pki = makePki();
  const srv = await startServer(pki);
  try {
    let bound = false;
    srv.handle((req, res) => {
      if (req.method === 'POST' && req.url === '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings') {
        if (req.clientCN !== 'kubernetes-super-admin') return status(res, 403, 'Forbidden', 'clusterrolebindings.rbac.authorization.k8s.io is forbidden');
        bound = true;
        return json(res, 201, JSON.parse(req.body));
      }
      if (req.method === 'GET' && req.url === '/api/v1/nodes/node-1' && bound) return json(res, 200, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
      return status(res, 403, 'Forbidden', 'forbidden');
    });
    const host = fakeHost({ files: {
      '/etc/kubernetes/admin.conf': kubeconfig(pki, srv.url, 'admin'),
      '/etc/kubernetes/super-admin.conf': kubeconfig(pki, srv.url, 'super-admin'),
    } });
    const out = captureOutput(1);
    const connect = apiConnector({
      host, out, dryRun: false, timeoutMs: 5_000,
      kubeconfigPath: '/etc/kubernetes/admin.conf', superAdminKubeconfigPath: '/etc/kubernetes/super-admin.conf',
    });
    const api = await connect();
    assert.equal((await api.get({ kind: 'Node', name: 'node-1' }))?.metadata.name, 'node-1');
    assert.deepEqual(srv.seen.map((s) => `${s.method} ${s.url} ${s.clientCN}`), [
      'POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings kubernetes-admin',
      'POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings kubernetes-super-admin',
      'GET /api/v1/nodes/node-1 kubernetes-admin',
    ]);
    assert.deepEqual(JSON.parse(srv.seen[1]!.body).subjects, [{ kind: 'Group', name: 'kubeadm:cluster-admins' }]);
    assert.match(out.stderr(), /by using super-admin.conf/);
    assert.equal(await connect(), api, 'memoized: the binding is ensured once');
    assert.equal(srv.seen.length, 3);
  } finally {
    await srv.close();
    pki.remove();
  }
});
