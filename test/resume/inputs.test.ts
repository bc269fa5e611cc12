// Phase inputs: canonical (order-free) hashes, secrets left out, and each certificate's inputs moving only with
// what shapes that certificate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certProfiles } from '../../pki/certificates.js';
import { kubeconfigProfiles } from '../../pki/kubeconfigs.js';
import { canonicalHash, canonicalJson } from '../../src/resume/canonical.js';
import { certificateInputs, inputHashOf, kubeconfigInputs, withoutSecrets } from '../../src/resume/inputs.js';
import { initConfig } from '../preflight/healthy-host.js';

test('canonical JSON sorts keys at every level and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: 'x' } }), '{"a":{"c":"x","d":[1,{"x":2,"z":1}]},"b":1}');
  assert.equal(canonicalHash({ a: 1, b: 2 }), canonicalHash({ b: 2, a: 1 }));
  assert.notEqual(canonicalHash({ a: 1 }), canonicalHash({ a: 2 }));
});

test('the default inputs leave out tokens, the certificate key and run-only settings', async () => {
  const a = initConfig();
  const b = initConfig((c) => ({ ...c, init: { ...c.init, certificateKey: 'f'.repeat(64), bootstrapTokens: [{ ...c.init.bootstrapTokens[0]!, token: 'zzzzzz.zzzzzzzzzzzzzzzz' }] } }));
  assert.equal(await inputHashOf({}, { cfg: a }), await inputHashOf({}, { cfg: b }));
  const c = initConfig((x) => ({ ...x, cluster: { ...x.cluster, kubernetesVersion: 'v1.34.2' } }));
  assert.notEqual(await inputHashOf({}, { cfg: a }), await inputHashOf({}, { cfg: c }));
  assert.equal(JSON.stringify(withoutSecrets({ token: 'x', keep: [{ certificateKey: 'y', n: 1 }] })), '{"keep":[{"n":1}]}');
});

test('a new certSAN changes the inputs of the API server certificate only', () => {
  const a = initConfig();
  const b = initConfig((c) => ({ ...c, cluster: { ...c.cluster, apiServer: { ...c.cluster.apiServer, certSANs: ['lb.example.test'] } } }));
  const changed = certProfiles.filter((p) => canonicalHash(certificateInputs(p, a)) !== canonicalHash(certificateInputs(p, b))).map((p) => p.name);
  assert.deepEqual(changed, ['apiserver']);
  const kubeconfigsChanged = kubeconfigProfiles.filter((k) => canonicalHash(kubeconfigInputs(k, a, '/etc/kubernetes')) !== canonicalHash(kubeconfigInputs(k, b, '/etc/kubernetes')));
  assert.deepEqual(kubeconfigsChanged, []);
});

test('the key algorithm changes every certificate\'s inputs; the node name only the node-named ones', () => {
  const a = initConfig();
  const ec = initConfig((c) => ({ ...c, cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256' } }));
  assert.ok(certProfiles.every((p) => canonicalHash(certificateInputs(p, a)) !== canonicalHash(certificateInputs(p, ec))));
  const renamed = initConfig((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, name: 'node-2' } } }));
  const changed = certProfiles.filter((p) => canonicalHash(certificateInputs(p, a)) !== canonicalHash(certificateInputs(p, renamed))).map((p) => p.name);
  assert.ok(changed.includes('apiserver') && changed.includes('etcd-server') && !changed.includes('ca'), changed.join(','));
});
