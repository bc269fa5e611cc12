// File discovery: a kubeconfig from a path on the joining node or an https:// URL, checked by reading
// cluster-info with the file's own trust, against the strict test API server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { discover } from '../../src/discovery/discover.js';
import { currentEntries, encodeKubeconfig } from '../../src/kubeconfig/kubeconfig.js';
import { captureOutput } from '../../src/output/output.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { failure, joinConfig, nodeHost, startDiscoveryCluster, type DiscoveryCluster } from './discovery-fixture.js';

const bootstrapToken = 'abcdef.0123456789abcdef';

describe('file discovery', () => {
  let c: DiscoveryCluster;
  before(async () => { c = await startDiscoveryCluster(); });
  after(async () => { await c.close(); });

  test('a path on the node (cluster-info\'s kubeconfig) with a TLS bootstrap token: trust "file", one verified GET', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      await host.fs.write('/etc/kubernetes/discovery.yaml', c.clusterInfoText, { mode: 0o600 });
      const d = await discover({ host, out: captureOutput(), join: joinConfig({ file: '/etc/kubernetes/discovery.yaml', tlsBootstrapToken: bootstrapToken }) });
      assert.equal(d.trust, 'file');
      assert.equal(d.server, c.cluster.server.url);
      assert.equal(d.caPem, c.cluster.caPem);
      assert.equal(currentEntries(d.bootstrapKubeconfig).user?.token, bootstrapToken);
      assert.equal(d.bootstrapKubeconfig.currentContext, 'tls-bootstrap-token-user@kubernetes');
      assert.deepEqual(host.gets.map((g) => [g.opts.insecure === true, g.opts.ca === c.cluster.caPem]), [[false, true]]);
    });
  });

  test('a file with client credentials (a CA file and key files by path) and no token: its own kubeconfig, embedded', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      await host.fs.write('/etc/kubernetes/pki/ca.crt', c.cluster.caPem, { mode: 0o644 });
      await host.fs.write('/etc/kubernetes/node.crt', c.cluster.kubelet.cert, { mode: 0o644 });
      await host.fs.write('/etc/kubernetes/node.key', c.cluster.kubelet.key, { mode: 0o600 });
      const text = encodeKubeconfig({
        clusters: [{ name: 'lab', server: c.cluster.server.url, certificateAuthority: '/etc/kubernetes/pki/ca.crt' }],
        users: [{ name: 'node', clientCertificate: '/etc/kubernetes/node.crt', clientKey: '/etc/kubernetes/node.key' }],
        contexts: [{ name: 'node@lab', cluster: 'lab', user: 'node' }],
        currentContext: 'node@lab',
      });
      await host.fs.write('/discovery.conf', text, { mode: 0o600 });
      const d = await discover({ host, out: captureOutput(), join: joinConfig({ file: '/discovery.conf', tlsBootstrapToken: '' }) });
      const { cluster, user } = currentEntries(d.bootstrapKubeconfig);
      assert.deepEqual(cluster, { name: 'lab', server: c.cluster.server.url, certificateAuthorityData: c.cluster.caPem });
      assert.deepEqual(user, { name: 'node', clientCertificateData: c.cluster.kubelet.cert, clientKeyData: c.cluster.kubelet.key });
      assert.equal(host.gets[0]?.opts.cert, c.cluster.kubelet.cert);
    });
  });

  test('no credentials and no TLS bootstrap token: bad-file with kubeadm\'s message', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      await host.fs.write('/discovery.yaml', c.clusterInfoText, { mode: 0o600 });
      const err = await failure(discover({ host, out: captureOutput(), join: joinConfig({ file: '/discovery.yaml', tlsBootstrapToken: '' }) }));
      assert.equal(err.reason, 'bad-file');
      assert.match(err.message, /could not find authentication credentials for the TLS bootstrap process/);
    });
  });

  test('a missing file, and one that is not a kubeconfig: bad-file naming it, nothing requested', async () => {
    await withTempRoot(async (root) => {
      const host = nodeHost(root);
      const missing = await failure(discover({ host, out: captureOutput(), join: joinConfig({ file: '/nope.yaml', tlsBootstrapToken: bootstrapToken }) }));
      assert.equal(missing.reason, 'bad-file');
      assert.match(missing.message, /\/nope\.yaml does not exist/);
      await host.fs.write('/bad.yaml', 'clusters: 7\n', { mode: 0o600 });
      const bad = await failure(discover({ host, out: captureOutput(), join: joinConfig({ file: '/bad.yaml', tlsBootstrapToken: bootstrapToken }) }));
      assert.equal(bad.reason, 'bad-file');
      assert.match(bad.message, /\/bad\.yaml is not a valid kubeconfig file/);
      assert.equal(host.gets.length, 0);
    });
  });

  test('cluster-info forbidden to the file\'s identity: a warning, and the file is used as it is', async () => {
    const binding = c.cluster.server.get('RoleBinding', 'kubeadm:bootstrap-signer-clusterinfo', 'kube-public')!;
    c.cluster.server.put({ ...binding, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'nobody' }] });
    try {
      await withTempRoot(async (root) => {
        const host = nodeHost(root);
        await host.fs.write('/discovery.yaml', c.clusterInfoText, { mode: 0o600 });
        const out = captureOutput();
        const d = await discover({ host, out, join: joinConfig({ file: '/discovery.yaml', tlsBootstrapToken: bootstrapToken }) });
        assert.equal(d.server, c.cluster.server.url);
        assert.match(out.stderr(), /\[discovery\] Could not access the cluster-info ConfigMap for refreshing the cluster-info information, but the TLS cert is valid so proceeding\.\.\./);
        assert.equal(host.gets.length, 1);
      });
    } finally {
      c.cluster.server.put(binding);
    }
  });

  test('an https:// URL: fetched with the machine\'s trust store, then checked against cluster-info', async () => {
    const [cert, key] = await Promise.all(['apiserver.crt', 'apiserver.key'].map((f) => readFile(path.join(c.cluster.pkiDir, f))));
    const server = https.createServer({ cert, key }, (req, res) => {
      if (req.url === '/discovery.yaml') res.writeHead(200).end(c.clusterInfoText);
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await withTempRoot(async (root) => {
        // The node's system trust store holds the cluster CA (as if installed there): the seam adds it where no CA is given.
        const host = nodeHost(root, (u, opts, real) => (opts.ca === undefined && opts.insecure !== true
          ? nodeHost(root).net.httpGet(u, { ...opts, ca: c.cluster.caPem })
          : real()));
        const d = await discover({ host, out: captureOutput(), join: joinConfig({ file: `${url}/discovery.yaml`, tlsBootstrapToken: bootstrapToken }) });
        assert.equal(d.server, c.cluster.server.url);
        assert.equal(d.trust, 'file');
        assert.deepEqual(host.gets.map((g) => g.url), [`${url}/discovery.yaml`, `${c.cluster.server.url}/api/v1/namespaces/kube-public/configmaps/cluster-info`]);
        const err = await failure(discover({ host, out: captureOutput(), join: joinConfig({ file: `${url}/missing.yaml`, tlsBootstrapToken: bootstrapToken }) }));
        assert.equal(err.reason, 'bad-file');
        assert.match(err.message, /received status 404/);
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
