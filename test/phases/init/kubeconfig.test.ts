// init's kubeconfig phase on a real filesystem: the certs phase makes the PKI in a temp root, the
// kubeconfig phase writes the five files, and kubectl and openssl (not our own parser) judge them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { InitConfig } from '../../../src/config/types.js';
import { CertificateError, exitCodeOf, exitCodes } from '../../../src/errors.js';
import type { Host } from '../../../src/host/host.js';
import { encodeKubeconfig, parseKubeconfig } from '../../../src/kubeconfig/kubeconfig.js';
import { captureOutput } from '../../../src/output/output.js';
import { certs } from '../../../src/phases/init/certs.js';
import { kubeconfig } from '../../../src/phases/init/kubeconfig.js';
import { embedded, kubectlMissing, kubectlView } from '../../helpers/kubectl.js';
import { verify } from '../../helpers/openssl.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';
import { initConfig } from '../../preflight/healthy-host.js';

const tree = [certs, kubeconfig];
const localURL = 'https://192.0.2.10:6443';

/** What kubeadm writes on the init node (written out here, not read from pki/kubeconfigs.ts). */
const expected = [
  { file: 'admin.conf', user: 'kubernetes-admin', groups: ['kubeadm:cluster-admins'], server: 'endpoint' },
  { file: 'super-admin.conf', user: 'kubernetes-super-admin', groups: ['system:masters'], server: 'endpoint' },
  { file: 'kubelet.conf', user: 'system:node:node-1', groups: ['system:nodes'], server: 'local' },
  { file: 'controller-manager.conf', user: 'system:kube-controller-manager', groups: [], server: 'local' },
  { file: 'scheduler.conf', user: 'system:kube-scheduler', groups: [], server: 'local' },
] as const;

const ecdsa = (edit: (c: InitConfig) => InitConfig = (c) => c): InitConfig =>
  initConfig((c) => edit({ ...c, cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256' } }));

const kdir = (root: string) => path.join(root, 'etc/kubernetes');

async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files.set(path.join(e.parentPath, e.name), (await readFile(path.join(e.parentPath, e.name))).toString('base64'));
  }
  return files;
}

/** The client certificate and key inside a kubeconfig, read with the yaml library rather than our parser. */
async function clientOf(file: string): Promise<{ cert: X509Certificate; keyPem: string; caPem: string; certPem: string }> {
  const doc = parse(await readFile(file, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
    users: { user: Record<string, string> }[];
  };
  const d = (v: string | undefined) => Buffer.from(v ?? '', 'base64').toString();
  const certPem = d(doc.users[0]?.user['client-certificate-data']);
  return {
    cert: new X509Certificate(certPem),
    certPem,
    keyPem: d(doc.users[0]?.user['client-key-data']),
    caPem: d(doc.clusters[0]?.cluster['certificate-authority-data']),
  };
}

function assertCertificateError(err: unknown, path: string, message: RegExp): true {
  assert.ok(err instanceof CertificateError, `CertificateError, got ${String(err)}`);
  assert.equal(err.path, path);
  assert.match(err.message, message);
  assert.equal(exitCodeOf(err), exitCodes.invalidInput);
  return true;
}

describe('certs then kubeconfig into an empty root (RSA-2048, the default)', () => {
  let root = '';
  let host: Host;
  let stdout = '';
  let startedAt: Date;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-kubeconfig-'));
    host = tempRootHost(root);
    const run = await runInitPhases(tree, initConfig(), host);
    stdout = run.out.stdout();
    startedAt = run.ctx.startedAt;
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('prints kubeadm\'s lines, in kubeadm\'s order', () => {
    const lines = stdout.split('\n').filter((l) => l.startsWith('[kubeconfig]'));
    assert.deepEqual(lines, [
      '[kubeconfig] Using kubeconfig folder "/etc/kubernetes"',
      ...expected.map((e) => `[kubeconfig] Writing "${e.file}" kubeconfig file`),
    ]);
  });

  for (const want of expected) {
    test(`${want.file}: kubectl reads cluster, server, user, context and current-context`, { skip: kubectlMissing }, async () => {
      const view = kubectlView(path.join(kdir(root), want.file));
      const context = `${want.user}@kubernetes`;
      assert.deepEqual(view.clusters.map((c) => [c.name, c.cluster.server]), [['kubernetes', localURL]]);
      assert.deepEqual(view.users.map((u) => u.name), [want.user]);
      assert.deepEqual(view.contexts, [{ name: context, context: { cluster: 'kubernetes', user: want.user } }]);
      assert.equal(view['current-context'], context);
      const { caPem, cert, keyPem } = embedded(view);
      assert.equal(caPem, await readFile(path.join(root, 'etc/kubernetes/pki/ca.crt'), 'utf8'), 'the embedded CA is ca.crt');
      assert.ok(cert?.checkPrivateKey(createPrivateKey(keyPem)), 'the embedded key belongs to the embedded certificate');
    });

    test(`${want.file}: a client certificate for ${want.user}, signed by the cluster CA`, async () => {
      const { cert, certPem } = await clientOf(path.join(kdir(root), want.file));
      const caFile = path.join(root, 'etc/kubernetes/pki/ca.crt');
      const ca = new X509Certificate(await readFile(caFile));
      assert.equal(cert.subject, [...want.groups.map((g) => `O=${g}`), `CN=${want.user}`].join('\n'));
      assert.equal(cert.issuer, 'CN=kubernetes');
      assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), 'signed by ca.crt');
      assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth only');
      assert.equal(cert.ca, false);
      assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
      // kubeadm's validity: from 5 minutes before the run, for certificateValidityPeriod (1 year).
      const from = new Date(cert.validFrom).getTime();
      const to = new Date(cert.validTo).getTime();
      assert.ok(Math.abs(from - (startedAt.getTime() - 5 * 60_000)) < 1000, `notBefore ${cert.validFrom}`);
      assert.equal(to - from, 8760 * 3_600_000 + 5 * 60_000);
      const leafFile = path.join(root, `${want.file}.crt`);
      await writeFile(leafFile, certPem);
      assert.equal(verify(caFile, leafFile), `${leafFile}: OK`);
      await rm(leafFile);
    });
  }

  test('every kubeconfig is 0600', async () => {
    for (const e of expected) assert.equal((await stat(path.join(kdir(root), e.file))).mode & 0o777, 0o600, e.file);
  });

  test('a second run keeps every file byte for byte and says it uses them', async () => {
    const before = await snapshot(root);
    const { out } = await runInitPhases(tree, initConfig(), host, { only: 'kubeconfig' });
    assert.deepEqual(await snapshot(root), before);
    assert.deepEqual(out.stdout().split('\n').filter((l) => l !== ''), [
      '[kubeconfig] Using kubeconfig folder "/etc/kubernetes"',
      ...expected.map((e) => `[kubeconfig] Using existing kubeconfig file: "/etc/kubernetes/${e.file}"`),
    ]);
    assert.equal(out.stderr(), '');
  });
});

describe('existing files (ECDSA-P256)', () => {
  /** A fresh PKI and kubeconfigs in a temp root, then `fn`. */
  const withCluster = (fn: (root: string, host: Host) => Promise<void>) => () =>
    withTempRoot(async (root) => {
      const host = tempRootHost(root);
      await runInitPhases(tree, ecdsa(), host);
      await fn(root, host);
    });

  test('a file made for another CA is refused with kubeadm\'s message, exit 3, and left alone', withCluster(async (root, host) => {
    const file = path.join(kdir(root), 'admin.conf');
    const k = parseKubeconfig(await readFile(file, 'utf8'), file);
    const otherCA = await readFile(path.join(root, 'etc/kubernetes/pki/front-proxy-ca.crt'), 'utf8');
    const foreign = encodeKubeconfig({ ...k, clusters: k.clusters.map((c) => ({ ...c, certificateAuthorityData: otherCA })) });
    await writeFile(file, foreign, { mode: 0o600 });
    await assert.rejects(runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig/admin' }), (err) =>
      assertCertificateError(err, '/etc/kubernetes/admin.conf', /^a kubeconfig file "\/etc\/kubernetes\/admin.conf" exists already but has got the wrong CA cert$/));
    assert.equal(await readFile(file, 'utf8'), foreign);
  }));

  test('the same CA with other whitespace, or named by a certificate-authority file, is accepted', withCluster(async (root, host) => {
    const file = path.join(kdir(root), 'scheduler.conf');
    const k = parseKubeconfig(await readFile(file, 'utf8'), file);
    const caPem = k.clusters[0]!.certificateAuthorityData!;
    for (const cluster of [
      { ...k.clusters[0]!, certificateAuthorityData: `\n\n${caPem}\n\n` },
      { name: k.clusters[0]!.name, server: k.clusters[0]!.server, certificateAuthority: '/etc/kubernetes/pki/ca.crt' },
    ]) {
      const text = encodeKubeconfig({ ...k, clusters: [cluster] });
      await writeFile(file, text, { mode: 0o600 });
      const { out } = await runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig/scheduler' });
      assert.match(out.stdout(), /Using existing kubeconfig file: "\/etc\/kubernetes\/scheduler.conf"/);
      assert.equal(await readFile(file, 'utf8'), text);
    }
  }));

  test('a certificate-authority file that cannot be read warns, then counts as the wrong CA', withCluster(async (root, host) => {
    const file = path.join(kdir(root), 'scheduler.conf');
    const k = parseKubeconfig(await readFile(file, 'utf8'), file);
    await writeFile(file, encodeKubeconfig({ ...k, clusters: [{ name: 'kubernetes', server: localURL, certificateAuthority: '/nowhere/ca.crt' }] }));
    const out = captureOutput();
    await assert.rejects(runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig/scheduler', out }), (err) =>
      assertCertificateError(err, '/etc/kubernetes/scheduler.conf', /has got the wrong CA cert/));
    assert.match(out.stderr(), /failed to load CA cert from "\/nowhere\/ca.crt" for kubeconfig "\/etc\/kubernetes\/scheduler.conf"/);
  }));

  test('a file pointing at another server only warns and is kept', withCluster(async (root, host) => {
    const file = path.join(kdir(root), 'controller-manager.conf');
    const k = parseKubeconfig(await readFile(file, 'utf8'), file);
    const moved = encodeKubeconfig({ ...k, clusters: k.clusters.map((c) => ({ ...c, server: 'https://apiserver.cluster.local:6443' })) });
    await writeFile(file, moved, { mode: 0o600 });
    const { out } = await runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig/controller-manager' });
    assert.equal(out.stderr(), '[kubeconfig] WARNING: a kubeconfig file "/etc/kubernetes/controller-manager.conf" exists already but has an ' +
      `unexpected API Server URL: expected: ${localURL}, got: https://apiserver.cluster.local:6443\n`);
    assert.match(out.stdout(), /Using existing kubeconfig file: "\/etc\/kubernetes\/controller-manager.conf"/);
    assert.equal(await readFile(file, 'utf8'), moved);
  }));

  test('a file that is not a kubeconfig is refused, naming it', withCluster(async (root, host) => {
    await writeFile(path.join(kdir(root), 'kubelet.conf'), 'clusters: nope\n');
    await assert.rejects(runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig/kubelet' }), (err) =>
      assertCertificateError(err, '/etc/kubernetes/kubelet.conf', /not a valid kubeconfig file: "clusters" is not a list/));
  }));

  test('a file whose current context names no cluster is refused', withCluster(async (root, host) => {
    const file = path.join(kdir(root), 'admin.conf');
    const k = parseKubeconfig(await readFile(file, 'utf8'), file);
    await writeFile(file, encodeKubeconfig({ ...k, currentContext: 'elsewhere' }));
    await assert.rejects(runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig/admin' }), (err) =>
      assertCertificateError(err, '/etc/kubernetes/admin.conf', /no cluster for its current context "elsewhere"/));
  }));

  test('external CA (no ca.key): existing files are used, a missing one is a precise error', withCluster(async (root, host) => {
    await rm(path.join(root, 'etc/kubernetes/pki/ca.key'));
    const kept = await runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig' });
    assert.match(kept.out.stdout(), /\[kubeconfig\] External CA mode: Using user provided admin\.conf\n/);
    for (const e of expected) await rm(path.join(kdir(root), e.file));
    await assert.rejects(runInitPhases(tree, ecdsa(), host, { only: 'kubeconfig' }), (err) => {
      assertCertificateError(err, '/etc/kubernetes/admin.conf',
        /^\/etc\/kubernetes\/admin\.conf is missing and the CA has no key \(\/etc\/kubernetes\/pki\/ca\.key\) to sign a client certificate for it$/);
      assert.match((err as CertificateError).fix ?? '', /provide admin\.conf yourself: a kubeconfig for user "kubernetes-admin" in group kubeadm:cluster-admins, server https:\/\/192\.0\.2\.10:6443/);
      return true;
    });
    assert.deepEqual(await readdir(kdir(root)), ['pki'], 'nothing written');
  }));
});

test('without ca.crt the phase says to make the CA first', () =>
  withTempRoot(async (root) => {
    await assert.rejects(runInitPhases(tree, ecdsa(), tempRootHost(root), { only: 'kubeconfig/admin' }), (err) => {
      assertCertificateError(err, '/etc/kubernetes/pki/ca.crt', /the CA certificate \/etc\/kubernetes\/pki\/ca\.crt does not exist/);
      assert.match((err as CertificateError).fix ?? '', /tskubeadm init phase certs ca/);
      return true;
    });
  }));

test('with a controlPlaneEndpoint, admin and super-admin use it; kubelet, controller-manager and scheduler stay local', () =>
  withTempRoot(async (root) => {
    const cfg = ecdsa((c) => ({ ...c, cluster: { ...c.cluster, controlPlaneEndpoint: 'lb.example.com:8443' } }));
    await runInitPhases(tree, cfg, tempRootHost(root));
    for (const e of expected) {
      const file = path.join(kdir(root), e.file);
      const server = parseKubeconfig(await readFile(file, 'utf8'), file).clusters[0]?.server;
      assert.equal(server, e.server === 'endpoint' ? 'https://lb.example.com:8443' : localURL, e.file);
    }
  }));

test('the kubeconfig directory comes from --kubeconfig-dir; a client certificate never outlives its CA', () =>
  withTempRoot(async (root) => {
    // A leaf validity longer than the CA's: every certificate is cut to the CA's end, with a warning.
    const cfg = ecdsa((c) => ({ ...c, cluster: { ...c.cluster, certificateValidityPeriodMs: 200_000 * 3_600_000 } }));
    const { out } = await runInitPhases(tree, cfg, tempRootHost(root), { options: { kubeconfigDir: '/srv/kube/' } });
    assert.match(out.stdout(), /Using kubeconfig folder "\/srv\/kube\/"/);
    const ca = new X509Certificate(await readFile(path.join(root, 'etc/kubernetes/pki/ca.crt')));
    const { cert } = await clientOf(path.join(root, 'srv/kube/admin.conf'));
    assert.equal(cert.validTo, ca.validTo);
    assert.match(out.stderr(), /\[kubeconfig\] WARNING: the client certificate in "admin\.conf" would outlive its CA/);
  }));
