// Private keys: kubeadm's PEM forms on write (PKCS#1 for RSA, SEC1 for ECDSA), every form
// kubeadm reads on load (PKCS#8 too), RSA/ECDSA only, and the pair check used on every reuse.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { algorithmOf, clusterKeyAlgorithm, keyShapes, signingParams } from '../../src/pki/algorithms.js';
import { createKeyPool, keyConcurrency } from '../../src/pki/key-pool.js';
import { encodePrivateKey, encodePublicKey, generatePrivateKey, KeyParseError, keysMatch, parsePrivateKey } from '../../src/pki/keys.js';
import { openssl } from '../helpers/openssl.js';

const der = (k: KeyObject) => (k.type === 'private' ? k.export({ type: 'pkcs8', format: 'der' }) : k.export({ type: 'spki', format: 'der' }));

describe('keys', () => {
  let rsa: KeyObject;
  let p256: KeyObject;
  let p384: KeyObject;
  before(async () => {
    [rsa, p256, p384] = await Promise.all([generatePrivateKey('RSA-2048'), generatePrivateKey('ECDSA-P256'), generatePrivateKey('ECDSA-P384')]);
  });

  it('generates the key each encryptionAlgorithm names', () => {
    assert.deepEqual([rsa.asymmetricKeyType, rsa.asymmetricKeyDetails?.modulusLength, rsa.asymmetricKeyDetails?.publicExponent], ['rsa', 2048, 65537n]);
    assert.deepEqual([p256.asymmetricKeyType, p256.asymmetricKeyDetails?.namedCurve], ['ec', 'prime256v1']);
    assert.deepEqual([p384.asymmetricKeyType, p384.asymmetricKeyDetails?.namedCurve], ['ec', 'secp384r1']);
    assert.deepEqual([algorithmOf(rsa), algorithmOf(p256), algorithmOf(p384)], ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384']);
    assert.deepEqual(Object.keys(keyShapes), ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384']);
  });

  it('writes RSA as PKCS#1 "RSA PRIVATE KEY" and ECDSA as SEC1 "EC PRIVATE KEY", which openssl reads', () => {
    const cases: [KeyObject, string, RegExp][] = [
      [rsa, 'RSA PRIVATE KEY', /Private-Key: \(2048 bit, 2 primes\)/],
      [p256, 'EC PRIVATE KEY', /NIST CURVE: P-256/],
      [p384, 'EC PRIVATE KEY', /NIST CURVE: P-384/],
    ];
    for (const [key, label, text] of cases) {
      const pem = encodePrivateKey(key);
      assert.match(pem, new RegExp(`^-----BEGIN ${label}-----\\n[A-Za-z0-9+/=\\n]+-----END ${label}-----\\n$`));
      assert.match(openssl(['pkey', '-noout', '-text'], pem), text);
      assert.ok(der(parsePrivateKey(pem)).equals(der(key)), label);
    }
  });

  it('writes the public half as PKIX "PUBLIC KEY", from a private or a public key', () => {
    for (const key of [rsa, p256]) {
      const pem = encodePublicKey(key);
      assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
      assert.equal(encodePublicKey(createPublicKey(key)), pem);
      assert.equal(openssl(['pkey', '-pubout'], encodePrivateKey(key)), pem);
    }
  });

  it('reads PKCS#8 keys as well, RSA and ECDSA', () => {
    for (const key of [rsa, p256, p384]) {
      const pkcs8 = key.export({ type: 'pkcs8', format: 'pem' }).toString();
      assert.match(pkcs8, /^-----BEGIN PRIVATE KEY-----/);
      assert.ok(der(parsePrivateKey(pkcs8)).equals(der(key)));
      assert.ok(der(parsePrivateKey(Buffer.from(pkcs8))).equals(der(key)));
    }
  });

  it('refuses an Ed25519 key, as kubeadm (RSA or ECDSA only)', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => parsePrivateKey(ed), (err: unknown) => {
      assert.ok(err instanceof KeyParseError);
      assert.match(err.message, /neither in RSA nor ECDSA format \(it is ed25519\)/);
      return true;
    });
  });

  it('refuses what is not a readable private key', () => {
    const notKeys = [
      '',
      'garbage',
      '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n',
      encodePublicKey(rsa),
      rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString(),
    ];
    for (const pem of notKeys) assert.throws(() => parsePrivateKey(pem), KeyParseError, JSON.stringify(pem.slice(0, 30)));
  });

  it('matches a private key to its own public half only', () => {
    assert.ok(keysMatch(rsa, createPublicKey(rsa)));
    assert.ok(keysMatch(p256, createPublicKey(createPrivateKey(encodePrivateKey(p256)))));
    assert.ok(!keysMatch(p256, createPublicKey(p384)));
    assert.ok(!keysMatch(rsa, createPublicKey(p256)));
    assert.ok(!keysMatch(p256, createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)));
  });

  it('knows no algorithm for keys kubeadm never makes, but signs with any RSA key', () => {
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey;
    const ed = generateKeyPairSync('ed25519').privateKey;
    assert.deepEqual([algorithmOf(rsa1024), algorithmOf(p521), algorithmOf(ed)], [undefined, undefined, undefined]);
    assert.deepEqual(signingParams(rsa1024)?.signParams, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    assert.equal(signingParams(p521), undefined);
    assert.equal(signingParams(ed), undefined);
  });

  it('signs with SHA-256 for RSA and P-256 and SHA-384 for P-384, as Go', () => {
    assert.deepEqual(signingParams(rsa)?.signParams, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    assert.deepEqual(signingParams(p256), { importParams: { name: 'ECDSA', namedCurve: 'P-256' }, signParams: { name: 'ECDSA', hash: 'SHA-256' } });
    assert.deepEqual(signingParams(p384), { importParams: { name: 'ECDSA', namedCurve: 'P-384' }, signParams: { name: 'ECDSA', hash: 'SHA-384' } });
  });
});

describe('key pool', () => {
  it('hands out reserved keys, then makes new ones, all of the pool\'s algorithm', async () => {
    const pool = createKeyPool('ECDSA-P384');
    pool.reserve(2);
    const keys = await Promise.all([pool.take(), pool.take(), pool.take()]);
    for (const k of keys) assert.equal(algorithmOf(k), 'ECDSA-P384');
    assert.equal(new Set(keys.map((k) => der(k).toString('hex'))).size, 3);
  });

  it('generates reserved keys a few at a time and still hands every waiting taker its own', async () => {
    const pool = createKeyPool('ECDSA-P256', 1);
    pool.reserve(3);
    const keys = await Promise.all([pool.take(), pool.take(), pool.take(), pool.take()]);
    assert.equal(new Set(keys.map((k) => der(k).toString('hex'))).size, 4);
  });

  it('runs more generations than cores, but never the whole libuv thread pool', () => {
    assert.equal(keyConcurrency(2, {}), 3);
    assert.equal(keyConcurrency(1, {}), 2);
    assert.equal(keyConcurrency(16, {}), 3);
    assert.equal(keyConcurrency(16, { UV_THREADPOOL_SIZE: '32' }), 17);
    assert.equal(keyConcurrency(4, { UV_THREADPOOL_SIZE: '1' }), 1);
    assert.equal(keyConcurrency(4, { UV_THREADPOOL_SIZE: 'lots' }), 3);
  });

  it('counts a reservation once per run, however many phases ask', async () => {
    const pool = createKeyPool('ECDSA-P256');
    let calls = 0;
    const count = async () => {
      calls++;
      return 1;
    };
    await Promise.all([pool.reserveOnce(count), pool.reserveOnce(count)]);
    await pool.reserveOnce(count);
    assert.equal(calls, 1);
  });
});

describe('clusterKeyAlgorithm', () => {
  it('is encryptionAlgorithm, unless the deprecated PublicKeysECDSA gate is set, which decides as in kubeadm', () => {
    assert.equal(clusterKeyAlgorithm({ encryptionAlgorithm: 'RSA-4096', featureGates: {} }), 'RSA-4096');
    assert.equal(clusterKeyAlgorithm({ encryptionAlgorithm: 'RSA-4096', featureGates: { PublicKeysECDSA: true } }), 'ECDSA-P256');
    assert.equal(clusterKeyAlgorithm({ encryptionAlgorithm: 'ECDSA-P384', featureGates: { PublicKeysECDSA: false } }), 'RSA-2048');
  });
});
