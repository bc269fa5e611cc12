import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { editKubeconfig, planRemoval } from '../../src/cleanup/kubeconfig-edit.js';
import { removeUserKubeconfigEntries, userKubeconfigFiles } from '../../src/cleanup/user-kubeconfig.js';
import { dryRunHost } from '../../src/host/index.js';
import { captureOutput } from '../../src/output/output.js';
import { caIssuer, createCertificate, parseCertificates, type CAIssuer } from '../../src/pki/certificate.js';
import { encodePrivateKey, generatePrivateKey } from '../../src/pki/keys.js';
import { fakeHost } from '../helpers/fake-host.js';
import { resetContext } from '../helpers/reset-context.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const day = () => ({ notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000) });

async function testCA(cn = 'kubernetes'): Promise<{ pem: string; issuer: CAIssuer }> {
  const key = await generatePrivateKey('ECDSA-P256');
  const pem = await createCertificate({ commonName: cn, organization: [], usages: [], isCA: true, dnsNames: [cn], ips: [], ...day() },
    key, { selfSigned: true });
  const [cert] = parseCertificates(pem);
  assert.ok(cert !== undefined);
  return { pem, issuer: caIssuer(cert, key) };
}

async function selfSignedCA(cn = 'kubernetes'): Promise<string> {
  return (await testCA(cn)).pem;
}

/** A client certificate and key (PEM) as admin.conf or super-admin.conf carries them. */
interface Credential { readonly cert: string; readonly key: string }

async function clientCredential(issuer: CAIssuer, cn = 'kubernetes-admin', org = ['kubeadm:cluster-admins']): Promise<Credential> {
  const key = await generatePrivateKey('ECDSA-P256');
  const cert = await createCertificate({ commonName: cn, organization: org, usages: ['clientAuth'], isCA: false, dnsNames: [], ips: [],
    ...day() }, key, issuer);
  return { cert, key: encodePrivateKey(key) };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** admin.conf as kubeadm (and tskubeadm) writes it. */
const adminConf = (caPem: string, cred: Credential, cluster = 'kubernetes', user = 'kubernetes-admin') => `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(caPem)}
    server: https://10.0.0.1:6443
  name: ${cluster}
contexts:
- context:
    cluster: ${cluster}
    user: ${user}
  name: ${user}@${cluster}
current-context: ${user}@${cluster}
kind: Config
preferences: {}
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(cred.cert)}
    client-key-data: ${b64(cred.key)}
`;

/** A control-plane node of a cluster: its CA in the pki directory and its admin.conf, with a client certificate that CA signed. */
async function controlPlaneNode(root: string): Promise<{ ca: string; issuer: CAIssuer; admin: Credential }> {
  const { pem: ca, issuer } = await testCA();
  const admin = await clientCredential(issuer);
  await put(root, 'etc/kubernetes/pki/ca.crt', ca, 0o644);
  await put(root, 'etc/kubernetes/admin.conf', adminConf(ca, admin));
  return { ca, issuer, admin };
}

/** A file kubectl merged over time and a human edited: another cluster around ours, a shared user name, comments,
 *  hand alignment (a re-rendering would normalize it), a preference. */
const merged = (oursPem: string, otherPem: string, cred: Credential) => `# my clusters
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(otherPem)}
    server:   https://prod.example.com:6443 # the real one (hand-aligned)
  name: prod
- cluster:
    certificate-authority-data: ${b64(oursPem)}
    server: https://10.0.0.1:6443
  name: kubernetes
# staging comes last
- cluster:
    server: https://staging.example.com
    insecure-skip-tls-verify: true
  name: staging
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
- context:
    cluster: prod
    namespace: web
    user: me
  name: prod
- context:
    cluster: staging
    user: kubernetes-admin
  name: staging
current-context: kubernetes-admin@kubernetes
kind: Config
preferences:
  colors: true
users:
- name: kubernetes-admin
  user:
    client-certificate-data: ${b64(cred.cert)}
    client-key-data: ${b64(cred.key)}
- name: me
  user:
    token: "abc def"
- name: lab-admin
  user:
    token: x
`;

async function put(root: string, p: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(path.dirname(path.join(root, p)), { recursive: true });
  await writeFile(path.join(root, p), text, { mode });
}

const read = (root: string, p: string) => readFile(path.join(root, p), 'utf8').catch(() => undefined);

test('a copy of admin.conf in $HOME/.kube/config is removed; ~/.kube stays', async () => {
  await withTempRoot(async (root) => {
    const { ca, admin } = await controlPlaneNode(root);
    await put(root, 'root/.kube/config', adminConf(ca, admin));
    const out = captureOutput();
    const ctx = resetContext({ host: tempRootHost(root, { env: { HOME: '/root' } }), out });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'root/.kube/config'), undefined);
    assert.ok((await stat(path.join(root, 'root/.kube'))).isDirectory());
    assert.equal(out.stdout(), '[reset] Removed /root/.kube/config: it held only this cluster ("kubernetes")\n');
    assert.deepEqual(ctx.report.actions, [
      { kind: 'removed', item: '/root/.kube/config' },
      { kind: 'kubeconfig-entry-removed', item: '/root/.kube/config: kubernetes' },
    ]);
  });
});

test('a merged file: only our cluster, its context and the user only it used go; every other byte stays; mode kept', async () => {
  await withTempRoot(async (root) => {
    const [{ ca, admin }, other] = [await controlPlaneNode(root), await selfSignedCA()];
    await put(root, 'root/.kube/config', merged(ca, other, admin), 0o640);
    const out = captureOutput();
    const ctx = resetContext({ host: tempRootHost(root, { env: { HOME: '/root' } }), out });
    await removeUserKubeconfigEntries(ctx);
    const want = merged(ca, other, admin)
      .replace(/- cluster:\n {4}certificate-authority-data: \S+\n {4}server: https:\/\/10\.0\.0\.1:6443\n {2}name: kubernetes\n/, '')
      .replace(/- context:\n {4}cluster: kubernetes\n {4}user: kubernetes-admin\n {2}name: kubernetes-admin@kubernetes\n/, '')
      .replace('current-context: kubernetes-admin@kubernetes', 'current-context: ""');
    assert.notEqual(want, merged(ca, other, admin));
    // kubernetes-admin is still named by the staging context: it stays.
    assert.equal(await read(root, 'root/.kube/config'), want);
    assert.equal((await stat(path.join(root, 'root/.kube/config'))).mode & 0o777, 0o640);
    assert.equal(out.stdout(), '[reset] Removed the cluster "kubernetes" from /root/.kube/config\n');
    assert.deepEqual(ctx.report.actions, [{ kind: 'kubeconfig-entry-removed', item: '/root/.kube/config: kubernetes' }]);
  });
});

test('the removal plan: users named only by removed contexts go; a cluster name shared with a kept cluster keeps its contexts', () => {
  const value = {
    clusters: [{ name: 'a' }, { name: 'b' }, { name: 'b' }],
    contexts: [{ name: 'ca', context: { cluster: 'a', user: 'ua' } }, { name: 'cb', context: { cluster: 'b', user: 'ub' } },
      { name: 'ca2', context: { cluster: 'a', user: 'shared' } }, { name: 'other', context: { cluster: 'x', user: 'shared' } }],
    users: [{ name: 'ua' }, { name: 'ub' }, { name: 'shared' }],
    'current-context': 'ca2',
  };
  const plan = planRemoval(value, new Set([0, 1]));
  assert.deepEqual([...plan.remove.clusters], [0, 1]);
  assert.deepEqual([...plan.remove.contexts], [0, 2]);
  assert.deepEqual([...plan.remove.users], [0]);
  assert.equal(plan.clearCurrentContext, true);
});

test('a layout the text edit cannot handle (flow lists) is re-rendered from the document, still exact in value', () => {
  const text = 'apiVersion: v1\nkind: Config\nclusters: [{name: ours, cluster: {server: "https://a"}}, {name: other, cluster: {server: "https://b"}}]\n' +
    'contexts: [{name: c, context: {cluster: ours, user: u}}]\nusers: [{name: u, user: {token: t}}]\ncurrent-context: c\n';
  const doc = parseDocument(text);
  const edited = editKubeconfig(text, doc, planRemoval(doc.toJS(), new Set([0])));
  assert.deepEqual(parse(edited), {
    apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'other', cluster: { server: 'https://b' } }], contexts: [], users: [], 'current-context': '',
  });
});

test('sudo: the invoking user\'s kubeconfig (home from /etc/passwd) is cleaned too; a cert-file CA is compared by content', async () => {
  await withTempRoot(async (root) => {
    const { ca, admin } = await controlPlaneNode(root);
    await put(root, 'etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n', 0o644);
    await put(root, 'root/.kube/config', adminConf(ca, admin));
    await put(root, 'home/alice/.kube/ca.pem', ca, 0o644);
    const aliceConf = adminConf(ca, admin, 'lab').replace(/certificate-authority-data: \S+/, 'certificate-authority: ca.pem') +
      '- name: other\n  user:\n    token: t\n';
    await put(root, 'home/alice/.kube/config', aliceConf.replace('preferences: {}', 'preferences: {}\nextensions:\n- name: x\n  extension: {}'));
    const host = tempRootHost(root, { env: { HOME: '/root', SUDO_USER: 'alice' } });
    assert.deepEqual(await userKubeconfigFiles(host), ['/root/.kube/config', '/home/alice/.kube/config']);
    const out = captureOutput();
    const ctx = resetContext({ host, out });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'root/.kube/config'), undefined);
    const left = parse((await read(root, 'home/alice/.kube/config')) ?? '') as Record<string, unknown>;
    assert.deepEqual(left.clusters, []);
    assert.deepEqual(left.contexts, []);
    assert.deepEqual(left.users, [{ name: 'other', user: { token: 't' } }], 'a user no context named is not attributable: kept');
    assert.match(out.stdout(), /Removed the cluster "lab" from \/home\/alice\/\.kube\/config/);
  });
});

test('a cluster with another CA (even with the same name and subject) is not touched; no CA on disk: nothing is', async () => {
  await withTempRoot(async (root) => {
    const [{ ca, admin }, impostor] = [await controlPlaneNode(root), await selfSignedCA()];
    await rm(path.join(root, 'etc/kubernetes/pki/ca.crt'));
    // Our own admin credentials, so that only the CA tells the entries apart.
    await put(root, 'root/.kube/config', adminConf(impostor, admin));
    const host = tempRootHost(root, { env: { HOME: '/root' } });
    const out = captureOutput(1);
    await removeUserKubeconfigEntries(resetContext({ host, out }));
    assert.match(out.stderr(), /No cluster CA at \/etc\/kubernetes\/pki\/ca\.crt/);
    assert.equal(await read(root, 'root/.kube/config'), adminConf(impostor, admin));
    await put(root, 'etc/kubernetes/pki/ca.crt', ca, 0o644);
    const ctx = resetContext({ host });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'root/.kube/config'), adminConf(impostor, admin));
    assert.deepEqual(ctx.report.actions, []);
  });
});

test('a symlinked kubeconfig is not followed: a leftover with the kubectl command', async () => {
  await withTempRoot(async (root) => {
    const { ca, admin } = await controlPlaneNode(root);
    await put(root, 'srv/dotfiles/kubeconfig', adminConf(ca, admin));
    await mkdir(path.join(root, 'root/.kube'), { recursive: true });
    await symlink('/srv/dotfiles/kubeconfig', path.join(root, 'root/.kube/config'));
    const ctx = resetContext({ host: tempRootHost(root, { env: { HOME: '/root' } }) });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'srv/dotfiles/kubeconfig'), adminConf(ca, admin));
    assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item, l.fix]), [
      ['kubeconfig', '/root/.kube/config', 'kubectl config delete-cluster kubernetes --kubeconfig /root/.kube/config'],
    ]);
  });
});

test('--dry-run: "Would remove" lines, the report, and no change on disk', async () => {
  await withTempRoot(async (root) => {
    const [{ ca, admin }, other] = [await controlPlaneNode(root), await selfSignedCA()];
    await put(root, 'root/.kube/config', merged(ca, other, admin));
    await put(root, 'home/bob/.kube/config', adminConf(ca, admin));
    await put(root, 'etc/passwd', 'bob:x:1001:1001::/home/bob:/bin/sh\n', 0o644);
    const host = dryRunHost(tempRootHost(root, { env: { HOME: '/root', SUDO_USER: 'bob' } }), '/tmp/dry', { cwd: '/' });
    const out = captureOutput();
    const ctx = resetContext({ host, out, dryRun: true });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(out.stdout(),
      '[dryrun] Would remove the cluster "kubernetes" from /root/.kube/config\n' +
      '[dryrun] Would remove /home/bob/.kube/config: it held only this cluster ("kubernetes")\n');
    assert.equal(await read(root, 'root/.kube/config'), merged(ca, other, admin));
    assert.equal(await read(root, 'home/bob/.kube/config'), adminConf(ca, admin));
    // Not even the dry-run directory gets the edited copy (it would hold the other cluster's credentials).
    assert.equal(existsSync(path.join(root, 'tmp/dry')), false);
    assert.equal(ctx.report.data().dryRun, true);
    assert.equal(ctx.report.actions.length, 3);
  });
});

test('a worker (no admin.conf on the node): a user\'s copy of a control plane\'s admin.conf is untouched, and the detail says why', async () => {
  await withTempRoot(async (root) => {
    const { pem: ca, issuer } = await testCA();
    await put(root, 'etc/kubernetes/pki/ca.crt', ca, 0o644);
    // The worker's own credential (signed by the same CA) is not an admin credential.
    await put(root, 'etc/kubernetes/kubelet.conf', adminConf(ca, await clientCredential(issuer, 'system:node:w1', ['system:nodes']), 'kubernetes', 'default-auth'));
    const copy = adminConf(ca, await clientCredential(issuer));
    await put(root, 'root/.kube/config', copy);
    const out = captureOutput(1);
    const ctx = resetContext({ host: tempRootHost(root, { env: { HOME: '/root' } }), out });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'root/.kube/config'), copy);
    assert.equal(out.stdout(), '');
    assert.match(out.stderr(), /No admin kubeconfig on this node: no entry of a user's kubeconfig was copied from it; none is touched/);
    assert.deepEqual(ctx.report.actions, []);
    assert.deepEqual(ctx.report.leftovers, []);
  });
});

test('our CA but another control-plane node\'s admin credentials: that entry stays byte for byte; the copy of ours in the same file goes', async () => {
  await withTempRoot(async (root) => {
    const { ca, issuer, admin } = await controlPlaneNode(root);
    const theirs = await clientCredential(issuer);
    const cluster = (name: string, ip: string) =>
      `- cluster:\n    certificate-authority-data: ${b64(ca)}\n    server: https://${ip}:6443\n  name: ${name}\n`;
    const context = (name: string, c: string, u: string) => `- context:\n    cluster: ${c}\n    user: ${u}\n  name: ${name}\n`;
    const user = (name: string, cred: Credential) =>
      `- name: ${name}\n  user:\n    client-certificate-data: ${b64(cred.cert)}\n    client-key-data: ${b64(cred.key)}\n`;
    const file = (withOurs: boolean) => (withOurs
      ? ['apiVersion: v1\nclusters:\n', cluster('cp-a', '10.0.0.1'), cluster('cp-b', '10.0.0.2'), 'contexts:\n',
        context('admin@cp-b', 'cp-b', 'admin-b'), context('admin@cp-a', 'cp-a', 'admin-a'),
        'current-context: admin@cp-b\nkind: Config\npreferences: {}\nusers:\n', user('admin-b', theirs), user('admin-a', admin)]
      : ['apiVersion: v1\nclusters:\n', cluster('cp-b', '10.0.0.2'), 'contexts:\n', context('admin@cp-b', 'cp-b', 'admin-b'),
        'current-context: admin@cp-b\nkind: Config\npreferences: {}\nusers:\n', user('admin-b', theirs)]).join('');
    await put(root, 'root/.kube/config', file(true));
    const out = captureOutput();
    const ctx = resetContext({ host: tempRootHost(root, { env: { HOME: '/root' } }), out });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'root/.kube/config'), file(false));
    assert.equal(out.stdout(), '[reset] Removed the cluster "cp-a" from /root/.kube/config\n');
    assert.deepEqual(ctx.report.actions, [{ kind: 'kubeconfig-entry-removed', item: '/root/.kube/config: cp-a' }]);
  });
});

test('one cluster entry used by our context and by another node\'s: the entry still works for them, so nothing goes', async () => {
  await withTempRoot(async (root) => {
    const { ca, issuer, admin } = await controlPlaneNode(root);
    const theirs = await clientCredential(issuer);
    const text = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(ca)}
    server: https://10.0.0.1:6443
  name: k
contexts:
- context:
    cluster: k
    user: me
  name: me
- context:
    cluster: k
    user: other-node
  name: other-node
current-context: other-node
kind: Config
preferences: {}
users:
- name: me
  user:
    client-certificate-data: ${b64(admin.cert)}
    client-key-data: ${b64(admin.key)}
- name: other-node
  user:
    client-certificate-data: ${b64(theirs.cert)}
    client-key-data: ${b64(theirs.key)}
`;
    await put(root, 'root/.kube/config', text);
    const ctx = resetContext({ host: tempRootHost(root, { env: { HOME: '/root' } }) });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'root/.kube/config'), text);
    assert.deepEqual(ctx.report.actions, []);
  });
});

test('super-admin.conf\'s credentials are this node\'s too: a copy of it goes once the node has it', async () => {
  await withTempRoot(async (root) => {
    const { ca, issuer } = await controlPlaneNode(root);
    const superAdmin = await clientCredential(issuer, 'kubernetes-super-admin', ['system:masters']);
    const copy = adminConf(ca, superAdmin, 'kubernetes', 'kubernetes-super-admin');
    await put(root, 'root/.kube/config', copy);
    const host = tempRootHost(root, { env: { HOME: '/root' } });
    // Without super-admin.conf on the node, nothing ties the copy to it (admin.conf's certificate differs).
    await removeUserKubeconfigEntries(resetContext({ host }));
    assert.equal(await read(root, 'root/.kube/config'), copy);
    await put(root, 'etc/kubernetes/super-admin.conf', copy);
    const out = captureOutput();
    const ctx = resetContext({ host, out });
    await removeUserKubeconfigEntries(ctx);
    assert.equal(await read(root, 'root/.kube/config'), undefined);
    assert.equal(out.stdout(), '[reset] Removed /root/.kube/config: it held only this cluster ("kubernetes")\n');
  });
});

test('no HOME and no SUDO_USER: no file to look at', async () => {
  assert.deepEqual(await userKubeconfigFiles(fakeHost()), []);
});
