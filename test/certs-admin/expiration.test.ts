// check-expiration's facts read from a real PKI: dates and time left, missing files, an
// external CA, an external etcd, an unusable kubeconfig, and the expiry warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { expirationInfo, expiryWarnings, type ExpirationEntry } from '../../src/certs-admin/expiration.js';
import type { AdminRun } from '../../src/certs-admin/target-files.js';
import type { InitConfig } from '../../src/config/types.js';
import { CertificateError } from '../../src/errors.js';
import type { Host } from '../../src/host/host.js';
import { captureOutput } from '../../src/output/output.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { buildPki, certDir, hostAt, kubeconfigDir, real, testConfig } from './pki-fixture.js';

const built = '2025-01-01T00:00:00Z';
const day = 86_400_000;

function adminRun(host: Host, cfg: InitConfig = testConfig()): AdminRun {
  return { host, out: captureOutput(), certificatesDir: certDir, kubeconfigDir, cluster: cfg.cluster, now: host.clock.now() };
}

const byName = (entries: readonly ExpirationEntry[]) => Object.fromEntries(entries.map((e) => [e.name, e]));

test('each certificate and CA with its end date, whole seconds left and its CA', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const now = new Date(Date.parse(built) + 100 * day + 1500);
    const info = await expirationInfo(adminRun(hostAt(root, now)));
    assert.equal(info.certificates.length, 11);
    const apiserver = byName(info.certificates)['apiserver']!;
    assert.deepEqual(apiserver, {
      name: 'apiserver', expirationDate: new Date(Date.parse(built) + 365 * day), residualSeconds: 265 * 86400 - 2,
      externallyManaged: false, missing: false, caName: 'ca',
    });
    assert.equal(byName(info.certificates)['super-admin.conf']!.caName, 'ca');
    assert.equal(byName(info.certificates)['etcd-peer']!.caName, 'etcd-ca');
    assert.deepEqual(info.certificateAuthorities.map((c) => [c.name, c.residualSeconds]), [
      ['ca', 3550 * 86400 - 2], ['etcd-ca', 3550 * 86400 - 2], ['front-proxy-ca', 3550 * 86400 - 2],
    ]);
  });
});

test('missing files are rows marked missing; a CA without its key makes it and what it signs externally managed', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    rmSync(real(root, `${certDir}/etcd/peer.crt`));
    rmSync(real(root, `${kubeconfigDir}/admin.conf`));
    rmSync(real(root, `${certDir}/front-proxy-ca.key`));
    rmSync(real(root, `${certDir}/etcd/ca.crt`));
    const info = await expirationInfo(adminRun(hostAt(root, built)));
    const certs = byName(info.certificates);
    assert.deepEqual(certs['etcd-peer'], { name: 'etcd-peer', residualSeconds: 0, externallyManaged: false, missing: true, caName: 'etcd-ca' });
    assert.equal(certs['admin.conf']!.missing, true);
    assert.equal(certs['front-proxy-client']!.externallyManaged, true);
    assert.equal(certs['apiserver']!.externallyManaged, false);
    // Its CA certificate is gone too: nothing to call external.
    assert.equal(certs['etcd-server']!.externallyManaged, false);
    const cas = byName(info.certificateAuthorities);
    assert.equal(cas['front-proxy-ca']!.externallyManaged, true);
    assert.equal(cas['etcd-ca']!.missing, true);
    assert.equal(cas['ca']!.externallyManaged, false);
  });
});

test('with an external etcd there are no etcd rows', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const cfg = testConfig((c) => ({ ...c, cluster: { ...c.cluster, etcd: { external: { endpoints: ['https://10.0.0.9:2379'], caFile: '', certFile: '', keyFile: '' } } } }));
    const info = await expirationInfo(adminRun(hostAt(root, built), cfg));
    assert.deepEqual(info.certificates.map((c) => c.name).filter((n) => n.includes('etcd')), []);
    assert.deepEqual(info.certificateAuthorities.map((c) => c.name), ['ca', 'front-proxy-ca']);
  });
});

test('a kubeconfig without an embedded client certificate is an error naming the file', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    writeFileSync(real(root, `${kubeconfigDir}/scheduler.conf`), [
      'apiVersion: v1', 'kind: Config', 'clusters: [{name: kubernetes, cluster: {server: "https://192.0.2.10:6443"}}]',
      'contexts: [{name: s@kubernetes, context: {cluster: kubernetes, user: s}}]', 'current-context: s@kubernetes',
      'users: [{name: s, user: {client-certificate: /var/lib/s.pem, client-key: /var/lib/s.pem}}]', '',
    ].join('\n'));
    const err = await expirationInfo(adminRun(hostAt(root, built))).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof CertificateError);
    assert.equal(err.path, `${kubeconfigDir}/scheduler.conf`);
    assert.match(err.message, /has no client certificate embedded for the user of its current context "s@kubernetes"/);
  });
});

test('warnings name what has expired or expires within 30 days, and how to renew it', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    rmSync(real(root, `${certDir}/front-proxy-ca.key`));
    rmSync(real(root, `${certDir}/etcd/server.crt`));
    assert.deepEqual(expiryWarnings(await expirationInfo(adminRun(hostAt(root, new Date(Date.parse(built) + 300 * day))))), []);

    const soon = expiryWarnings(await expirationInfo(adminRun(hostAt(root, new Date(Date.parse(built) + 350 * day)))));
    assert.equal(soon.length, 10, soon.join('\n'));
    assert.ok(soon.includes('[check-expiration] WARNING: apiserver expires in 15 days (on 2026-01-01T00:00:00.000Z); renew it with "tskubeadm certs renew apiserver"'));
    assert.ok(soon.includes('[check-expiration] WARNING: front-proxy-client expires in 15 days (on 2026-01-01T00:00:00.000Z); its CA "front-proxy-ca" is external: have that CA sign a new one'));

    const expired = expiryWarnings(await expirationInfo(adminRun(hostAt(root, new Date(Date.parse(built) + 366 * day)))));
    assert.ok(expired.includes('[check-expiration] WARNING: admin.conf has expired (on 2026-01-01T00:00:00.000Z); renew it with "tskubeadm certs renew admin.conf"'));

    const caSoon = expiryWarnings(await expirationInfo(adminRun(hostAt(root, new Date(Date.parse(built) + 3640 * day)))));
    assert.ok(caSoon.some((w) => w.startsWith('[check-expiration] WARNING: the ca certificate authority expires in 10 days')));
  });
});
