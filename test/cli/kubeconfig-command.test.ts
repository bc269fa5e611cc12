// `tskubeadm kubeconfig user` through the whole CLI, over a PKI the init certs phase made in a
// temp root; kubectl reads what it prints and openssl verifies the client certificate.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Host } from '../../src/host/host.js';
import { certs } from '../../src/phases/init/certs.js';
import { embedded, kubectlMissing, kubectlView } from '../helpers/kubectl.js';
import { verify } from '../helpers/openssl.js';
import { runInitPhases } from '../helpers/run-init-phases.js';
import { tempRootHost } from '../helpers/temp-root.js';
import { initConfig } from '../preflight/healthy-host.js';
import { runCli } from './run-cli.js';

// What init used: another cluster name and an endpoint, so the printed file must come from it.
const config = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
nodeRegistration:
  name: node-1
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: demo
controlPlaneEndpoint: cp.example.com
encryptionAlgorithm: ECDSA-P256
`;

describe('kubeconfig user', () => {
  let root = '';
  let host: Host;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-kubeconfig-user-'));
    host = tempRootHost(root);
    await runInitPhases([certs], initConfig((c) => ({ ...c, cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256' } })), host);
    await writeFile(path.join(root, 'kubeadm.yaml'), config);
  });
  after(() => rm(root, { recursive: true, force: true }));

  const user = (...args: string[]) => runCli(['kubeconfig', 'user', '--config', '/kubeadm.yaml', ...args], { host });

  /** Writes what the command printed to a file kubectl can read. */
  async function printed(stdout: string, name: string): Promise<string> {
    const file = path.join(root, name);
    await writeFile(file, stdout, { mode: 0o600 });
    return file;
  }

  test('prints a client-certificate kubeconfig for the user, signed by the cluster CA', { skip: kubectlMissing }, async () => {
    const r = await user('--client-name', 'alice', '--org', 'dev,ops', '--org=qa', '--validity-period', '48h');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.ok(r.stdout.endsWith('\n\n'), 'kubeadm prints the document with Println');
    const view = kubectlView(await printed(r.stdout, 'alice.conf'));
    assert.deepEqual(view.clusters.map((c) => [c.name, c.cluster.server]), [['demo', 'https://cp.example.com:6443']]);
    assert.deepEqual(view.contexts, [{ name: 'alice@demo', context: { cluster: 'demo', user: 'alice' } }]);
    assert.equal(view['current-context'], 'alice@demo');
    assert.deepEqual(view.users.map((u) => u.name), ['alice']);
    const { cert, certPem, keyPem, caPem } = embedded(view);
    const ca = new X509Certificate(caPem);
    assert.ok(cert, 'a client certificate is embedded');
    assert.equal(cert.subject, 'O=dev\nO=ops\nO=qa\nCN=alice');
    assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey));
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec', 'the key follows encryptionAlgorithm');
    assert.match(keyPem, /^-----BEGIN EC PRIVATE KEY-----/);
    assert.equal(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime(), (48 * 60 + 5) * 60_000);
    const certFile = await printed(certPem, 'alice.crt');
    assert.equal(verify(path.join(root, 'etc/kubernetes/pki/ca.crt'), certFile), `${certFile}: OK`);
  });

  test('--token puts the token in place of a client certificate', { skip: kubectlMissing }, async () => {
    const r = await user('--client-name', 'robot', '--token', 'abcdef.0123456789abcdef');
    assert.equal(r.code, 0);
    const view = kubectlView(await printed(r.stdout, 'robot.conf'));
    assert.deepEqual(view.users, [{ name: 'robot', user: { token: 'abcdef.0123456789abcdef' } }]);
    assert.equal(view.clusters[0]?.cluster.server, 'https://cp.example.com:6443');
  });

  test('a validity period beyond one year works, with a warning', async () => {
    const r = await user('--client-name', 'carol', '--validity-period', '17520h');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^\[kubeconfig\] WARNING: the validity period 17520h0m0s is longer than the default 8760h0m0s/);
  });

  test('--client-name is required', async () => {
    const r = await user();
    assert.equal(r.code, 64);
    assert.match(r.stderr, /^error: the --client-name flag is mandatory\n/);
    assert.equal(r.stdout, '');
  });

  test('a validity period that is not a positive Go duration is refused', async () => {
    for (const bad of ['1y', '-5h', '0']) {
      const r = await user('--client-name', 'x', '--validity-period', bad);
      assert.equal(r.code, 64, bad);
      assert.match(r.stderr, new RegExp(`invalid argument "${bad}" for "--validity-period" flag`));
    }
  });

  test('without the CA key only a token kubeconfig can be made', async () => {
    const key = path.join(root, 'etc/kubernetes/pki/ca.key');
    const keyPem = await readFile(key);
    await rm(key);
    try {
      const r = await user('--client-name', 'dave');
      assert.equal(r.code, 3);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^error: the CA key \/etc\/kubernetes\/pki\/ca\.key does not exist, so no client certificate can be signed for "dave"\n/);
      assert.match(r.stderr, /fix: .*--token/);
      assert.equal((await user('--client-name', 'dave', '--token', 't0k3n')).code, 0);
    } finally {
      await writeFile(key, keyPem, { mode: 0o600 });
    }
  });
});
