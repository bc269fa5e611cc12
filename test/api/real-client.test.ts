// The real client against a small HTTPS server (./https-fixture.ts): mutual TLS, scripted answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { ApiError } from '../../src/api/api-error.js';
import { realClient } from '../../src/api/real-client.js';
import { CertificateError } from '../../src/errors.js';
import { realClock } from '../../src/host/real-clock.js';
import { fakeHost } from '../helpers/fake-host.js';
import { json, kubeconfig as kubeconfigOf, makePki, startServer, status, type Pki, type TestServer } from './https-fixture.js';

const clock = realClock();
let pki: Pki;
let srv: TestServer;
const kubeconfig = (server: string): string => kubeconfigOf(pki, server);
before(async () => {
  pki = makePki();
  srv = await startServer(pki);
});
after(async () => {
  await srv.close();
  pki.remove();
});

test('create/get/update/patch/list/delete round trip: plain JSON both ways, client certificate presented', async () => {
  srv.seen.length = 0;
  const store = new Map<string, Record<string, unknown>>();
  srv.handle((req, res) => {
    const p = new URL(req.url, 'https://x').pathname;
    const base = '/api/v1/namespaces/kube-system/configmaps';
    if (req.method === 'POST' && p === base) {
      const obj = JSON.parse(req.body) as { metadata: Record<string, unknown> };
      const saved = { ...obj, metadata: { ...obj.metadata, uid: 'u-1', resourceVersion: '10', creationTimestamp: '2025-01-02T03:04:05Z' }, serverOnly: { x: 1 } };
      store.set(obj.metadata.name as string, saved);
      return json(res, 201, saved);
    }
    const name = decodeURIComponent(p.slice(base.length + 1));
    if (req.method === 'GET' && p === base) return json(res, 200, { kind: 'ConfigMapList', apiVersion: 'v1', metadata: {}, items: [...store.values()].map(({ apiVersion: _a, kind: _k, ...rest }) => rest) });
    if (!store.has(name)) return status(res, 404, 'NotFound', `configmaps "${name}" not found`);
    if (req.method === 'GET') return json(res, 200, store.get(name));
    if (req.method === 'PUT' || req.method === 'PATCH') {
      const next = { ...store.get(name), ...(JSON.parse(req.body) as object), metadata: { ...(store.get(name)!.metadata as object), resourceVersion: '11' } };
      store.set(name, next);
      return json(res, 200, next);
    }
    if (req.method === 'DELETE') {
      store.delete(name);
      return json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    }
    return status(res, 405, 'MethodNotAllowed', 'no');
  });
  const api = await realClient(kubeconfig(srv.url), { timeoutMs: 5_000, clock });
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { k: 'v' }, futureField: [1, 2] };

  const created = await api.create(cm);
  assert.equal(created.metadata.creationTimestamp, '2025-01-02T03:04:05Z', 'timestamps stay strings');
  assert.deepEqual(created.serverOnly, { x: 1 }, 'fields unknown to the models survive');
  const got = await api.get({ kind: 'ConfigMap', name: 'kubeadm-config', namespace: 'kube-system' });
  assert.equal(got?.metadata.uid, 'u-1');
  assert.equal(await api.get({ kind: 'ConfigMap', name: 'absent', namespace: 'kube-system' }), undefined);
  const updated = await api.update({ ...cm, data: { k: 'v2' }, metadata: { ...cm.metadata, resourceVersion: '10' } });
  assert.deepEqual(updated.data, { k: 'v2' });
  await api.patch({ kind: 'ConfigMap', name: 'kubeadm-config', namespace: 'kube-system' }, { data: { k: null } }, 'merge');
  await api.patch({ kind: 'ConfigMap', name: 'kubeadm-config', namespace: 'kube-system' }, { $patch: 'x', data: {} }, 'strategic');
  const listed = await api.list('ConfigMap', 'kube-system', { labelSelector: 'a=b', fieldSelector: 'metadata.name=kubeadm-config' });
  assert.deepEqual(listed.map((o) => [o.apiVersion, o.kind, o.metadata.name]), [['v1', 'ConfigMap', 'kubeadm-config']]);
  assert.equal(await api.delete({ kind: 'ConfigMap', name: 'kubeadm-config', namespace: 'kube-system' }), true);
  assert.equal(await api.delete({ kind: 'ConfigMap', name: 'kubeadm-config', namespace: 'kube-system' }), false);

  assert.deepEqual(srv.seen.map((s) => `${s.method} ${s.url}`), [
    'POST /api/v1/namespaces/kube-system/configmaps',
    'GET /api/v1/namespaces/kube-system/configmaps/kubeadm-config',
    'GET /api/v1/namespaces/kube-system/configmaps/absent',
    'PUT /api/v1/namespaces/kube-system/configmaps/kubeadm-config',
    'PATCH /api/v1/namespaces/kube-system/configmaps/kubeadm-config',
    'PATCH /api/v1/namespaces/kube-system/configmaps/kubeadm-config',
    'GET /api/v1/namespaces/kube-system/configmaps?labelSelector=a%3Db&fieldSelector=metadata.name%3Dkubeadm-config',
    'DELETE /api/v1/namespaces/kube-system/configmaps/kubeadm-config',
    'DELETE /api/v1/namespaces/kube-system/configmaps/kubeadm-config',
  ]);
  assert.ok(srv.seen.every((s) => s.clientCN === 'kubernetes-admin'), 'every request authenticated with the kubeconfig\'s client certificate');
  assert.deepEqual(JSON.parse(srv.seen[0]!.body), cm, 'the body sent is the object, unknown fields included');
  assert.equal(srv.seen[0]!.contentType, 'application/json');
  assert.equal(srv.seen[4]!.contentType, 'application/merge-patch+json');
  assert.deepEqual(JSON.parse(srv.seen[4]!.body), { data: { k: null } });
  assert.equal(srv.seen[5]!.contentType, 'application/strategic-merge-patch+json');
  assert.deepEqual(JSON.parse(srv.seen[5]!.body), { $patch: 'x', data: {} }, 'patch directives reach the server');
});

test('Status answers become ApiError with the Status reason and message, and 4xx are not retried', async () => {
  for (const [code, reason] of [[409, 'AlreadyExists'], [403, 'Forbidden'], [422, 'Invalid'], [401, 'Unauthorized']] as const) {
    srv.seen.length = 0;
    srv.handle((_req, res) => status(res, code, reason, `the server says ${reason}`));
    const api = await realClient(kubeconfig(srv.url), { timeoutMs: 5_000, clock });
    const err = await api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'kube-system' } }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ApiError, `${code} gives an ApiError`);
    assert.equal(err.status, code);
    assert.equal(err.reason, reason);
    assert.equal(err.message, `the server says ${reason}`);
    assert.equal(err.exitCode, 5);
    assert.equal(srv.seen.length, 1, `${code} is asked once`);
  }
});

test('an answer without a Status body gets the reason of its HTTP code', async () => {
  srv.handle((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n'));
  const api = await realClient(kubeconfig(srv.url), { timeoutMs: 5_000, clock });
  await assert.rejects(api.update({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }), (e: unknown) =>
    e instanceof ApiError && e.reason === 'NotFound' && /PUT \/api\/v1\/nodes\/n on https:\/\/127\.0\.0\.1:\d+ answered HTTP 404: 404 page not found/.test(e.message));
});

test('transient answers are retried with backoff: 503 twice, then 200', async () => {
  srv.seen.length = 0;
  srv.handle((_req, res) => {
    if (srv.seen.length <= 2) return status(res, 503, 'ServiceUnavailable', 'starting');
    return json(res, 200, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
  });
  const api = await realClient(kubeconfig(srv.url), { timeoutMs: 10_000, clock });
  const node = await api.get({ kind: 'Node', name: 'node-1' });
  assert.equal(node?.metadata.name, 'node-1');
  assert.equal(srv.seen.length, 3);
});

test('a server that keeps failing is asked until the timeout, then the last answer is reported', async () => {
  srv.seen.length = 0;
  srv.handle((_req, res) => status(res, 500, 'InternalError', 'etcd is not ready'));
  const api = await realClient(kubeconfig(srv.url), { timeoutMs: 600, clock });
  await assert.rejects(api.get({ kind: 'Node', name: 'node-1' }), (e: unknown) =>
    e instanceof ApiError && e.status === 500 && e.reason === 'InternalError' && /^etcd is not ready \(gave up after \d+ attempts in \d\.\ds\)$/.test(e.message));
  assert.ok(srv.seen.length >= 2, `asked ${srv.seen.length} times`);
});

test('a refused connection is retried until the timeout, then named with the server URL and a fix', async () => {
  const closed = createTcpServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const api = await realClient(kubeconfig(`https://127.0.0.1:${port}`), { timeoutMs: 700, clock });
  const err = await api.get({ kind: 'Node', name: 'n' }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.status, 0);
  assert.equal(err.reason, 'ServiceUnavailable');
  assert.match(err.message, new RegExp(`^cannot reach the Kubernetes API server at https://127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\) \\(gave up after [2-9] attempts in \\d\\.\\ds\\)$`));
  assert.match(err.fix ?? '', /kube-apiserver is running/);
});

test('on a virtual host clock, requests still get their real time and the deadline counts the virtual pauses', async () => {
  const host = fakeHost();
  srv.handle((_req, res) => json(res, 200, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }));
  const ok = await realClient(kubeconfig(srv.url), { timeoutMs: 5_000, clock: host.clock });
  assert.equal((await ok.get({ kind: 'Node', name: 'node-1' }))?.metadata.name, 'node-1');

  const closed = createTcpServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const start = host.clock.now().getTime();
  const refused = await realClient(kubeconfig(`https://127.0.0.1:${port}`), { timeoutMs: 20_000, clock: host.clock });
  await assert.rejects(refused.get({ kind: 'Node', name: 'n' }), /connection refused \(ECONNREFUSED\) \(gave up after \d+ attempts/);
  // Pauses of 250 ms doubling to 2 s, jittered by at most 20%: the virtual time spent is the timeout, not more.
  const spent = host.clock.now().getTime() - start;
  assert.ok(spent >= 20_000 && spent <= 20_000 + 2_400, `virtual time spent: ${spent} ms`);
});

test('a server that accepts but never answers is cut off at the timeout', async () => {
  const sockets: Socket[] = [];
  const silent = createTcpServer((s) => { sockets.push(s); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const api = await realClient(kubeconfig(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`), { timeoutMs: 300, clock });
    await assert.rejects(api.get({ kind: 'Node', name: 'n' }), (e: unknown) =>
      e instanceof ApiError && e.status === 0 && e.reason === 'Timeout' && /no answer in time/.test(e.message));
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('a server certificate from another CA fails at once, not retried, with a TLS message', async () => {
  const stranger = await startServer(pki, 'stranger');
  try {
    // Retrying would run into the 60 s timeout (and say "gave up after"): the answer must come from the first attempt.
    const api = await realClient(kubeconfig(stranger.url), { timeoutMs: 60_000, clock });
    await assert.rejects(api.get({ kind: 'Node', name: 'n' }), (e: unknown) =>
      e instanceof ApiError && e.status === 0 && /TLS verification failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/.test(e.message) &&
      !e.message.includes('gave up') && /certificate-authority-data/.test(e.fix ?? ''));
    assert.equal(stranger.seen.length, 0);
  } finally {
    await stranger.close();
  }
});

test('aborting the signal stops the retries', async () => {
  srv.handle((_req, res) => status(res, 503, 'ServiceUnavailable', 'starting'));
  const ac = new AbortController();
  const api = await realClient(kubeconfig(srv.url), { timeoutMs: 60_000, clock, signal: ac.signal });
  const pending = api.get({ kind: 'Node', name: 'n' });
  setTimeout(() => ac.abort(new Error('interrupted')), 100);
  await assert.rejects(pending, /interrupted/);
});

test('a kubeconfig without a server is a CertificateError naming the file', async () => {
  await assert.rejects(realClient('apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n', { timeoutMs: 1_000, clock, source: '/etc/kubernetes/admin.conf' }),
    (e: unknown) => e instanceof CertificateError && e.path === '/etc/kubernetes/admin.conf' && /names no cluster server/.test(e.message));
});
