// Health endpoints: one probe's verdict (answers, refusals, refused certificates), the URLs taken from
// manifest command lines, and the kubelet's healthz URL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpGetOptions } from '../../src/host/host.js';
import { controlPlaneEndpoints, kubeletHealthz } from '../../src/wait/control-plane-endpoints.js';
import { joinHostPort } from '../../src/config/host-port.js';
import { probeHealth, tlsRejectionOf, waitHealthy } from '../../src/wait/health.js';
import { fakeHost } from '../helpers/fake-host.js';

const tlsError = (code: string) => Object.assign(new Error(`tls failure ${code}`), { code });

describe('probeHealth', () => {
  test('200 is healthy; any other status is not, with the body kept', async () => {
    const host = fakeHost({ http: {
      'http://a/healthz': { status: 200, body: 'ok' },
      'https://b/livez': { status: 500, body: '[+]ping ok\n[-]etcd failed: reason withheld\nlivez check failed' },
    } });
    assert.deepEqual(await probeHealth(host.net, { name: 'a', url: 'http://a/healthz', tls: 'none' }, 100), { healthy: true, status: 200 });
    const b = await probeHealth(host.net, { name: 'b', url: 'https://b/livez', tls: 'insecure' }, 100);
    assert.equal(b.healthy, false);
    assert.equal(!b.healthy && b.summary, 'HTTP 500');
    assert.match(!b.healthy && b.body !== undefined ? b.body : '', /\[-\]etcd failed/);
  });

  test('a refused connection is a reason, not an exception', async () => {
    const host = fakeHost();
    const r = await probeHealth(host.net, { name: 'k', url: 'http://127.0.0.1:10248/healthz', tls: 'none' }, 100);
    assert.deepEqual(r, { healthy: false, code: 'ECONNREFUSED', summary: 'connection refused' });
  });

  test('TLS verification failures are told apart', async () => {
    const cases: [string, string, RegExp][] = [
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'untrusted', /not signed by the cluster CA/],
      ['SELF_SIGNED_CERT_IN_CHAIN', 'untrusted', /not signed by the cluster CA/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'wrong-host', /not valid for this address/],
      ['CERT_HAS_EXPIRED', 'expired', /expired/],
    ];
    for (const [code, kind, text] of cases) {
      const host = fakeHost({ http: { 'https://x/livez': tlsError(code) } });
      const r = await probeHealth(host.net, { name: 'kube-apiserver', url: 'https://x/livez', tls: 'verify', ca: 'PEM' }, 100);
      assert.equal(!r.healthy && r.tlsRejected, kind, code);
      assert.match(!r.healthy ? r.summary : '', text);
    }
    assert.equal(tlsRejectionOf('ECONNREFUSED'), undefined);
  });

  test('verify passes the CA, insecure skips verification, plain HTTP sends neither', async () => {
    const seen: Record<string, HttpGetOptions> = {};
    const handler = (url: string, opts: HttpGetOptions) => { seen[url] = opts; return { status: 200, body: 'ok' }; };
    const host = fakeHost({ http: { 'https://v/livez': handler, 'https://i/healthz': handler, 'http://p/healthz': handler } });
    await probeHealth(host.net, { name: 'v', url: 'https://v/livez', tls: 'verify', ca: 'CA-PEM' }, 123);
    await probeHealth(host.net, { name: 'i', url: 'https://i/healthz', tls: 'insecure' }, 123);
    await probeHealth(host.net, { name: 'p', url: 'http://p/healthz', tls: 'none' }, 123);
    assert.equal(seen['https://v/livez']?.ca, 'CA-PEM');
    assert.notEqual(seen['https://v/livez']?.insecure, true);
    assert.equal(seen['https://i/healthz']?.insecure, true);
    assert.equal(seen['https://i/healthz']?.ca, undefined);
    assert.equal(seen['http://p/healthz']?.insecure, undefined);
    assert.equal(seen['http://p/healthz']?.timeoutMs, 123);
  });

  test('waitHealthy keeps polling through failures until the answer is 200', async () => {
    let calls = 0;
    const host = fakeHost({ http: { 'http://k/healthz': () => (++calls < 4 ? { status: 503, body: '' } : { status: 200, body: 'ok' }) } });
    const w = await waitHealthy({ name: 'k', url: 'http://k/healthz', tls: 'none' }, { net: host.net, clock: host.clock, timeoutMs: 10_000 });
    assert.equal(w.outcome.ok, true);
    assert.equal(w.outcome.attempts, 4);
    assert.equal(w.outcome.elapsedMs, 150);
  });
});

describe('controlPlaneEndpoints', () => {
  const defaults = { advertiseAddress: '192.0.2.10', bindPort: 6443, clusterCA: 'CA' };

  test("kubeadm's URLs from the manifests' flags: advertise-address for the API server, bind-address for the others", () => {
    const eps = controlPlaneEndpoints({
      'kube-apiserver': ['kube-apiserver', '--advertise-address=192.0.2.10', '--secure-port=6443'],
      'kube-controller-manager': ['kube-controller-manager', '--bind-address=127.0.0.1'],
      'kube-scheduler': ['kube-scheduler', '--bind-address=127.0.0.1', '--secure-port=10300'],
    }, defaults);
    assert.deepEqual(eps.map((e) => [e.name, e.url, e.tls]), [
      ['kube-apiserver', 'https://192.0.2.10:6443/livez', 'verify'],
      ['kube-controller-manager', 'https://127.0.0.1:10257/healthz', 'insecure'],
      ['kube-scheduler', 'https://127.0.0.1:10300/livez', 'insecure'],
    ]);
    assert.equal(eps[0]?.ca, 'CA');
    assert.equal(eps[1]?.ca, undefined);
  });

  test('IPv6 hosts are bracketed; missing flags fall back to the config and the defaults', () => {
    const eps = controlPlaneEndpoints({
      'kube-apiserver': ['kube-apiserver'],
      'kube-controller-manager': ['kube-controller-manager', '--bind-address=::1'],
      'kube-scheduler': ['kube-scheduler'],
    }, { advertiseAddress: 'fd00::10', bindPort: 8443, clusterCA: 'CA' });
    assert.deepEqual(eps.map((e) => e.url), [
      'https://[fd00::10]:8443/livez', 'https://[::1]:10257/healthz', 'https://127.0.0.1:10259/livez',
    ]);
  });
});

describe('kubeletHealthz', () => {
  test('from the KubeletConfiguration, defaulting to 127.0.0.1:10248', () => {
    assert.equal(kubeletHealthz({}).url, 'http://127.0.0.1:10248/healthz');
    assert.equal(kubeletHealthz({ healthzBindAddress: '::1', healthzPort: 10300 }).url, 'http://[::1]:10300/healthz');
    assert.equal(kubeletHealthz({ healthzPort: 0 }).port, 0);
  });

  test('joinHostPort', () => {
    assert.equal(joinHostPort('10.0.0.1', 1), '10.0.0.1:1');
    assert.equal(joinHostPort('fe80::1', 2), '[fe80::1]:2');
  });
});
