import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { editKubeconfig, planRemoval } from '../../src/cleanup/kubeconfig-edit.js';
import { removeUserKubeconfigEntries, userKubeconfigFiles } from '../../src/cleanup/user-kubeconfig.js';
import { dryRunHost } from '../../src/host/index.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost } from '../helpers/fake-host.js';
import { resetContext } from '../helpers/reset-context.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';
import { adminConf, controlPlaneNode, merged, put, read, selfSignedCA } from './kubeconfig-fixture.js';

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

test('no HOME and no SUDO_USER: no file to look at', async () => {
  assert.deepEqual(await userKubeconfigFiles(fakeHost()), []);
});
