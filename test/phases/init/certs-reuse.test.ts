// The init certs phase on a PKI already there: reuse what is right, refuse (naming the file,
// changing nothing) what is not, converge after an interrupted run, external CA and external
// etcd; and the phase through the CLI (bad encryptionAlgorithm, --dry-run).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { certProfiles } from '../../../pki/certificates.js';
import { loadInitConfig } from '../../../src/config/load.js';
import { CertificateError, ConfigError, PhaseError, exitCodeOf } from '../../../src/errors.js';
import { createCertificate } from '../../../src/pki/certificate.js';
import { encodePrivateKey, generatePrivateKey } from '../../../src/pki/keys.js';
import { runCli } from '../../cli/run-cli.js';
import { publicKeyOfCertificate, publicKeyOfKey, verify } from '../../helpers/openssl.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';
import {
  certNames, certificateError, configYaml, etcdNames, file, freshPki, hourMs, pkiDir, runCerts, snapshot, startedAt, type ConfigOptions,
} from './certs-fixture.js';

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
