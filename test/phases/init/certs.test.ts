// The init certs phase, proven with the real openssl: every file of a PKI made for each
// encryptionAlgorithm is verified and read back by openssl against the table kubeadm-facts.md
// §3 records. The re-run semantics are in certs-reuse.test.ts.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EncryptionAlgorithm } from '../../../src/config/types.js';
import { certificateFacts, type CertificateFacts, publicKeyOfCertificate, publicKeyOfKey, verify } from '../../helpers/openssl.js';
import {
  backdateMs, certNames, expectedCerts, file, hourMs, pkiDir, runCerts, snapshot, startedAt, type PhaseResult, type Usage,
} from './certs-fixture.js';

const ekuText: Record<Usage, string> = {
  server: 'TLS Web Server Authentication',
  client: 'TLS Web Client Authentication',
  both: 'TLS Web Server Authentication, TLS Web Client Authentication',
};

interface AlgorithmFacts {
  readonly signature: string;
  readonly keyAlgorithm: string;
  readonly bits: number;
  readonly curve?: string;
  readonly pemLabel: string;
}

const algorithms: Readonly<Record<EncryptionAlgorithm, AlgorithmFacts>> = {
  'RSA-2048': { signature: 'sha256WithRSAEncryption', keyAlgorithm: 'rsaEncryption', bits: 2048, pemLabel: 'RSA PRIVATE KEY' },
  'RSA-3072': { signature: 'sha256WithRSAEncryption', keyAlgorithm: 'rsaEncryption', bits: 3072, pemLabel: 'RSA PRIVATE KEY' },
  'RSA-4096': { signature: 'sha256WithRSAEncryption', keyAlgorithm: 'rsaEncryption', bits: 4096, pemLabel: 'RSA PRIVATE KEY' },
  'ECDSA-P256': { signature: 'ecdsa-with-SHA256', keyAlgorithm: 'id-ecPublicKey', bits: 256, curve: 'P-256', pemLabel: 'EC PRIVATE KEY' },
  'ECDSA-P384': { signature: 'ecdsa-with-SHA384', keyAlgorithm: 'id-ecPublicKey', bits: 384, curve: 'P-384', pemLabel: 'EC PRIVATE KEY' },
};

function expectedFirstRunOutput(): string {
  const lines = ['[certs] Using certificateDir folder "/etc/kubernetes/pki"'];
  for (const name of certNames) {
    lines.push(`[certs] Generating "${name}" certificate and key`);
    const san = expectedCerts[name]!.san;
    if (expectedCerts[name]!.usage === 'server' || expectedCerts[name]!.usage === 'both') {
      const dns = san!.split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
      const ips = name === 'apiserver' ? ['10.96.0.1', '192.0.2.10', '10.0.0.5', 'fd00::5'] : ['192.0.2.10', '127.0.0.1', '::1', name === 'etcd/server' ? '10.0.0.7' : '10.0.0.8'];
      lines.push(`[certs] ${name} serving cert is signed for DNS names [${dns.join(' ')}] and IPs [${ips.join(' ')}]`);
    }
  }
  lines.push('[certs] Generating "sa" key and public key');
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

function describePki(algorithm: EncryptionAlgorithm): void {
  describe(`a ${algorithm} PKI`, () => {
    const alg = algorithms[algorithm];
    let root: string;
    let first: PhaseResult;
    // openssl's reading of each certificate, once: the assertions below only look.
    const facts = new Map<string, CertificateFacts>();
    const factsOf = (name: string): CertificateFacts => {
      const f = facts.get(name);
      assert.ok(f !== undefined, `no ${name}.crt was read`);
      return f;
    };
    before(async () => {
      root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-certs-'));
      first = await runCerts(root, { algorithm });
      if (first.error === undefined) for (const name of certNames) facts.set(name, certificateFacts(file(root, `${name}.crt`)));
    });
    after(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('is made without error, printing kubeadm\'s lines', () => {
      assert.equal(first.error, undefined, String(first.error));
      assert.equal(first.stdout, expectedFirstRunOutput());
      assert.equal(first.stderr, '');
    });

    it('is exactly kubeadm\'s files: certificates 0644, keys and sa.pub 0600, directories 0755', async () => {
      const snap = await snapshot(root);
      const modes = Object.fromEntries([...snap].map(([p, s]) => [p, s.split(' ').slice(0, 2).join(' ')]));
      const expected: Record<string, string> = {
        'etc': 'dir 755', 'etc/kubernetes': 'dir 755', [pkiDir]: 'dir 755', [`${pkiDir}/etcd`]: 'dir 755',
        [`${pkiDir}/sa.key`]: 'file 600', [`${pkiDir}/sa.pub`]: 'file 600',
      };
      for (const n of certNames) {
        expected[`${pkiDir}/${n}.crt`] = 'file 644';
        expected[`${pkiDir}/${n}.key`] = 'file 600';
      }
      assert.deepEqual(modes, expected);
    });

    it('verifies every certificate against its CA with openssl verify', () => {
      for (const name of certNames) {
        const signer = expectedCerts[name]!.ca ?? name;
        assert.equal(verify(file(root, `${signer}.crt`), file(root, `${name}.crt`)), `${file(root, `${name}.crt`)}: OK`);
      }
      // And not against another CA.
      assert.throws(() => verify(file(root, 'front-proxy-ca.crt'), file(root, 'apiserver.crt')), /unable to get local issuer certificate/);
    });

    it('has kubeadm\'s subjects, issuers, usages and constraints', () => {
      for (const name of certNames) {
        const e = expectedCerts[name]!;
        const f = factsOf(name);
        const isCA = e.ca === undefined;
        assert.equal(f.subject, e.subject, name);
        assert.equal(f.issuer, isCA ? e.subject : expectedCerts[e.ca!]!.subject, name);
        assert.deepEqual(f.extensions.get('Key Usage'),
          { critical: true, value: isCA ? 'Digital Signature, Key Encipherment, Certificate Sign' : 'Digital Signature, Key Encipherment' }, name);
        assert.deepEqual(f.extensions.get('Extended Key Usage'), e.usage === undefined ? undefined : { critical: false, value: ekuText[e.usage] }, name);
        assert.deepEqual(f.extensions.get('Basic Constraints'), { critical: true, value: isCA ? 'CA:TRUE' : 'CA:FALSE' }, name);
        const expectedExtensions = ['Key Usage', ...(e.usage ? ['Extended Key Usage'] : []), 'Basic Constraints',
          isCA ? 'Subject Key Identifier' : 'Authority Key Identifier', ...(e.san ? ['Subject Alternative Name'] : [])];
        assert.deepEqual([...f.extensions.keys()], expectedExtensions, name);
      }
    });

    it('carries exactly the SANs of the table', () => {
      for (const name of certNames) {
        const san = factsOf(name).extensions.get('Subject Alternative Name');
        assert.deepEqual(san, expectedCerts[name]!.san === undefined ? undefined : { critical: false, value: expectedCerts[name]!.san }, name);
      }
    });

    it('links each leaf to its CA by key identifier', () => {
      const skid = (name: string) => factsOf(name).extensions.get('Subject Key Identifier')?.value;
      for (const name of certNames) {
        const e = expectedCerts[name]!;
        if (e.ca === undefined) {
          assert.match(skid(name) ?? '', /^([0-9A-F]{2}:){19}[0-9A-F]{2}$/, name);
          continue;
        }
        const aki = factsOf(name).extensions.get('Authority Key Identifier')?.value.replace(/^keyid:/, '');
        assert.equal(aki, skid(e.ca), name);
      }
    });

    it(`signs with ${alg.signature} and ${alg.curve ?? `${alg.bits}-bit RSA`} keys in "${alg.pemLabel}" PEM`, async () => {
      for (const name of certNames) {
        const f = factsOf(name);
        assert.deepEqual([f.signatureAlgorithm, f.publicKeyAlgorithm, f.publicKeyBits, f.curve], [alg.signature, alg.keyAlgorithm, alg.bits, alg.curve], name);
        const serial = BigInt(`0x${f.serialHex}`);
        assert.ok(serial > 0n && serial < 1n << 63n, `${name}: serial ${f.serialHex}`);
        const keyPem = await readFile(file(root, `${name}.key`), 'utf8');
        assert.match(keyPem, new RegExp(`^-----BEGIN ${alg.pemLabel}-----\\n[^-]+-----END ${alg.pemLabel}-----\\n$`), name);
      }
    });

    it('pairs every key with its certificate', () => {
      for (const name of certNames) {
        assert.equal(publicKeyOfKey(file(root, `${name}.key`)), publicKeyOfCertificate(file(root, `${name}.crt`)), name);
      }
    });

    it('starts every certificate 5 minutes before the run and ends it a validity period after', () => {
      for (const name of certNames) {
        const f = factsOf(name);
        const period = expectedCerts[name]!.ca === undefined ? 48000 * hourMs : 2400 * hourMs;
        assert.equal(f.notBefore.getTime(), startedAt.getTime() - backdateMs, name);
        assert.equal(f.notAfter.getTime() - f.notBefore.getTime(), period + backdateMs, name);
      }
    });

    it('writes sa.key in the same form and sa.pub as its PKIX public half', async () => {
      const key = await readFile(file(root, 'sa.key'), 'utf8');
      assert.match(key, new RegExp(`^-----BEGIN ${alg.pemLabel}-----\\n`));
      const pub = await readFile(file(root, 'sa.pub'), 'utf8');
      assert.match(pub, /^-----BEGIN PUBLIC KEY-----\n[^-]+-----END PUBLIC KEY-----\n$/);
      assert.equal(publicKeyOfKey(file(root, 'sa.key')), pub);
      assert.notEqual(publicKeyOfKey(file(root, 'ca.key')), pub);
    });

    it('makes a distinct key for every file', async () => {
      const keys = await Promise.all([...certNames, 'sa'].map((n) => readFile(file(root, `${n}.key`), 'utf8')));
      assert.equal(new Set(keys).size, keys.length);
    });

    it('is reused byte for byte on a second run, saying so', async () => {
      const before = await snapshot(root);
      const again = await runCerts(root, { algorithm });
      assert.equal(again.error, undefined, String(again.error));
      assert.equal(again.stdout, [
        '[certs] Using certificateDir folder "/etc/kubernetes/pki"',
        ...certNames.map((n) => (expectedCerts[n]!.ca === undefined
          ? `[certs] Using existing ${n} certificate authority`
          : `[certs] Using existing ${n} certificate and key on disk`)),
        '[certs] Using the existing "sa" key',
        '',
      ].join('\n'));
      assert.equal(again.stderr, '');
      assert.deepEqual(await snapshot(root), before);
    });
  });
}

for (const algorithm of Object.keys(algorithms) as EncryptionAlgorithm[]) describePki(algorithm);

// ---------------------------------------------------------------------------------------------

