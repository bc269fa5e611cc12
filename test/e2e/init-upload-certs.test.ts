// `tskubeadm init --upload-certs -o json` end to end against the test API server (the emulated node of
// test/helpers/emulated-node.ts): stdout is one InitResult object and nothing else, the kubeadm-certs Secret it
// uploaded decrypts with the key it printed to the files on disk, and that Secret is owned by the 2 h token
// that makes it expire, as kubeadm arranges it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../../src/api/objects.js';
import { decryptCertsSecret } from '../../src/cluster-objects/certs-secret.js';
import { publicKeyPin } from '../../src/pki/ca-hash.js';
import type { InitResult } from '../../src/tokens/closing-message.js';
import { runCli } from '../cli/run-cli.js';
import { configFile, emulateNode, freePort, nodeHost } from '../helpers/emulated-node.js';
import { withTempRoot } from '../helpers/temp-root.js';

const secretData = (o: KubeObject | undefined) => (o as unknown as { data: Record<string, string> } | undefined)?.data ?? {};
const decoded = (o: KubeObject | undefined, key: string) => Buffer.from(secretData(o)[key] ?? '', 'base64').toString();

test('init --upload-certs -o json: one InitResult on stdout, and a kubeadm-certs Secret that the printed key decrypts, owned by a 2 h token', async () => {
  await withTempRoot(async (root) => {
    const port = await freePort();
    await writeFile(path.join(root, 'kubeadm.yaml'), configFile(port));
    const node = emulateNode(root, port);
    try {
      const startedAt = Date.now();
      const r = await runCli(['init', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight', '--upload-certs', '-o', 'json'], { host: nodeHost(root, port) });
      assert.equal(r.code, 0, r.stderr);
      const server = node.server();
      assert.ok(server !== undefined);

      // stdout is exactly one JSON object; the progress went to stderr.
      const result = JSON.parse(r.stdout) as InitResult;
      assert.match(r.stderr, /^\[upload-certs\] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace$/m);
      assert.doesNotMatch(r.stdout, /^\[/m);
      const pki = path.join(root, 'etc/kubernetes/pki');
      const pin = publicKeyPin(new X509Certificate(await readFile(path.join(pki, 'ca.crt'))));
      const key = result.certificateKey;
      assert.ok(key !== undefined && /^[0-9a-f]{64}$/.test(key), 'a fresh 64-hex certificate key');
      assert.equal(result.kind, 'InitResult');
      assert.equal(result.controlPlaneEndpoint, `127.0.0.1:${port}`);
      assert.deepEqual(result.caCertHashes, [pin]);
      assert.deepEqual(result.bootstrapTokens.map((t) => [t.id, t.token]), [['abcdef', 'abcdef.0123456789abcdef']]);
      assert.ok(result.joinCommands?.controlPlane?.endsWith(`--control-plane --certificate-key ${key}`), result.joinCommands?.controlPlane ?? 'no control-plane command');
      assert.match(r.stderr, new RegExp(`^${key}$`, 'm'), 'the key is also on the [upload-certs] lines, as kubeadm prints it');

      // The Secret decrypts with that key to the files init wrote.
      const certs = server.get('Secret', 'kubeadm-certs', 'kube-system');
      assert.ok(certs !== undefined);
      const files = decryptCertsSecret(certs, key);
      for (const [entry, file] of [['ca.crt', 'ca.crt'], ['ca.key', 'ca.key'], ['sa.key', 'sa.key'], ['sa.pub', 'sa.pub'],
        ['front-proxy-ca.crt', 'front-proxy-ca.crt'], ['front-proxy-ca.key', 'front-proxy-ca.key'], ['etcd-ca.crt', 'etcd/ca.crt'], ['etcd-ca.key', 'etcd/ca.key']]) {
        assert.equal(files.get(entry!)?.toString(), await readFile(path.join(pki, file!), 'utf8'), entry);
      }
      assert.throws(() => decryptCertsSecret(certs, 'ab'.repeat(32)), /does not decrypt/);

      // Owned by the proxy token, which expires in 2 h and grants nothing.
      const owner = certs.metadata.ownerReferences?.[0];
      assert.ok(owner !== undefined);
      const tokenSecret = server.get('Secret', owner.name, 'kube-system');
      assert.ok(tokenSecret !== undefined);
      assert.deepEqual({ ...owner }, { apiVersion: 'v1', kind: 'Secret', name: tokenSecret.metadata.name, uid: tokenSecret.metadata.uid, controller: true, blockOwnerDeletion: true });
      assert.equal(decoded(tokenSecret, 'description'), 'Proxy for managing TTL for the kubeadm-certs secret');
      assert.deepEqual(Object.keys(secretData(tokenSecret)).sort(), ['description', 'expiration', 'token-id', 'token-secret']);
      const expires = new Date(decoded(tokenSecret, 'expiration')).getTime();
      assert.ok(expires >= startedAt + 2 * 3600_000 - 2000 && expires <= Date.now() + 2 * 3600_000, 'expires 2 h after the upload');
      assert.equal(result.certificateKeyExpires, decoded(tokenSecret, 'expiration'));
    } finally {
      await node.stop();
    }
  });
});
