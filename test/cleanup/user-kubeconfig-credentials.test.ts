// reset's user-kubeconfig step removes only what was copied from this node's admin.conf or super-admin.conf: an
// entry with our CA but other credentials still works against the cluster, and stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeUserKubeconfigEntries } from '../../src/cleanup/user-kubeconfig.js';
import { captureOutput } from '../../src/output/output.js';
import { resetContext } from '../helpers/reset-context.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';
import { adminConf, b64, clientCredential, controlPlaneNode, type Credential, put, read, testCA } from './kubeconfig-fixture.js';

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
