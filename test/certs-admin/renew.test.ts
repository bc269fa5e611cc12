// `certs renew` on a PKI made by the real init certs phase: the key, subject, SANs and usages
// are kept, the serial and period are new, openssl verifies the result against the CA, modes are
// kept, embedded kubeconfig certificates are renewed in place, and an external CA is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { renew } from '../../src/certs-admin/renew.js';
import { renewTargets, type RenewTarget } from '../../src/certs-admin/targets.js';
import type { AdminRun } from '../../src/certs-admin/target-files.js';
import type { InitConfig } from '../../src/config/types.js';
import { CertificateError, exitCodeOf } from '../../src/errors.js';
import type { Host } from '../../src/host/host.js';
import { currentEntries, parseKubeconfig } from '../../src/kubeconfig/kubeconfig.js';
import { captureOutput, type CapturedOutput } from '../../src/output/output.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { certificateFacts, openssl } from '../helpers/openssl.js';
import { buildPki, certDir, hostAt, kubeconfigDir, real, testConfig } from './pki-fixture.js';

const built = '2025-01-01T00:00:00Z';
const later = new Date('2025-06-01T12:00:00Z');
const day = 86_400_000;

function adminRun(host: Host, cfg: InitConfig = testConfig()): AdminRun & { out: CapturedOutput } {
  return { host, out: captureOutput(), certificatesDir: certDir, kubeconfigDir, cluster: cfg.cluster, now: host.clock.now() };
}

/** `openssl verify` as of `when` (the certificates are made on a fixed, fake clock). */
function verifyAt(when: Date, caFile: string, certFile: string): string {
  return openssl(['verify', '-attime', String(Math.floor(when.getTime() / 1000)), '-CAfile', caFile, certFile]).trim();
}

const targets = (...names: string[]) => renewTargets().filter((t) => names.includes(t.name));

/** The file holding a target, under the temp root. */
function fileOf(root: string, t: RenewTarget): string {
  return t.kind === 'certificate' ? real(root, `${certDir}/${t.profile.baseName}.crt`) : real(root, `${kubeconfigDir}/${t.profile.file}`);
}

/** The target's certificate and key as PEM files openssl can read (a kubeconfig's are extracted to `scratch`). */
function pemFiles(root: string, t: RenewTarget, scratch: string): { cert: string; key: string; ca: string } {
  const ca = real(root, `${certDir}/${t.ca.baseName}.crt`);
  if (t.kind === 'certificate') return { cert: fileOf(root, t), key: real(root, `${certDir}/${t.profile.baseName}.key`), ca };
  const { user } = currentEntries(parseKubeconfig(readFileSync(fileOf(root, t), 'utf8'), t.name));
  const cert = path.join(scratch, `${t.name}.crt`);
  const key = path.join(scratch, `${t.name}.key`);
  writeFileSync(cert, user!.clientCertificateData!);
  writeFileSync(key, user!.clientKeyData!);
  return { cert, key, ca };
}

test('renew all re-signs every certificate with its CA, keeping key, subject, SANs and usages', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const scratch = path.join(root, 'scratch');
    execFileSync('mkdir', ['-p', scratch]);
    const before = new Map(renewTargets().map((t) => {
      const f = pemFiles(root, t, scratch);
      return [t.name, { facts: certificateFacts(f.cert), key: readFileSync(f.key, 'utf8') }] as const;
    }));
    // A mode the operator chose must survive the rewrite.
    chmodSync(real(root, `${certDir}/apiserver.crt`), 0o640);
    chmodSync(real(root, `${kubeconfigDir}/admin.conf`), 0o640);

    const run = adminRun(hostAt(root, later));
    await renew(run, renewTargets(run.cluster), { all: true });

    for (const t of renewTargets()) {
      const f = pemFiles(root, t, scratch);
      const old = before.get(t.name)!;
      const now = certificateFacts(f.cert);
      assert.equal(readFileSync(f.key, 'utf8'), old.key, `${t.name}: the private key is kept`);
      assert.equal(openssl(['x509', '-in', f.cert, '-noout', '-pubkey']), openssl(['pkey', '-in', f.key, '-pubout']), `${t.name}: certificate matches the kept key`);
      assert.equal(now.subject, old.facts.subject, `${t.name}: subject`);
      assert.equal(now.issuer, old.facts.issuer, `${t.name}: issuer`);
      assert.deepEqual(now.extensions.get('Subject Alternative Name'), old.facts.extensions.get('Subject Alternative Name'), `${t.name}: SANs`);
      assert.deepEqual(now.extensions.get('Extended Key Usage'), old.facts.extensions.get('Extended Key Usage'), `${t.name}: usages`);
      assert.deepEqual(now.extensions.get('Key Usage'), old.facts.extensions.get('Key Usage'), `${t.name}: key usage`);
      assert.notEqual(now.serialHex, old.facts.serialHex, `${t.name}: a new serial`);
      assert.equal(now.notBefore.toISOString(), new Date(later.getTime() - 5 * 60_000).toISOString(), `${t.name}: starts 5 minutes back`);
      assert.equal(now.notAfter.toISOString(), new Date(later.getTime() + 365 * day).toISOString(), `${t.name}: lasts the default year`);
      assert.equal(verifyAt(later, f.ca, f.cert), `${f.cert}: OK`, `${t.name}: openssl verifies it against ${t.ca.name}`);
    }
    assert.equal(statSync(real(root, `${certDir}/apiserver.crt`)).mode & 0o777, 0o640);
    assert.equal(statSync(real(root, `${certDir}/etcd/server.crt`)).mode & 0o777, 0o644);
    assert.equal(statSync(real(root, `${certDir}/apiserver.key`)).mode & 0o777, 0o600);
    assert.equal(statSync(real(root, `${kubeconfigDir}/admin.conf`)).mode & 0o777, 0o640);
    assert.equal(statSync(real(root, `${kubeconfigDir}/scheduler.conf`)).mode & 0o777, 0o600);

    assert.equal(run.out.stdout(), [
      ...renewTargets().map((t) => `${t.longName} renewed`),
      '',
      'Done renewing certificates. Restart kube-apiserver, kube-controller-manager, kube-scheduler and etcd so that they load the new certificates: ' +
        'move each manifest out of /etc/kubernetes/manifests, wait until the container stops, and move it back.',
      'Copies of admin.conf or super-admin.conf made earlier (such as $HOME/.kube/config) still hold the old certificate: copy them again.',
      '',
    ].join('\n'));
    assert.equal(run.out.stderr(), '');
  });
});

test('a renewed kubeconfig keeps its cluster, server, user and context, and kubectl reads it', async (t) => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const file = real(root, `${kubeconfigDir}/controller-manager.conf`);
    const old = parseKubeconfig(readFileSync(file, 'utf8'), file);
    await renew(adminRun(hostAt(root, later)), targets('controller-manager.conf'), { all: false });
    const now = parseKubeconfig(readFileSync(file, 'utf8'), file);
    assert.deepEqual(now.clusters, old.clusters);
    assert.deepEqual(now.contexts, old.contexts);
    assert.equal(now.currentContext, old.currentContext);
    assert.equal(now.users[0]!.name, 'system:kube-controller-manager');
    assert.equal(now.users[0]!.clientKeyData, old.users[0]!.clientKeyData);
    assert.notEqual(now.users[0]!.clientCertificateData, old.users[0]!.clientCertificateData);
    const cert = new X509Certificate(now.users[0]!.clientCertificateData!);
    assert.equal(cert.subject, 'CN=system:kube-controller-manager');
    assert.equal(new Date(cert.validTo).getTime(), Math.floor((later.getTime() + 365 * day) / 1000) * 1000);

    const hasKubectl = (() => {
      try {
        execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    if (!hasKubectl) {
      t.diagnostic('kubectl is not on PATH: the kubectl check is skipped');
      return;
    }
    const view = JSON.parse(execFileSync('kubectl', ['config', 'view', '--kubeconfig', file, '--raw', '-o', 'json'], { encoding: 'utf8' })) as {
      users: { name: string; user: { 'client-certificate-data': string } }[]; 'current-context': string;
    };
    assert.equal(view['current-context'], 'system:kube-controller-manager@kubernetes');
    assert.equal(Buffer.from(view.users[0]!.user['client-certificate-data'], 'base64').toString(), now.users[0]!.clientCertificateData);
  });
});

test('renewing one certificate touches only its file and names only the pods that load it', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const others = renewTargets().filter((t) => t.name !== 'etcd-server').map((t) => [t.name, readFileSync(fileOf(root, t), 'utf8')] as const);
    const run = adminRun(hostAt(root, later));
    await renew(run, targets('etcd-server'), { all: false });
    for (const [name, text] of others) assert.equal(readFileSync(fileOf(root, renewTargets().find((t) => t.name === name)!), 'utf8'), text, name);
    assert.equal(run.out.stdout(), 'certificate for serving etcd renewed\n\n' +
      'Done renewing certificates. Restart etcd so that it loads the new certificates: move its manifest out of /etc/kubernetes/manifests, wait until the container stops, and move it back.\n');

    const admin = adminRun(hostAt(root, later));
    await renew(admin, targets('admin.conf'), { all: false });
    assert.match(admin.out.stdout(), /\nDone renewing certificates\. No static pod needs a restart/);
    assert.match(admin.out.stdout(), /copy them again\.\n$/);
  });
});

test('a certificate never outlives its CA: the renewal is cut to the CA end, with a warning', async () => {
  await withTempRoot(async (root) => {
    const cfg = testConfig((c) => ({ ...c, cluster: { ...c.cluster, caCertificateValidityPeriodMs: 400 * day } }));
    await buildPki(hostAt(root, built), cfg);
    const run = adminRun(hostAt(root, later), cfg);
    await renew(run, targets('apiserver'), { all: false });
    const caEnd = certificateFacts(real(root, `${certDir}/ca.crt`)).notAfter;
    assert.equal(certificateFacts(real(root, `${certDir}/apiserver.crt`)).notAfter.toISOString(), caEnd.toISOString());
    assert.match(run.out.stderr(), /^\[renew\] WARNING: apiserver would outlive the ca CA; it expires with the CA on /);
  });
});

test('certificateValidityPeriod from the configuration sets the new period', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const cfg = testConfig((c) => ({ ...c, cluster: { ...c.cluster, certificateValidityPeriodMs: 30 * day } }));
    await renew(adminRun(hostAt(root, later), cfg), targets('front-proxy-client'), { all: false });
    assert.equal(certificateFacts(real(root, `${certDir}/front-proxy-client.crt`)).notAfter.toISOString(), new Date(later.getTime() + 30 * day).toISOString());
  });
});

test('without ca.key (an external CA) a certificate it signs is refused, and nothing is written', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    rmSync(real(root, `${certDir}/ca.key`));
    const file = real(root, `${certDir}/apiserver.crt`);
    const text = readFileSync(file, 'utf8');
    const err = await renew(adminRun(hostAt(root, later)), targets('apiserver'), { all: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof CertificateError);
    assert.equal(exitCodeOf(err), 3);
    assert.equal(err.path, `${certDir}/ca.key`);
    assert.equal(err.message, `apiserver can't be renewed here: its CA ${certDir}/ca.crt is external (its key ${certDir}/ca.key is not on this machine)`);
    assert.match(err.fix ?? '', /have that CA sign a new certificate/);
    assert.equal(readFileSync(file, 'utf8'), text);
  });
});

test('renew all with an external CA renews what the other CAs sign, then fails naming the rest', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    rmSync(real(root, `${certDir}/ca.key`));
    const caSigned = renewTargets().filter((t) => t.ca.name === 'ca');
    const unchanged = caSigned.map((t) => readFileSync(fileOf(root, t), 'utf8'));
    const run = adminRun(hostAt(root, later));
    const err = await renew(run, renewTargets(run.cluster), { all: true }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof CertificateError);
    assert.equal(err.message, `${caSigned.length} certificates were not renewed: ${caSigned.map((t) => t.name).join(', ')}`);
    assert.deepEqual(caSigned.map((t) => readFileSync(fileOf(root, t), 'utf8')), unchanged);
    for (const t of renewTargets().filter((x) => x.ca.name !== 'ca')) assert.match(run.out.stdout(), new RegExp(`^${t.longName} renewed$`, 'm'));
    assert.equal(run.out.stderr().split('\n').filter((l) => l.startsWith('[renew] WARNING:')).length, caSigned.length);
    // Only what was renewed counts for the restart: etcd's and the front proxy's certificates.
    assert.match(run.out.stdout(), /Restart kube-apiserver and etcd so that they load/);
  });
});

test('a missing file: one target is an error; with all it is reported as kubeadm does and skipped', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    rmSync(real(root, `${certDir}/apiserver.crt`));
    rmSync(real(root, `${kubeconfigDir}/super-admin.conf`));
    const err = await renew(adminRun(hostAt(root, later)), targets('apiserver'), { all: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof CertificateError);
    assert.equal(err.message, `apiserver can't be renewed: ${certDir}/apiserver.crt does not exist`);
    assert.match(err.fix ?? '', /tskubeadm init phase certs apiserver/);

    const run = adminRun(hostAt(root, later));
    await renew(run, renewTargets(run.cluster), { all: true });
    assert.match(run.out.stdout(), /^MISSING! certificate for serving the Kubernetes API$/m);
    assert.match(run.out.stdout(), /^MISSING! certificate embedded in the kubeconfig file for the super-admin$/m);
    assert.equal(existsSync(real(root, `${certDir}/apiserver.crt`)), false);
  });
});

test('a key that does not belong to its certificate stops the renewal', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    writeFileSync(real(root, `${certDir}/apiserver.key`), readFileSync(real(root, `${certDir}/front-proxy-client.key`)));
    const err = await renew(adminRun(hostAt(root, later)), targets('apiserver'), { all: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof CertificateError);
    assert.equal(err.message, `the private key ${certDir}/apiserver.key does not belong to the certificate ${certDir}/apiserver.crt`);
  });
});
