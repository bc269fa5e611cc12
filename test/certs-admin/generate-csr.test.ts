// `certs generate-csr`: keys and requests openssl accepts, with the subjects and SANs the
// configuration asks for; kubeconfigs holding only their key; and a refusal that writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateCsrs, type CsrRun } from '../../src/certs-admin/generate-csr.js';
import type { InitConfig } from '../../src/config/types.js';
import { CertificateError, exitCodeOf } from '../../src/errors.js';
import type { Host } from '../../src/host/host.js';
import { parseKubeconfig } from '../../src/kubeconfig/kubeconfig.js';
import { captureOutput, type CapturedOutput } from '../../src/output/output.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { openssl } from '../helpers/openssl.js';
import { certDir, hostAt, kubeconfigDir, real, testConfig } from './pki-fixture.js';

const now = '2025-03-01T00:00:00Z';

function csrRun(host: Host, cfg: InitConfig = testConfig()): CsrRun & { out: CapturedOutput } {
  return { host, out: captureOutput(), certificatesDir: certDir, kubeconfigDir, cfg, now: host.clock.now() };
}

/** In the pki/ table's order, which is the order they are written and printed. */
const leafBases = ['apiserver', 'apiserver-kubelet-client', 'front-proxy-client', 'etcd/server', 'etcd/peer', 'etcd/healthcheck-client', 'apiserver-etcd-client'];
const kubeconfigFiles = ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf'];

/** Every regular file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.relative(dir, path.join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

const subjectOf = (csr: string) => openssl(['req', '-in', csr, '-noout', '-subject', '-nameopt', 'RFC2253']).trim();

test('a key and a CSR for every certificate a CA signs; openssl verifies each request and it matches its key', async () => {
  await withTempRoot(async (root) => {
    const run = csrRun(hostAt(root, now));
    await generateCsrs(run);
    for (const base of leafBases) {
      const csr = real(root, `${certDir}/${base}.csr`);
      const key = real(root, `${certDir}/${base}.key`);
      assert.match(openssl(['req', '-verify', '-noout', '-in', csr], undefined), /^$/, base);
      assert.equal(openssl(['req', '-in', csr, '-noout', '-pubkey']), openssl(['pkey', '-in', key, '-pubout']), `${base}: the CSR is for its key`);
      assert.equal(statSync(key).mode & 0o777, 0o600, `${base}.key mode`);
      assert.equal(statSync(csr).mode & 0o777, 0o600, `${base}.csr mode`);
      assert.match(readFileSync(key, 'utf8'), /^-----BEGIN EC PRIVATE KEY-----\n/);
    }
    assert.equal(subjectOf(real(root, `${certDir}/apiserver-kubelet-client.csr`)), 'subject=CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins');
    assert.equal(subjectOf(real(root, `${certDir}/etcd/server.csr`)), 'subject=CN=node-1');
    const apiserver = openssl(['req', '-in', real(root, `${certDir}/apiserver.csr`), '-noout', '-text']);
    assert.match(apiserver, /DNS:kubernetes, DNS:kubernetes\.default, DNS:kubernetes\.default\.svc, DNS:kubernetes\.default\.svc\.cluster\.local, DNS:node-1, IP Address:10\.96\.0\.1, IP Address:192\.0\.2\.10/);
    // No CA material is made: that is the external CA's job.
    assert.deepEqual(filesUnder(real(root, certDir)).filter((f) => f.startsWith('ca.') || f.endsWith('.crt')), []);
  });
});

test('every kubeconfig holds only its client key and server, with a CSR for its user and groups beside it', async () => {
  await withTempRoot(async (root) => {
    await generateCsrs(csrRun(hostAt(root, now)));
    for (const file of kubeconfigFiles) {
      const p = real(root, `${kubeconfigDir}/${file}`);
      assert.equal(statSync(p).mode & 0o777, 0o600, file);
      const k = parseKubeconfig(readFileSync(p, 'utf8'), p);
      assert.equal(k.users.length, 1);
      assert.equal(k.users[0]!.clientCertificateData, undefined, `${file} has no certificate yet`);
      assert.equal(k.clusters[0]!.certificateAuthorityData, undefined, `${file} has no CA yet`);
      assert.equal(k.clusters[0]!.server, 'https://192.0.2.10:6443');
      assert.equal(k.currentContext, `${k.users[0]!.name}@kubernetes`);
      const key = path.join(root, 'k.pem');
      writeFileSync(key, k.users[0]!.clientKeyData!);
      const csr = `${p}.csr`;
      openssl(['req', '-verify', '-noout', '-in', csr]);
      assert.equal(openssl(['req', '-in', csr, '-noout', '-pubkey']), openssl(['pkey', '-in', key, '-pubout']), `${file}: the CSR is for the embedded key`);
    }
    assert.equal(subjectOf(real(root, `${kubeconfigDir}/admin.conf.csr`)), 'subject=CN=kubernetes-admin,O=kubeadm:cluster-admins');
    assert.equal(subjectOf(real(root, `${kubeconfigDir}/kubelet.conf.csr`)), 'subject=CN=system:node:node-1,O=system:nodes');
    assert.equal(subjectOf(real(root, `${kubeconfigDir}/scheduler.conf.csr`)), 'subject=CN=system:kube-scheduler');
  });
});

test("it says where it writes and names each item, as kubeadm's generate-csr does", async () => {
  await withTempRoot(async (root) => {
    const run = csrRun(hostAt(root, now));
    await generateCsrs(run);
    assert.equal(run.out.stdout(), [
      `generating keys and CSRs in ${certDir}`, ...leafBases.map((b) => `  ${b}`),
      `generating keys and CSRs in ${kubeconfigDir}`, ...kubeconfigFiles.map((f) => `  ${f}`), '',
    ].join('\n'));
  });
});

test('an existing key, CSR or kubeconfig is refused before anything is written', async () => {
  for (const existing of [`${certDir}/etcd/peer.key`, `${certDir}/apiserver.csr`, `${kubeconfigDir}/scheduler.conf`, `${kubeconfigDir}/admin.conf.csr`]) {
    await withTempRoot(async (root) => {
      mkdirSync(path.dirname(real(root, existing)), { recursive: true });
      writeFileSync(real(root, existing), 'keep me\n');
      const err = await generateCsrs(csrRun(hostAt(root, now))).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof CertificateError, existing);
      assert.equal(exitCodeOf(err), 3);
      assert.equal(err.message, `file already exists: ${existing}`);
      assert.equal(err.path, existing);
      assert.deepEqual(filesUnder(path.join(root, 'etc')), [path.relative('/etc', existing)], `${existing}: nothing else was written`);
      assert.equal(readFileSync(real(root, existing), 'utf8'), 'keep me\n');
    });
  }
});

test('with an external etcd no etcd requests are made', async () => {
  await withTempRoot(async (root) => {
    const cfg = testConfig((c) => ({ ...c, cluster: { ...c.cluster, etcd: { external: { endpoints: ['https://10.0.0.9:2379'], caFile: '', certFile: '', keyFile: '' } } } }));
    await generateCsrs(csrRun(hostAt(root, now), cfg));
    assert.deepEqual(filesUnder(real(root, certDir)), ['apiserver-kubelet-client.csr', 'apiserver-kubelet-client.key', 'apiserver.csr', 'apiserver.key', 'front-proxy-client.csr', 'front-proxy-client.key']);
  });
});
