// Token discovery against the strict test API server: cluster-info fetched anonymously, its signature, the
// CA pins and the second, verified fetch; each way it can fail gives its own reason, message and exit code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { discover } from '../../src/discovery/discover.js';
import { ConfigError, exitCodeOf, exitCodes } from '../../src/errors.js';
import { currentEntries } from '../../src/kubeconfig/kubeconfig.js';
import { captureOutput } from '../../src/output/output.js';
import { freePort } from '../helpers/emulated-node.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { failure, joinConfig, nodeHost, startDiscoveryCluster, token, type DiscoveryCluster } from './discovery-fixture.js';

const otherPin = `sha256:${'0'.repeat(64)}`;

describe('token discovery', () => {
  let c: DiscoveryCluster;
  before(async () => { c = await startDiscoveryCluster(); });
  after(async () => { await c.close(); });

  test('pinned: cluster-info\'s server and CA, a TLS bootstrap kubeconfig, two anonymous GETs (the second verified)', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      const out = captureOutput();
      const d = await discover({ host, out, join: joinConfig({ endpoint: c.endpoint, pins: [c.pin] }) });
      assert.equal(d.trust, 'pinned');
      assert.equal(d.server, c.cluster.server.url);
      assert.equal(d.caPem, c.cluster.caPem);
      const k = d.bootstrapKubeconfig;
      assert.equal(k.currentContext, 'tls-bootstrap-token-user@kubernetes');
      const { cluster, user } = currentEntries(k);
      assert.deepEqual(cluster, { name: 'kubernetes', server: c.cluster.server.url, certificateAuthorityData: c.cluster.caPem });
      assert.deepEqual(user, { name: 'tls-bootstrap-token-user', token });
      assert.deepEqual(host.gets.map((g) => [g.opts.insecure === true, g.opts.ca === c.cluster.caPem]), [[true, false], [false, true]]);
      const served = c.cluster.server.requests.filter((r) => r.path.endsWith('/cluster-info')).slice(-2);
      assert.deepEqual(served.map((r) => [r.user, r.status]), [['system:anonymous', 200], ['system:anonymous', 200]]);
      assert.equal(out.stdout(), '', 'kubeadm prints nothing at the default verbosity');
    });
  });

  test('two pins, only the second matching, in upper case: accepted', async () => {
    await withTempRoot(async (root) => {
      const d = await discover({ host: nodeHost(root), out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [otherPin, c.pin.toUpperCase().replace('SHA256', 'sha256')] }) });
      assert.equal(d.trust, 'pinned');
    });
  });

  test('unpinned with unsafeSkipCAVerification: one insecure GET, trust "unpinned"', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      const d = await discover({ host, out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, unsafe: true }) });
      assert.equal(d.trust, 'unpinned');
      assert.equal(d.caPem, c.cluster.caPem);
      assert.equal(host.gets.length, 1);
    });
  });

  test('a separate tlsBootstrapToken goes in the bootstrap kubeconfig', async () => {
    await withTempRoot(async (root) => {
      const d = await discover({ host: nodeHost(root), out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [c.pin], tlsBootstrapToken: 'zzzzzz.0123456789abcdef' }) });
      assert.equal(currentEntries(d.bootstrapKubeconfig).user?.token, 'zzzzzz.0123456789abcdef');
    });
  });

  test('a wrong pin: ca-mismatch naming the hash the server presented and the pinned one; no second GET', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      const err = await failure(discover({ host, out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [otherPin] }) }));
      assert.equal(err.reason, 'ca-mismatch');
      assert.ok(err.message.includes(`the server presented ${c.pin}`), err.message);
      assert.ok(err.message.includes(`pinned: ${otherPin}`), err.message);
      assert.match(err.fix ?? '', /token create --print-join-command/);
      assert.equal(host.gets.length, 1);
    });
  });

  test('cluster-info altered in transit (server changed, signature kept): bad-signature', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root, async (_url, _opts, real) => {
        const r = await real();
        const cm = JSON.parse(r.body) as { data: Record<string, string> };
        cm.data['kubeconfig'] = cm.data['kubeconfig']!.replace(/server: .*/, 'server: https://192.0.2.66:6443');
        return { status: r.status, body: JSON.stringify(cm) };
      });
      const err = await failure(discover({ host, out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [c.pin] }) }));
      assert.equal(err.reason, 'bad-signature');
      assert.match(err.message, /failed to verify JWS signature of received cluster info object, can't trust this API Server/);
    });
  });

  test('the right token ID with another secret: bad-signature', async () => {
    await withTempRoot(async (root) => {
      const err = await failure(discover({ host: nodeHost(root), out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [c.pin], token: 'abcdef.ffffffffffffffff' }) }));
      assert.equal(err.reason, 'bad-signature');
    });
  });

  test('an unknown token ID: polled until the timeout, then no-signature with the fix', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      const err = await failure(discover({ host, out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [c.pin], token: 'qqqqqq.0123456789abcdef', discoveryTimeout: '300ms' }) }));
      assert.equal(err.reason, 'no-signature');
      assert.match(err.message, /token id "qqqqqq" is invalid for this cluster or it has expired/);
      assert.match(err.fix ?? '', /tskubeadm token create --print-join-command/);
    });
  });

  test('cluster-info changed between the two reads: changed', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root, async (_url, _opts, real, n) => {
        const r = await real();
        // After the first answer the control plane republishes cluster-info (the signer signs the new text).
        if (n === 1) {
          const cm = c.cluster.server.get('ConfigMap', 'cluster-info', 'kube-public')!;
          const data = cm['data'] as Record<string, string>;
          c.cluster.server.put({ ...cm, data: { ...data, kubeconfig: `${data['kubeconfig']!}# republished\n` } });
          await c.cluster.server.runControllers();
        }
        return r;
      });
      try {
        const err = await failure(discover({ host, out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [c.pin] }) }));
        assert.equal(err.reason, 'changed');
        assert.match(err.message, /the second kubeconfig from the cluster-info ConfigMap \(using validated TLS\) was different from the first/);
      } finally {
        const cm = c.cluster.server.get('ConfigMap', 'cluster-info', 'kube-public')!;
        c.cluster.server.put({ ...cm, data: { kubeconfig: c.clusterInfoText } });
        await c.cluster.server.runControllers();
      }
    });
  });

  test('a malformed pin: ConfigError (exit 3) before any request', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      const err = await discover({ host, out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: ['sha256:abc'] }) }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ConfigError);
      assert.equal(exitCodeOf(err), exitCodes.invalidInput);
      assert.match(err.message, /invalid discovery token CA certificate hash: invalid hash "sha256:abc", expected a 32 byte SHA-256 hash/);
      assert.equal(host.gets.length, 0);
    });
  });
});

describe('token discovery: clusters that do not answer as expected', () => {
  test('nothing listens: unreachable, naming the URL, ECONNREFUSED and the timeout', async () => {
    await withTempRoot(async (root) => {
      const port = await freePort();
      const host = nodeHost(root);
      const err = await failure(discover({ host, out: captureOutput(), join: joinConfig({ endpoint: `127.0.0.1:${port}`, pins: [otherPin], discoveryTimeout: '300ms' }) }));
      assert.equal(err.reason, 'unreachable');
      assert.ok(err.message.includes(`https://127.0.0.1:${port}/api/v1/namespaces/kube-public/configmaps/cluster-info`), err.message);
      assert.match(err.message, /ECONNREFUSED/);
      assert.match(err.message, /gave up after 300ms/);
      assert.match(err.fix ?? '', /firewall/);
    });
  });

  test('an expired token: the tokencleaner removed it and the signer its signature: no-signature', async () => {
    let now = new Date();
    const c = await startDiscoveryCluster({ clock: () => now });
    try {
      c.cluster.server.put(tokenSecretExpiring('xyzxyz', '0123456789abcdef', new Date(now.getTime() + 60_000)));
      await c.cluster.server.runControllers();
      const data = () => c.cluster.server.get('ConfigMap', 'cluster-info', 'kube-public')?.['data'] as Record<string, string>;
      assert.ok(data()['jws-kubeconfig-xyzxyz'] !== undefined, 'signed while valid');
      now = new Date(now.getTime() + 120_000);
      await c.cluster.server.runControllers();
      assert.equal(data()['jws-kubeconfig-xyzxyz'], undefined);
      await withTempRoot(async (root) => {
        const err = await failure(discover({ host: nodeHost(root), out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [c.pin], token: 'xyzxyz.0123456789abcdef', discoveryTimeout: '200ms' }) }));
        assert.equal(err.reason, 'no-signature');
        assert.match(err.message, /token id "xyzxyz" is invalid for this cluster or it has expired/);
      });
    } finally {
      await c.close();
    }
  });

  test('anonymous access to cluster-info not granted: forbidden, with the bootstrap-token fix', async () => {
    const c = await startDiscoveryCluster();
    try {
      // A cluster whose cluster-info RBAC was never created.
      const binding = c.cluster.server.get('RoleBinding', 'kubeadm:bootstrap-signer-clusterinfo', 'kube-public')!;
      c.cluster.server.put({ ...binding, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'nobody' }] });
      await withTempRoot(async (root) => {
        const err = await failure(discover({ host: nodeHost(root), out: captureOutput(), join: joinConfig({ endpoint: c.endpoint, pins: [c.pin], discoveryTimeout: '200ms' }) }));
        assert.equal(err.reason, 'forbidden');
        assert.match(err.message, /HTTP 403/);
        assert.match(err.fix ?? '', /tskubeadm init phase bootstrap-token/);
      });
    } finally {
      await c.close();
    }
  });
});

function tokenSecretExpiring(id: string, secret: string, expires: Date) {
  const data: Record<string, string> = {
    'token-id': id, 'token-secret': secret, 'usage-bootstrap-signing': 'true', 'usage-bootstrap-authentication': 'true',
    expiration: expires.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token',
    metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}
