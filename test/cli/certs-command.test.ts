// `tskubeadm certs …` through the whole CLI (in-process, a temp root, a fixed clock): the
// check-expiration table (golden), its JSON and YAML, certificate-key, renew and generate-csr
// with their flags, --config and --cert-dir, and the errors a user can hit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Host } from '../../src/host/host.js';
import { assertGolden } from '../helpers/golden.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { buildPki, certDir, hostAt, real, testConfig } from '../certs-admin/pki-fixture.js';
import { runCli } from './run-cli.js';

const built = '2025-08-19T09:03:30Z';
const checked = '2025-08-24T10:00:00Z';

const certs = (host: Host, ...args: string[]) => runCli(['certs', ...args], { host });

/** A config file at /kubeadm.yaml that needs nothing detected on the host. */
function writeConfig(root: string, cluster: string[]): void {
  writeFileSync(real(root, '/kubeadm.yaml'), [
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'kind: InitConfiguration',
    'localAPIEndpoint: {advertiseAddress: 192.0.2.10}',
    'nodeRegistration: {name: node-1, criSocket: "unix:///var/run/containerd/containerd.sock"}',
    '---',
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'kind: ClusterConfiguration',
    ...cluster,
    '',
  ].join('\n'));
}

test('check-expiration prints kubeadm\'s two tables (golden), a missing file and an external CA included', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    rmSync(real(root, `${certDir}/etcd/peer.crt`));
    rmSync(real(root, `${certDir}/front-proxy-ca.key`));
    const r = await certs(hostAt(root, checked), 'check-expiration');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden('certs/check-expiration.txt', r.stdout);
  });
});

test('check-expiration -o json and -o yaml print the same CertificateExpirationInfo', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const host = hostAt(root, checked);
    const json = await certs(host, 'check-expiration', '-o', 'json');
    const yaml = await certs(host, 'check-expiration', '--output=yaml');
    assert.equal(json.code, 0);
    assert.equal(yaml.code, 0);
    const doc = JSON.parse(json.stdout) as { kind: string; apiVersion: string; certificates: { name: string; residualTime: number }[]; certificateAuthorities: unknown[] };
    assert.equal(doc.kind, 'CertificateExpirationInfo');
    assert.equal(doc.apiVersion, 'output.kubeadm.k8s.io/v1alpha3');
    assert.equal(doc.certificates.length, 11);
    assert.equal(doc.certificateAuthorities.length, 3);
    assert.deepEqual(doc.certificates.find((c) => c.name === 'apiserver'), {
      name: 'apiserver', expirationDate: '2026-08-19T09:03:30Z', residualTime: 31100610, externallyManaged: false, caName: 'ca', missing: false,
    });
    assert.deepEqual(parse(yaml.stdout), doc);
  });
});

test('check-expiration warns on stderr about what expires within 30 days, and still exits 0', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const r = await certs(hostAt(root, '2026-08-01T00:00:00Z'), 'check-expiration', '-o', 'json');
    assert.equal(r.code, 0);
    JSON.parse(r.stdout);
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('[check-expiration] WARNING: ')).length, 11);
    assert.match(r.stderr, /^\[check-expiration\] WARNING: apiserver expires in 18 days \(on 2026-08-19T09:03:30\.000Z\); renew it with "tskubeadm certs renew apiserver"$/m);
  });
});

test('an output format other than text, json or yaml is a usage error', async () => {
  const r = await certs(hostAt('/nonexistent', checked), 'check-expiration', '-o', 'wide');
  assert.equal(r.code, 64);
  assert.match(r.stderr, /^error: option '-o, --output <format>' argument 'wide' is invalid\. Allowed choices are text, json, yaml\.$/m);
});

test('certificate-key prints 32 random bytes as 64 lowercase hex characters', async () => {
  const a = await runCli(['certs', 'certificate-key']);
  const b = await runCli(['certificates', 'certificate-key']);
  assert.equal(a.code, 0);
  assert.match(a.stdout, /^[0-9a-f]{64}\n$/);
  assert.match(b.stdout, /^[0-9a-f]{64}\n$/);
  assert.notEqual(a.stdout, b.stdout);
});

test('renew <name> renews one certificate and names the pods to restart; an external CA fails with exit 3', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const ok = await certs(hostAt(root, checked), 'renew', 'apiserver-kubelet-client');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'certificate for the API server to connect to kubelet renewed\n\n' +
      'Done renewing certificates. Restart kube-apiserver so that it loads the new certificates: move its manifest out of /etc/kubernetes/manifests, wait until the container stops, and move it back.\n');

    rmSync(real(root, `${certDir}/ca.key`));
    const refused = await certs(hostAt(root, checked), 'renew', 'admin.conf');
    assert.equal(refused.code, 3);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^error: admin\.conf can't be renewed here: its CA \/etc\/kubernetes\/pki\/ca\.crt is external \(its key \/etc\/kubernetes\/pki\/ca\.key is not on this machine\)\n {2}fix: have that CA sign/);

    const all = await certs(hostAt(root, checked), 'renew', 'all');
    assert.equal(all.code, 3);
    assert.match(all.stdout, /^certificate for serving etcd renewed$/m);
    assert.match(all.stderr, /^error: 6 certificates were not renewed: admin\.conf, apiserver, apiserver-kubelet-client, controller-manager\.conf, scheduler\.conf, super-admin\.conf$/m);
    assert.match(all.stderr, /^ {2}fix: the warnings above say what each one needs$/m);
  });
});

test('--config supplies certificatesDir and the etcd mode; --cert-dir overrides the directory', async () => {
  await withTempRoot(async (root) => {
    const cfg = testConfig((c) => ({ ...c, cluster: { ...c.cluster, certificatesDir: '/srv/pki' } }));
    await buildPki(hostAt(root, built), cfg);
    writeConfig(root, ['certificatesDir: /srv/pki', 'etcd: {external: {endpoints: ["https://10.0.0.9:2379"]}}']);
    const host = hostAt(root, checked);

    const rows = await certs(host, 'check-expiration', '--config', '/kubeadm.yaml', '-o', 'json');
    assert.equal(rows.code, 0, rows.stderr);
    const doc = JSON.parse(rows.stdout) as { certificates: { name: string; missing: boolean }[]; certificateAuthorities: { name: string }[] };
    assert.deepEqual(doc.certificates.map((c) => c.name), ['admin.conf', 'apiserver', 'apiserver-kubelet-client', 'controller-manager.conf', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf']);
    assert.ok(doc.certificates.every((c) => !c.missing), 'read from /srv/pki');
    assert.deepEqual(doc.certificateAuthorities.map((c) => c.name), ['ca', 'front-proxy-ca']);

    const elsewhere = JSON.parse((await certs(host, 'check-expiration', '--config', '/kubeadm.yaml', '--cert-dir', '/nowhere', '-o', 'json')).stdout) as typeof doc;
    assert.deepEqual(elsewhere.certificates.filter((c) => c.missing).map((c) => c.name), ['apiserver', 'apiserver-kubelet-client', 'front-proxy-client']);

    const etcd = await certs(host, 'renew', 'etcd-server', '--config', '/kubeadm.yaml');
    assert.equal(etcd.code, 3);
    assert.match(etcd.stderr, /^error: etcd-server is not used by this cluster: its configuration has an external etcd$/m);

    const renewed = await certs(host, 'renew', 'front-proxy-client', '--cert-dir', '/srv/pki');
    assert.equal(renewed.code, 0, renewed.stderr);
  });
});

test('generate-csr writes keys, CSRs and kubeconfigs where the flags say, and refuses to run twice', async () => {
  await withTempRoot(async (root) => {
    writeConfig(root, []);
    const host = hostAt(root, checked);
    const args = ['generate-csr', '--config', '/kubeadm.yaml', '--cert-dir', '/out/pki', '--kubeconfig-dir', '/out'];
    const first = await certs(host, ...args);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, [
      'generating keys and CSRs in /out/pki', '  apiserver', '  apiserver-kubelet-client', '  front-proxy-client', '  etcd/server', '  etcd/peer',
      '  etcd/healthcheck-client', '  apiserver-etcd-client',
      'generating keys and CSRs in /out', '  admin.conf', '  super-admin.conf', '  kubelet.conf', '  controller-manager.conf', '  scheduler.conf', '',
    ].join('\n'));
    assert.ok(existsSync(real(root, '/out/pki/etcd/server.csr')));
    assert.ok(existsSync(real(root, '/out/kubelet.conf.csr')));

    const again = await certs(host, ...args);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /^error: file already exists: \/out\/pki\/apiserver\.key \(and 23 more\)$/m);
    assert.match(again.stderr, /^ {2}fix: generate-csr never overwrites/m);
  });
});

test('renew has one subcommand per certificate plus all; none or an unknown one is a usage error', async () => {
  const help = await runCli(['certs', 'renew', '--help']);
  assert.equal(help.code, 0);
  for (const name of ['admin.conf', 'apiserver', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'controller-manager.conf', 'etcd-healthcheck-client',
    'etcd-peer', 'etcd-server', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf', 'all']) {
    assert.match(help.stdout, new RegExp(`^ {2}${name.replace('.', '\\.')} `, 'm'), name);
  }
  assert.doesNotMatch(help.stdout, /kubelet\.conf/);
  const top = await runCli(['certs', '--help']);
  for (const sub of ['renew', 'check-expiration', 'certificate-key', 'generate-csr']) assert.match(top.stdout, new RegExp(`^ {2}${sub}`, 'm'), sub);

  assert.equal((await runCli(['certs', 'renew'])).code, 64);
  const unknown = await runCli(['certs', 'renew', 'kubelet.conf']);
  assert.equal(unknown.code, 64);
  assert.match(unknown.stderr, /^error: unknown command 'kubelet\.conf'/m);
});

test('--rootfs reaches the host the certs commands use', async () => {
  await withTempRoot(async (root) => {
    mkdirSync(real(root, '/etc'), { recursive: true });
    const r = await runCli(['--rootfs', root, 'certs', 'check-expiration'], { host: hostAt(root, checked) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.hostsMade, [root]);
    assert.match(r.stdout, /^!MISSING! apiserver /m);
  });
});

test('ca-hash prints the pin join takes: the SHA-256 of the CA public key as openssl computes it, one line per certificate', async () => {
  await withTempRoot(async (root) => {
    await buildPki(hostAt(root, built));
    const host = hostAt(root, checked);
    const caFile = real(root, `${certDir}/ca.crt`);
    const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], {
      input: execFileSync('openssl', ['x509', '-in', caFile, '-pubkey', '-noout']),
    });
    const want = `sha256:${createHash('sha256').update(spki).digest('hex')}`;
    const r = await certs(host, 'ca-hash');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${want}\n`);
    assert.notEqual(want, `sha256:${createHash('sha256').update(readFileSync(caFile)).digest('hex')}`, 'not the hash of the file');

    // A bundle: one pin per certificate, in file order.
    const bundle = real(root, '/bundle.pem');
    writeFileSync(bundle, readFileSync(caFile, 'utf8') + readFileSync(real(root, `${certDir}/front-proxy-ca.crt`), 'utf8'));
    const both = await certs(host, 'ca-hash', '/bundle.pem');
    assert.equal(both.stdout.split('\n')[0], want);
    assert.equal(both.stdout.trim().split('\n').length, 2);

    const missing = await certs(host, 'ca-hash', '--cert-dir', '/nowhere');
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /\/nowhere\/ca\.crt does not exist/);
  });
});
