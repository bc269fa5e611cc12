// Questions asked of a certificate already on disk: its period, its signer (through a chain),
// its names. kubeadm: CheckCertificatePeriodValidity, pkiutil.VerifyCertChain (Go's x509.Verify),
// validateCertificateWithConfig (Go's VerifyHostname).
import assert from 'node:assert/strict';
import { type KeyObject, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { caIssuer, createCertificate, type CertificateSpec } from '../../src/pki/certificate.js';
import { missingAltNames, notAfter, notBefore, periodProblem, signedBy, subjectAltNames, subjectOf } from '../../src/pki/inspect.js';
import { encodePrivateKey, generatePrivateKey } from '../../src/pki/keys.js';
import { openssl } from '../helpers/openssl.js';

const from = new Date('2026-01-01T00:00:00Z');
const to = new Date('2027-01-01T00:00:00Z');

function spec(edit: Partial<CertificateSpec>): CertificateSpec {
  return { commonName: 'x', organization: [], usages: ['clientAuth'], isCA: false, dnsNames: [], ips: [], notBefore: from, notAfter: to, ...edit };
}

interface Pair { cert: X509Certificate; key: KeyObject }

async function issue(s: CertificateSpec, signer?: Pair): Promise<Pair> {
  const key = await generatePrivateKey('ECDSA-P256');
  const pem = await createCertificate(s, key, signer === undefined ? { selfSigned: true } : caIssuer(signer.cert, signer.key));
  return { cert: new X509Certificate(pem), key };
}

describe('signedBy', () => {
  let root: Pair;
  let intermediate: Pair;
  let leafOfRoot: Pair;
  let leafOfIntermediate: Pair;
  let otherRoot: Pair;
  let sameNameRoot: Pair;
  before(async () => {
    root = await issue(spec({ commonName: 'root', isCA: true, usages: [] }));
    intermediate = await issue(spec({ commonName: 'intermediate', isCA: true, usages: [] }), root);
    leafOfRoot = await issue(spec({ commonName: 'leaf-1' }), root);
    leafOfIntermediate = await issue(spec({ commonName: 'leaf-2' }), intermediate);
    otherRoot = await issue(spec({ commonName: 'other', isCA: true, usages: [] }));
    sameNameRoot = await issue(spec({ commonName: 'root', isCA: true, usages: [] }));
  });

  it('accepts a certificate its CA signed', () => {
    assert.ok(signedBy(leafOfRoot.cert, [], root.cert));
    assert.ok(signedBy(leafOfIntermediate.cert, [], intermediate.cert));
  });

  it('follows the intermediates a file carries after its leaf, in any order', () => {
    assert.ok(signedBy(leafOfIntermediate.cert, [intermediate.cert], root.cert));
    assert.ok(signedBy(leafOfIntermediate.cert, [otherRoot.cert, intermediate.cert], root.cert));
    assert.ok(signedBy(leafOfRoot.cert, [intermediate.cert], root.cert));
  });

  it('refuses a missing link, another CA, and a CA of the same name with another key', () => {
    assert.ok(!signedBy(leafOfIntermediate.cert, [], root.cert));
    assert.ok(!signedBy(leafOfRoot.cert, [], otherRoot.cert));
    assert.ok(!signedBy(leafOfIntermediate.cert, [intermediate.cert], otherRoot.cert));
    assert.ok(!signedBy(leafOfRoot.cert, [], sameNameRoot.cert));
  });

  describe('through a certificate that is not a CA', () => {
    let dir: string;
    let fakeIntermediate: X509Certificate;
    let leaf: X509Certificate;
    before(async () => {
      // openssl can make what createCertificate never does: a CA:FALSE certificate without a key
      // usage extension, used to sign another certificate.
      dir = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-inspect-'));
      const f = (n: string) => path.join(dir, n);
      await writeFile(f('root.crt'), root.cert.toString());
      await writeFile(f('root.key'), encodePrivateKey(root.key));
      await writeFile(f('int.ext'), 'basicConstraints=critical,CA:FALSE\n');
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
      openssl(['req', '-new', ...ec, '-keyout', f('int.key'), '-out', f('int.csr'), '-subj', '/CN=not-a-ca']);
      openssl(['x509', '-req', '-in', f('int.csr'), '-CA', f('root.crt'), '-CAkey', f('root.key'), '-set_serial', '7', '-days', '2', '-extfile', f('int.ext'), '-out', f('int.crt')]);
      openssl(['req', '-new', ...ec, '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=leaf-3']);
      openssl(['x509', '-req', '-in', f('leaf.csr'), '-CA', f('int.crt'), '-CAkey', f('int.key'), '-set_serial', '8', '-days', '1', '-out', f('leaf.crt')]);
      fakeIntermediate = new X509Certificate(await readFile(f('int.crt')));
      leaf = new X509Certificate(await readFile(f('leaf.crt')));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('is a chain openssl refuses', () => {
      assert.ok(!fakeIntermediate.ca);
      assert.throws(() => openssl(['verify', '-CAfile', path.join(dir, 'root.crt'), '-untrusted', path.join(dir, 'int.crt'), path.join(dir, 'leaf.crt')]),
        /invalid CA certificate/);
    });

    it('is refused, as Go\'s x509.Verify refuses it', () => {
      assert.equal(signedBy(leaf, [fakeIntermediate], root.cert), false);
    });
  });
});

describe('periodProblem', () => {
  let cert: X509Certificate;
  before(async () => {
    cert = (await issue(spec({ notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-06-01T00:00:00Z') }))).cert;
  });

  it('reads notBefore and notAfter', () => {
    assert.equal(notBefore(cert).toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(notAfter(cert).toISOString(), '2026-06-01T00:00:00.000Z');
  });

  it('says nothing inside the period, its bounds included', () => {
    for (const now of ['2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z']) {
      assert.equal(periodProblem('apiserver', cert, new Date(now)), undefined, now);
    }
  });

  it('says "not valid yet" before it and "has expired" after it, in kubeadm\'s words', () => {
    assert.equal(periodProblem('apiserver', cert, new Date('2025-12-31T23:59:59Z')),
      'could not validate bounds for certificate apiserver: the certificate is not valid yet: 2026-01-01T00:00:00.000Z');
    assert.equal(periodProblem('etcd/ca', cert, new Date('2026-06-01T00:00:01Z')),
      'could not validate bounds for certificate etcd/ca: the certificate has expired: 2026-06-01T00:00:00.000Z');
  });
});

describe('names', () => {
  let cert: X509Certificate;
  before(async () => {
    cert = (await issue(spec({
      commonName: 'kube-apiserver', organization: ['o1', 'o2'],
      dnsNames: ['kubernetes', 'node-1', '*.apps.example.test'], ips: ['10.96.0.1', 'fd00::1', '::1'],
    }))).cert;
  });

  it('reads the SANs, IPv6 in canonical form', () => {
    assert.deepEqual(subjectAltNames(cert), { dnsNames: ['kubernetes', 'node-1', '*.apps.example.test'], ips: ['10.96.0.1', 'fd00::1', '::1'] });
  });

  it('reads subject CN and O', () => {
    assert.deepEqual(subjectOf(cert), { commonName: 'kube-apiserver', organization: ['o1', 'o2'] });
  });

  it('lists the expected names a certificate lacks, DNS first, reading the certificate\'s IPs canonically', () => {
    assert.deepEqual(missingAltNames(cert, { dnsNames: ['node-1', 'kubernetes'], ips: ['fd00::1', '10.96.0.1'] }), []);
    assert.deepEqual(missingAltNames(cert, { dnsNames: ['kubernetes', 'cp.example.test'], ips: ['192.0.2.10', '::1', '10.96.0.2'] }),
      ['DNS:cp.example.test', 'IP:192.0.2.10', 'IP:10.96.0.2']);
  });

  it('counts a name the certificate\'s wildcard covers as present, as Go\'s VerifyHostname does', () => {
    assert.deepEqual(missingAltNames(cert, { dnsNames: ['console.apps.example.test', 'CONSOLE.apps.example.test'], ips: [] }), []);
    assert.deepEqual(missingAltNames(cert, { dnsNames: ['a.b.apps.example.test'], ips: [] }), ['DNS:a.b.apps.example.test']);
  });
});
