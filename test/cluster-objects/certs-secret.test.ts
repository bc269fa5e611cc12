// The kubeadm-certs Secret: AES-256-GCM in kubeadm's layout (nonce ‖ ciphertext ‖ tag), checked against an
// independent decryption; round trip, wrong key, tampered data; entries, owner reference and RBAC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import {
  CertsSecretDecryptError, certsSecretEntries, decryptCertsSecret, decryptWithCertificateKey, encryptWithCertificateKey,
  kubeadmCertsRbac, kubeadmCertsSecret,
} from '../../src/cluster-objects/certs-secret.js';
import { ConfigError } from '../../src/errors.js';
import { initConfig } from '../preflight/healthy-host.js';

const keyHex = '0123456789abcdef'.repeat(4);
const otherKeyHex = 'f'.repeat(64);
const key = Buffer.from(keyHex, 'hex');
const owner = { name: 'bootstrap-token-abcdef', uid: '1b2c3d4e-0000-4000-8000-000000000001' };

test('sealed bytes are nonce ‖ ciphertext ‖ tag, as Go\'s gcm.Seal(nonce, nonce, …) writes them', () => {
  const nonce = Buffer.alloc(12, 7);
  const plain = Buffer.from('-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n');
  const sealed = encryptWithCertificateKey(plain, key, nonce);
  assert.equal(sealed.length, 12 + plain.length + 16);
  assert.deepEqual(sealed.subarray(0, 12), nonce);
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  assert.deepEqual(Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]), plain);
});

test('each value gets its own random nonce', () => {
  const a = encryptWithCertificateKey(Buffer.from('same'), key);
  const b = encryptWithCertificateKey(Buffer.from('same'), key);
  assert.notDeepEqual(a.subarray(0, 12), b.subarray(0, 12));
});

const files = new Map<string, Uint8Array | undefined>([
  ['ca.crt', Buffer.from('ca cert')], ['ca.key', Buffer.from('ca key')], ['sa.pub', Buffer.from('sa pub')], ['etcd-ca.key', undefined],
]);

test('the Secret round-trips through decryptCertsSecret; an absent file is an empty value', () => {
  const secret = kubeadmCertsSecret(files, keyHex, owner);
  const data = secret['data'] as Record<string, string>;
  assert.equal(data['etcd-ca.key'], '');
  assert.notEqual(Buffer.from(data['ca.key']!, 'base64').toString(), 'ca key', 'stored encrypted');
  const back = decryptCertsSecret(secret, keyHex);
  assert.deepEqual([...back.keys()], ['ca.crt', 'ca.key', 'etcd-ca.key', 'sa.pub']);
  assert.equal(back.get('ca.key')!.toString(), 'ca key');
  assert.equal(back.get('etcd-ca.key')!.length, 0);
});

test('the wrong key fails with a typed error naming the entry, and no partial result', () => {
  const secret = kubeadmCertsSecret(files, keyHex, owner);
  assert.throws(() => decryptCertsSecret(secret, otherKeyHex), (err: unknown) => {
    assert.ok(err instanceof CertsSecretDecryptError);
    assert.ok(err instanceof ConfigError, 'invalid input: exit code 3');
    assert.equal(err.entry, 'ca.crt');
    assert.match(err.message, /does not decrypt "ca\.crt" in the kube-system\/kubeadm-certs Secret/);
    assert.match(err.fix ?? '', /upload-certs --upload-certs/);
    return true;
  });
});

test('tampered ciphertext, a tampered tag and a truncated value are refused', () => {
  const sealed = encryptWithCertificateKey(Buffer.from('secret material'), key);
  for (const [what, bad] of [
    ['ciphertext', Buffer.from(sealed).fill(0x41, 12, 13)],
    ['tag', Buffer.from(sealed).fill(0x00, sealed.length - 1)],
    ['truncated', sealed.subarray(0, 20)],
  ] as const) {
    assert.throws(() => decryptWithCertificateKey(bad, key, 'sa.key'), CertsSecretDecryptError, what);
  }
});

test('a certificate key that is not 64 hex digits is invalid input', () => {
  assert.throws(() => kubeadmCertsSecret(files, 'abc', owner), (err: unknown) => err instanceof ConfigError && /64 hexadecimal/.test(err.message));
  assert.throws(() => decryptCertsSecret(kubeadmCertsSecret(files, keyHex, owner), 'z'.repeat(64)), ConfigError);
});

test('the Secret is owned by the token Secret (controller, blockOwnerDeletion) and is Opaque by default', () => {
  const secret = kubeadmCertsSecret(files, keyHex, owner);
  assert.deepEqual(secret.metadata, {
    name: 'kubeadm-certs', namespace: 'kube-system',
    ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
  });
  assert.equal(secret['type'], undefined);
});

test('entries: the CAs, sa pair and etcd CA for local etcd; the configured files for external etcd', () => {
  const local = initConfig();
  assert.deepEqual(certsSecretEntries(local.cluster), [
    { name: 'ca.crt', path: '/etc/kubernetes/pki/ca.crt' }, { name: 'ca.key', path: '/etc/kubernetes/pki/ca.key' },
    { name: 'front-proxy-ca.crt', path: '/etc/kubernetes/pki/front-proxy-ca.crt' }, { name: 'front-proxy-ca.key', path: '/etc/kubernetes/pki/front-proxy-ca.key' },
    { name: 'sa.pub', path: '/etc/kubernetes/pki/sa.pub' }, { name: 'sa.key', path: '/etc/kubernetes/pki/sa.key' },
    { name: 'etcd-ca.crt', path: '/etc/kubernetes/pki/etcd/ca.crt' }, { name: 'etcd-ca.key', path: '/etc/kubernetes/pki/etcd/ca.key' },
  ]);
  const external = { ...local.cluster, etcd: { external: { endpoints: ['https://10.0.0.5:2379'], caFile: '/etcd/ca.pem', certFile: '/etcd/c.pem', keyFile: '/etcd/k.pem' } } };
  assert.deepEqual(certsSecretEntries(external).slice(6), [
    { name: 'external-etcd-ca.crt', path: '/etcd/ca.pem' }, { name: 'external-etcd.crt', path: '/etcd/c.pem' }, { name: 'external-etcd.key', path: '/etcd/k.pem' },
  ]);
});

test('RBAC: bootstrap tokens of the default group may get the kubeadm-certs Secret, nothing else', () => {
  const [role, binding] = kubeadmCertsRbac();
  assert.deepEqual(role!['rules'], [{ apiGroups: [''], resourceNames: ['kubeadm-certs'], resources: ['secrets'], verbs: ['get'] }]);
  assert.deepEqual(binding!['roleRef'], { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'kubeadm:kubeadm-certs' });
  assert.deepEqual(binding!['subjects'], [{ kind: 'Group', name: 'system:bootstrappers:kubeadm:default-node-token' }]);
});
