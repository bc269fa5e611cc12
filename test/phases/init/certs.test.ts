// The init certs phase, proven with the real openssl: every file of a PKI made for each
// encryptionAlgorithm is verified and read back by openssl against the table kubeadm-facts.md
// §3 records; then the re-run semantics (reuse, refuse, never overwrite) on fresh ECDSA roots.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { certProfiles } from '../../../pki/certificates.js';
import { loadInitConfig } from '../../../src/config/load.js';
import type { EncryptionAlgorithm } from '../../../src/config/types.js';
import { CertificateError, ConfigError, PhaseError, exitCodeOf } from '../../../src/errors.js';
import { captureOutput } from '../../../src/output/output.js';
import { initPhases } from '../../../src/phases/init/tree.js';
import { createCertificate } from '../../../src/pki/certificate.js';
import { encodePrivateKey, generatePrivateKey } from '../../../src/pki/keys.js';
import { runPhases } from '../../../src/workflow/run.js';
import { selectPhases } from '../../../src/workflow/select.js';
import { runCli } from '../../cli/run-cli.js';
import { initContext } from '../../helpers/init-context.js';
import { certificateFacts, type CertificateFacts, publicKeyOfCertificate, publicKeyOfKey, verify } from '../../helpers/openssl.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';

const hourMs = 3600 * 1000;
const backdateMs = 5 * 60 * 1000;
// Whole seconds: X.509 times have no milliseconds, so validity can be compared exactly.
const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
const pkiDir = 'etc/kubernetes/pki';

interface ConfigOptions {
  readonly algorithm?: string;
  readonly certSANs?: readonly string[];
  readonly externalEtcd?: boolean;
}

/** Dual-stack services, an endpoint, extra SANs everywhere and non-default periods, so each reaches the files. */
function configYaml(o: ConfigOptions = {}): string {
  const etcd = o.externalEtcd === true
    ? '  external:\n    endpoints: [https://10.0.0.20:2379]\n    caFile: /etc/etcd/ca.crt\n    certFile: /etc/etcd/client.crt\n    keyFile: /etc/etcd/client.key\n'
    : '  local:\n    serverCertSANs: [etcd.example.test, 10.0.0.7]\n    peerCertSANs: [peer.example.test, 10.0.0.8]\n';
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
nodeRegistration:
  name: node-1
  criSocket: unix:///var/run/containerd/containerd.sock
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
encryptionAlgorithm: ${o.algorithm ?? 'RSA-2048'}
controlPlaneEndpoint: cp.example.test:6443
certificateValidityPeriod: 2400h
caCertificateValidityPeriod: 48000h
networking:
  dnsDomain: corp.local
  serviceSubnet: 10.96.0.0/16,fd00:10:96::/112
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
apiServer:
  certSANs: ${JSON.stringify(o.certSANs ?? ['10.0.0.5', 'FD00:0::5', '*.apps.example.test', 'extra.example.test', '192.0.2.10'])}
etcd:
${etcd}`;
}

interface PhaseResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly error: unknown;
}

/** `init phase certs` as the CLI runs it (selection, runner, context), on a temp root with a fixed clock. */
async function runCerts(root: string, o: ConfigOptions = {}): Promise<PhaseResult> {
  await writeFile(path.join(root, 'kubeadm.yaml'), configYaml(o));
  const host = tempRootHost(root, { now: startedAt });
  const cfg = await loadInitConfig({ host, configPath: '/kubeadm.yaml', flags: {} });
  const out = captureOutput();
  const selection = selectPhases(initPhases, { only: 'certs' });
  const ctx = initContext(cfg, host, out, { selected: selection.run.map((p) => p.path) });
  let error: unknown;
  try {
    await runPhases(selection, ctx, { renderer: { out, execute: async (steps) => { for (const s of steps) await s.run(); } } });
  } catch (err) {
    error = err;
  }
  return { stdout: out.stdout(), stderr: out.stderr(), error };
}

async function freshPki(o: ConfigOptions = {}): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-certs-'));
  const r = await runCerts(root, o);
  assert.equal(r.error, undefined, String(r.error));
  return root;
}

/** Every path under root but the config with its kind, mode, content hash and mtime: equal snapshots = nothing rewritten. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const entries = (await readdir(root, { recursive: true })).filter((p) => p !== 'kubeadm.yaml').sort();
  const snap = new Map<string, string>();
  for (const rel of entries) {
    const st = await lstat(path.join(root, rel));
    const mode = (st.mode & 0o7777).toString(8);
    const hash = st.isFile() ? createHash('sha256').update(await readFile(path.join(root, rel))).digest('hex') : '-';
    snap.set(rel, `${st.isDirectory() ? 'dir' : 'file'} ${mode} ${hash} ${st.mtimeMs}`);
  }
  return snap;
}

/** The CertificateError along an error's cause chain. */
function certificateError(err: unknown): CertificateError {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof CertificateError) return e;
  assert.fail(`no CertificateError in ${String(err)}`);
}

const file = (root: string, rel: string) => path.join(root, pkiDir, rel);

// ---------------------------------------------------------------------------------------------
// What each file must be. Written out, not derived from pki/certificates.ts, so the table is checked too.

type Usage = 'server' | 'client' | 'both';
interface Expected {
  readonly subject: string;
  readonly ca?: string;
  readonly usage?: Usage;
  readonly san?: string;
}

const allIPv6Loopback = 'IP Address:0:0:0:0:0:0:0:1';
const expectedCerts: Readonly<Record<string, Expected>> = {
  'ca': { subject: 'CN=kubernetes', san: 'DNS:kubernetes' },
  'apiserver': {
    subject: 'CN=kube-apiserver', ca: 'ca', usage: 'server',
    san: ['DNS:*.apps.example.test', 'DNS:cp.example.test', 'DNS:extra.example.test', 'DNS:kubernetes', 'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.corp.local', 'DNS:node-1',
      'IP Address:10.96.0.1', 'IP Address:192.0.2.10', 'IP Address:10.0.0.5', 'IP Address:FD00:0:0:0:0:0:0:5'].join(', '),
  },
  'apiserver-kubelet-client': { subject: 'CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins', ca: 'ca', usage: 'client' },
  'front-proxy-ca': { subject: 'CN=front-proxy-ca', san: 'DNS:front-proxy-ca' },
  'front-proxy-client': { subject: 'CN=front-proxy-client', ca: 'front-proxy-ca', usage: 'client' },
  'etcd/ca': { subject: 'CN=etcd-ca', san: 'DNS:etcd-ca' },
  'etcd/server': {
    subject: 'CN=node-1', ca: 'etcd/ca', usage: 'both',
    san: `DNS:etcd.example.test, DNS:localhost, DNS:node-1, IP Address:192.0.2.10, IP Address:127.0.0.1, ${allIPv6Loopback}, IP Address:10.0.0.7`,
  },
  'etcd/peer': {
    subject: 'CN=node-1', ca: 'etcd/ca', usage: 'both',
    san: `DNS:localhost, DNS:node-1, DNS:peer.example.test, IP Address:192.0.2.10, IP Address:127.0.0.1, ${allIPv6Loopback}, IP Address:10.0.0.8`,
  },
  'etcd/healthcheck-client': { subject: 'CN=kube-etcd-healthcheck-client', ca: 'etcd/ca', usage: 'client' },
  'apiserver-etcd-client': { subject: 'CN=kube-apiserver-etcd-client', ca: 'etcd/ca', usage: 'client' },
};
const certNames = Object.keys(expectedCerts);
const etcdNames = ['etcd/ca', 'etcd/server', 'etcd/peer', 'etcd/healthcheck-client', 'apiserver-etcd-client'];
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

describe('an existing PKI that cannot be used (ECDSA-P256)', () => {
  const ecdsa = { algorithm: 'ECDSA-P256' };
  const roots: string[] = [];
  const pki = async (o: ConfigOptions = {}) => {
    const root = await freshPki({ ...ecdsa, ...o });
    roots.push(root);
    return root;
  };
  after(async () => {
    await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  });

  /** The run fails at `phase` with a CertificateError on `rel`, exit 3, and changes nothing on disk. */
  async function assertRefused(root: string, phase: string, rel: string, message: RegExp, o: ConfigOptions = {}): Promise<CertificateError> {
    const before = await snapshot(root);
    const r = await runCerts(root, { ...ecdsa, ...o });
    assert.ok(r.error instanceof PhaseError, `expected a PhaseError, got ${String(r.error)}`);
    assert.equal(r.error.phasePath, phase);
    assert.equal(exitCodeOf(r.error), 3);
    const ce = certificateError(r.error);
    assert.equal(ce.path, `/${pkiDir}/${rel}`);
    assert.match(ce.message, message);
    assert.ok(ce.fix !== undefined && ce.fix.length > 0, 'a fix is given');
    assert.deepEqual(await snapshot(root), before, 'nothing on disk changed');
    return ce;
  }

  it('refuses an API server certificate without the SANs certSANs now asks for', async () => {
    const root = await pki();
    const ce = await assertRefused(root, 'certs/apiserver', 'apiserver.crt', /apiserver\.crt is invalid: it lacks the SANs DNS:new\.example\.test, IP:10\.0\.0\.99 /,
      { certSANs: ['10.0.0.5', 'new.example.test', '10.0.0.99'] });
    assert.match(ce.fix ?? '', /remove \/etc\/kubernetes\/pki\/apiserver\.crt and \/etc\/kubernetes\/pki\/apiserver\.key/);
  });

  it('refuses a certificate file that is not PEM, naming it', async () => {
    const root = await pki();
    await writeFile(file(root, 'apiserver.crt'), '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    await assertRefused(root, 'certs/apiserver', 'apiserver.crt', /^\/etc\/kubernetes\/pki\/apiserver\.crt is not a valid PEM certificate/);
    await writeFile(file(root, 'apiserver.crt'), 'hello\n');
    await assertRefused(root, 'certs/apiserver', 'apiserver.crt', /holds no PEM "CERTIFICATE" block/);
  });

  it('refuses a directory where a certificate or key should be, naming it, and makes no key without its certificate', async () => {
    const root = await pki();
    await Promise.all(['front-proxy-client.crt', 'front-proxy-client.key'].map((f) => unlink(file(root, f))));
    await mkdir(file(root, 'front-proxy-client.crt'));
    await assertRefused(root, 'certs/front-proxy-client', 'front-proxy-client.crt', /^cannot read \/etc\/kubernetes\/pki\/front-proxy-client\.crt: it is a directory$/);
    assert.equal(existsSync(file(root, 'front-proxy-client.key')), false);
  });

  it('refuses a key that belongs to another certificate', async () => {
    const root = await pki();
    await writeFile(file(root, 'apiserver.key'), await readFile(file(root, 'apiserver-kubelet-client.key')), { mode: 0o600 });
    await assertRefused(root, 'certs/apiserver', 'apiserver.key', /the private key \/etc\/kubernetes\/pki\/apiserver\.key does not belong to the certificate/);
  });

  it('refuses a leaf another CA signed', async () => {
    const [root, other] = await Promise.all([pki(), pki()]);
    for (const f of ['apiserver.crt', 'apiserver.key']) await writeFile(file(root, f), await readFile(file(other, f)));
    await assertRefused(root, 'certs/apiserver', 'apiserver.crt', /apiserver\.crt is not signed by the CA in \/etc\/kubernetes\/pki\/ca\.crt/);
  });

  it('refuses an expired CA before making anything', async () => {
    await withTempRoot(async (root) => {
      const key = await generatePrivateKey('ECDSA-P256');
      const spec = { commonName: 'kubernetes', organization: [], usages: [], isCA: true, dnsNames: ['kubernetes'], ips: [],
        notBefore: new Date(startedAt.getTime() - 400 * 24 * hourMs), notAfter: new Date(startedAt.getTime() - 24 * hourMs) };
      await mkdir(path.join(root, pkiDir), { recursive: true });
      await writeFile(file(root, 'ca.crt'), await createCertificate(spec, key, { selfSigned: true }), { mode: 0o644 });
      await writeFile(file(root, 'ca.key'), encodePrivateKey(key), { mode: 0o600 });
      await writeFile(path.join(root, 'kubeadm.yaml'), configYaml(ecdsa));
      await assertRefused(root, 'certs/ca', 'ca.crt', /the ca CA certificate \/etc\/kubernetes\/pki\/ca\.crt expired on /);
    });
  });

  it('replaces a key left without its certificate (an interrupted run) and then converges', async () => {
    const root = await pki();
    const oldKey = await readFile(file(root, 'apiserver.key'), 'utf8');
    await unlink(file(root, 'apiserver.crt'));
    // Every other file keeps its bytes and mtime (the directory's mtime moves with the new files).
    const others = new Map([...(await snapshot(root))].filter(([p, s]) => s.startsWith('file') && !p.endsWith('/apiserver.key')));
    const r = await runCerts(root, ecdsa);
    assert.equal(r.error, undefined, String(r.error));
    assert.match(r.stdout, /\[certs\] Generating "apiserver" certificate and key\n/);
    assert.notEqual(await readFile(file(root, 'apiserver.key'), 'utf8'), oldKey);
    assert.equal(publicKeyOfKey(file(root, 'apiserver.key')), publicKeyOfCertificate(file(root, 'apiserver.crt')));
    assert.equal(verify(file(root, 'ca.crt'), file(root, 'apiserver.crt')), `${file(root, 'apiserver.crt')}: OK`);
    const after = await snapshot(root);
    for (const [p, s] of others) assert.equal(after.get(p), s, `${p} was rewritten`);
    const third = await runCerts(root, ecdsa);
    assert.equal(third.error, undefined);
    assert.doesNotMatch(third.stdout, /Generating/);
    assert.deepEqual(await snapshot(root), after);
  });

  it('reuses everything under an external CA (ca.crt without ca.key), sa included', async () => {
    const root = await pki();
    await unlink(file(root, 'ca.key'));
    const before = await snapshot(root);
    const r = await runCerts(root, ecdsa);
    assert.equal(r.error, undefined, String(r.error));
    assert.match(r.stdout, /^\[certs\] Using existing ca keyless certificate authority$/m);
    assert.match(r.stdout, /^\[certs\] Using existing apiserver certificate and key on disk$/m);
    assert.match(r.stdout, /^\[certs\] Using existing sa keys$/m);
    assert.doesNotMatch(r.stdout, /Generating/);
    assert.deepEqual(await snapshot(root), before);
  });

  it('stops, under an external CA, when the service-account key is not provided', async () => {
    const root = await pki();
    await Promise.all(['ca.key', 'sa.key', 'sa.pub'].map((f) => unlink(file(root, f))));
    await assertRefused(root, 'certs/sa', 'sa.key', /^external CA mode: the service-account key \/etc\/kubernetes\/pki\/sa\.key is missing$/);
  });

  it('stops, under an external CA, at a leaf it cannot sign', async () => {
    const root = await pki();
    await Promise.all(['ca.key', 'apiserver.crt', 'apiserver.key'].map((f) => unlink(file(root, f))));
    await assertRefused(root, 'certs/apiserver', 'apiserver.crt',
      /^\/etc\/kubernetes\/pki\/apiserver\.crt is missing and the ca CA has no key \(\/etc\/kubernetes\/pki\/ca\.key\) to sign a new one$/);
  });

  it('makes no etcd certificates with an external etcd, saying so', async () => {
    const root = await pki({ externalEtcd: true });
    const files = [...(await snapshot(root)).keys()].filter((p) => p.startsWith(`${pkiDir}/`)).map((p) => p.slice(pkiDir.length + 1));
    const expected = [...certNames.filter((n) => !etcdNames.includes(n)).flatMap((n) => [`${n}.crt`, `${n}.key`]), 'sa.key', 'sa.pub'];
    assert.deepEqual(files.sort(), expected.sort());
    const r = await runCerts(root, { ...ecdsa, externalEtcd: true });
    assert.equal(r.error, undefined);
    const skips = r.stdout.split('\n').filter((l) => l.includes('External etcd mode'));
    assert.deepEqual(skips, [
      '[certs] External etcd mode: Skipping etcd/ca certificate authority generation',
      '[certs] External etcd mode: Skipping etcd/server certificate generation',
      '[certs] External etcd mode: Skipping etcd/peer certificate generation',
      '[certs] External etcd mode: Skipping etcd/healthcheck-client certificate generation',
      '[certs] External etcd mode: Skipping apiserver-etcd-client certificate generation',
    ]);
    assert.equal(certProfiles.filter((p) => p.localEtcdOnly).length, skips.length);
  });
});

describe('the certs phase through the CLI', () => {
  it('refuses an unknown encryptionAlgorithm as a config error naming the field, writing nothing', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), configYaml({ algorithm: 'RSA-1024' }));
      const host = tempRootHost(root);
      await assert.rejects(loadInitConfig({ host, configPath: '/kubeadm.yaml', flags: {} }), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.ok(err.problems.some((p) => p.field === 'encryptionAlgorithm' && p.kind === 'ClusterConfiguration'), err.message);
        assert.match(err.message, /Invalid encryption algorithm "RSA-1024"/);
        return true;
      });
      const r = await runCli(['init', 'phase', 'certs', 'all', '--config', '/kubeadm.yaml'], { host });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /encryptionAlgorithm: invalid value "RSA-1024"/);
      assert.deepEqual(await readdir(root, { recursive: true }), ['kubeadm.yaml']);
    });
  });

  it('writes nothing under the root with --dry-run but the dry-run directory', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), configYaml({ algorithm: 'ECDSA-P256' }));
      const r = await runCli(['init', '--dry-run', '--skip-phases', 'preflight', '--config', '/kubeadm.yaml'], { host: tempRootHost(root) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\[certs\] Generating "ca" certificate and key\n/);
      assert.match(r.stdout, /\[dryrun\] Would write file "\/etc\/kubernetes\/pki\/ca\.key" \(mode 0600, \d+ bytes\)/);
      const dryDir = /Using dry-run directory (\/etc\/kubernetes\/tmp\/tskubeadm-init-dryrun\d+)\./.exec(r.stderr)?.[1];
      assert.ok(dryDir !== undefined, r.stderr);
      const outside = (await readdir(root, { recursive: true }))
        .filter((p) => !['kubeadm.yaml', 'etc', 'etc/kubernetes', 'etc/kubernetes/tmp'].includes(p) && !`/${p}/`.startsWith(`${dryDir}/`));
      assert.deepEqual(outside, []);
    });
  });
});
