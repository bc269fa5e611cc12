// Building certificates and CSRs: serial numbers as Go draws them, the extensions Go writes
// (read back by openssl), DNS before IP SANs, and PEM files carrying a chain.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createCertificate, caIssuer, createCertificateRequest, parseCertificates, randomSerialHex, type CertificateSpec } from '../../src/pki/certificate.js';
import { generatePrivateKey } from '../../src/pki/keys.js';
import { openssl } from '../helpers/openssl.js';

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2036-01-01T00:00:00Z');

function spec(edit: Partial<CertificateSpec> = {}): CertificateSpec {
  return { commonName: 'test', organization: [], usages: [], isCA: false, dnsNames: [], ips: [], notBefore, notAfter, ...edit };
}

describe('randomSerialHex', () => {
  it('draws positive serials below 2^63 in minimal DER-safe hex', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const hex = randomSerialHex();
      assert.match(hex, /^([0-9a-f]{2})+$/, hex);
      const n = BigInt(`0x${hex}`);
      assert.ok(n > 0n && n < 1n << 63n, hex);
      // DER INTEGER content: the top bit of the first byte is clear (positive), and a leading
      // zero byte is only there to clear it (minimal encoding).
      assert.ok(Number.parseInt(hex.slice(0, 2), 16) < 0x80, hex);
      if (hex.startsWith('00')) assert.ok(Number.parseInt(hex.slice(2, 4), 16) >= 0x80, hex);
      seen.add(hex);
    }
    assert.ok(seen.size > 19990, 'serials repeat');
  });

  it('ends up as the certificate serial number', async () => {
    const key = await generatePrivateKey('ECDSA-P256');
    const cert = new X509Certificate(await createCertificate(spec({ isCA: true }), key, { selfSigned: true }));
    const n = BigInt(`0x${cert.serialNumber}`);
    assert.ok(n > 0n && n < 1n << 63n);
  });
});

describe('createCertificate', () => {
  let caKey: KeyObject;
  let leafKey: KeyObject;
  let caPem: string;
  before(async () => {
    [caKey, leafKey] = await Promise.all([generatePrivateKey('ECDSA-P256'), generatePrivateKey('RSA-2048')]);
    caPem = await createCertificate(spec({ commonName: 'test-ca', isCA: true, dnsNames: ['test-ca'] }), caKey, { selfSigned: true });
  });

  it('makes a self-signed CA that openssl accepts as its own root', () => {
    assert.match(caPem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    const ca = new X509Certificate(caPem);
    assert.ok(ca.ca);
    assert.ok(ca.checkIssued(ca) && ca.verify(ca.publicKey));
    assert.equal(ca.validFrom, 'Jan  1 00:00:00 2026 GMT');
    assert.equal(ca.validTo, 'Jan  1 00:00:00 2036 GMT');
    const text = openssl(['x509', '-noout', '-text'], caPem);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment, Certificate Sign\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    assert.match(text, /X509v3 Subject Key Identifier:/);
    assert.doesNotMatch(text, /Authority Key Identifier|Extended Key Usage/);
  });

  it('takes the CA\'s key id as Go does: SHA-1 of the subjectPublicKey bits (RFC 5280 method 1)', () => {
    const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
    // An EC P-256 SubjectPublicKeyInfo: SEQUENCE(89) { SEQUENCE(19) alg, BIT STRING(66) { 0 unused bits, point } }.
    assert.deepEqual([...spki.subarray(0, 2)], [0x30, 0x59]);
    const bits = spki.subarray(2 + 21 + 3);
    const want = createHash('sha1').update(bits).digest('hex').toUpperCase().match(/../g)!.join(':');
    const text = openssl(['x509', '-noout', '-text'], caPem);
    assert.equal(/Subject Key Identifier: \n\s+(\S+)/.exec(text)?.[1], want);
  });

  it('signs a leaf with O before CN, DNS SANs before IPs, and the CA\'s key id', async () => {
    const leafPem = await createCertificate(
      spec({ commonName: 'leaf', organization: ['b-group', 'a-group'], usages: ['serverAuth', 'clientAuth'], dnsNames: ['b.test', 'a.test'], ips: ['10.0.0.1', 'fd00::1'] }),
      leafKey, caIssuer(new X509Certificate(caPem), caKey));
    const leaf = new X509Certificate(leafPem);
    assert.equal(leaf.subject, 'O=b-group\nO=a-group\nCN=leaf');
    assert.equal(leaf.issuer, 'CN=test-ca');
    assert.equal(leaf.subjectAltName, 'DNS:b.test, DNS:a.test, IP Address:10.0.0.1, IP Address:FD00:0:0:0:0:0:0:1');
    assert.ok(leaf.verify(new X509Certificate(caPem).publicKey));
    assert.ok(!leaf.ca);
    const text = openssl(['x509', '-noout', '-text'], leafPem);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
    assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    const skid = /Subject Key Identifier: \n\s+(\S+)/.exec(openssl(['x509', '-noout', '-text'], caPem))?.[1];
    assert.ok(skid);
    assert.match(text, new RegExp(`Authority Key Identifier: \\n\\s+(keyid:)?${skid}\\n`));
    assert.doesNotMatch(text, /Subject Key Identifier/);
  });

  it('writes no SAN extension when there are no names', async () => {
    const pem = await createCertificate(spec({ usages: ['clientAuth'] }), leafKey, caIssuer(new X509Certificate(caPem), caKey));
    assert.equal(new X509Certificate(pem).subjectAltName, undefined);
  });

  it('refuses to sign with a key kubeadm cannot sign with', async () => {
    const ed = generateKeyPairSync('ed25519').privateKey;
    await assert.rejects(createCertificate(spec({ isCA: true }), ed, { selfSigned: true }), /cannot sign with a ed25519 key/);
  });
});

describe('createCertificateRequest', () => {
  it('makes a CSR with the subject and SANs that openssl verifies', async () => {
    const key = await generatePrivateKey('ECDSA-P384');
    const csr = await createCertificateRequest(spec({ commonName: 'kube-apiserver', organization: ['o1'], dnsNames: ['a.test'], ips: ['10.0.0.1'] }), key);
    assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/);
    const text = openssl(['req', '-noout', '-text', '-verify', '-nameopt', 'RFC2253'], csr);
    assert.match(text, /Subject: CN=kube-apiserver,O=o1\n/);
    assert.match(text, /DNS:a\.test, IP Address:10\.0\.0\.1/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA384/);
    assert.equal(openssl(['req', '-noout', '-pubkey'], csr), createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString());
  });
});

describe('parseCertificates', () => {
  it('reads every certificate of a file, leaf first, ignoring text around them', async () => {
    const key = await generatePrivateKey('ECDSA-P256');
    const a = await createCertificate(spec({ commonName: 'a', isCA: true }), key, { selfSigned: true });
    const b = await createCertificate(spec({ commonName: 'b', isCA: true }), key, { selfSigned: true });
    const certs = parseCertificates(`subject=CN = a\n${a}# comment\n${b}`);
    assert.deepEqual(certs.map((c) => c.subject), ['CN=a', 'CN=b']);
    assert.deepEqual(parseCertificates('no certificate here'), []);
    assert.throws(() => parseCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'));
  });
});
