// The cluster-info kubeconfig and ConfigMap: read back by the real kubectl, signed the way the
// bootstrapsigner signs it (verifying with the token secret, failing with another), and the signer's
// rules (signing usage only, unexpired only, stale signatures removed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterInfoRbac, nodeBootstrapRbac } from '../../src/cluster-objects/bootstrap-rbac.js';
import { adminCluster, clusterInfoConfigMap, clusterInfoKubeconfig, signedClusterInfo } from '../../src/cluster-objects/cluster-info.js';
import { CertificateError } from '../../src/errors.js';
import { encodeKubeconfig, tokenKubeconfig } from '../../src/kubeconfig/kubeconfig.js';
import { verifyDetached } from '../../src/tokens/jws.js';
import { kubectlMissing, kubectlView } from '../helpers/kubectl.js';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const admin = encodeKubeconfig(tokenKubeconfig({ clusterName: 'kubernetes', server: 'https://[fd00::10]:6443', caPem, user: 'kubernetes-admin' }, 't'));
const token = { token: 'abcdef.0123456789abcdef', usages: ['signing', 'authentication'] };
const now = new Date('2026-01-01T00:00:00Z');

test('one cluster named "" with the CA and server, no users, no contexts', () => {
  const text = clusterInfoKubeconfig(admin);
  const b64 = Buffer.from(caPem).toString('base64');
  assert.equal(text, `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${b64}\n    server: https://[fd00::10]:6443\n  name: ""\n` +
    'contexts: null\ncurrent-context: ""\nkind: Config\nusers: null\n');
});

test('kubectl reads it as that one cluster', { skip: kubectlMissing }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cluster-info-'));
  try {
    const file = path.join(dir, 'cluster-info.conf');
    writeFileSync(file, clusterInfoKubeconfig(admin));
    const view = kubectlView(file);
    assert.equal(view.clusters.length, 1);
    assert.equal(view.clusters[0]!.name, '');
    assert.equal(view.clusters[0]!.cluster.server, 'https://[fd00::10]:6443');
    assert.equal(Buffer.from(view.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString(), caPem);
    assert.equal(view['current-context'], '');
    assert.equal(view.users?.length ?? 0, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an admin kubeconfig without a current cluster is a CertificateError', () => {
  const broken = admin.replace(/current-context: .*/, 'current-context: elsewhere');
  assert.throws(() => adminCluster(broken, '/etc/kubernetes/admin.conf'), (e: unknown) => e instanceof CertificateError && /admin\.conf/.test(e.message));
});

test('the signature verifies with the token secret only, and is HMAC-SHA256 over header.payload', () => {
  const cm = signedClusterInfo(clusterInfoConfigMap(clusterInfoKubeconfig(admin)), [token], now);
  const data = cm['data'] as Record<string, string>;
  const jws = data['jws-kubeconfig-abcdef']!;
  assert.ok(verifyDetached(jws, data['kubeconfig']!, 'abcdef', '0123456789abcdef'));
  assert.ok(!verifyDetached(jws, data['kubeconfig']!, 'abcdef', '0123456789abcdeX'));
  const [header, , sig] = jws.split('.');
  const input = `${header}.${Buffer.from(data['kubeconfig']!).toString('base64url')}`;
  assert.equal(sig, createHmac('sha256', '0123456789abcdef').update(input).digest('base64url'));
  assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', kid: 'abcdef' });
});

test('the signer skips tokens without the signing usage or past expiry, and drops stale signatures', () => {
  const base = clusterInfoConfigMap(clusterInfoKubeconfig(admin));
  const stale = { ...base, data: { ...(base['data'] as object), 'jws-kubeconfig-zzzzzz': 'old..sig' } };
  const cm = signedClusterInfo(stale, [
    token,
    { token: 'second.0123456789second', usages: ['signing'], expiration: '2026-06-01T00:00:00Z' },
    { token: 'authon.0123456789authon', usages: ['authentication'] },
    { token: 'expird.0123456789expird', usages: ['signing'], expiration: '2025-12-31T23:59:59Z' },
  ], now);
  assert.deepEqual(Object.keys(cm['data'] as object).sort(), ['jws-kubeconfig-abcdef', 'jws-kubeconfig-second', 'kubeconfig']);
});

test('the RBAC steps come in kubeadm\'s order, with its lines', () => {
  assert.deepEqual(nodeBootstrapRbac().flatMap((s) => s.objects.map((o) => `${o.kind}/${o.metadata.name}`)), [
    'ClusterRole/kubeadm:get-nodes', 'ClusterRoleBinding/kubeadm:get-nodes', 'ClusterRoleBinding/kubeadm:kubelet-bootstrap',
    'ClusterRoleBinding/kubeadm:node-autoapprove-bootstrap', 'ClusterRoleBinding/kubeadm:node-autoapprove-certificate-rotation',
  ]);
  assert.deepEqual(clusterInfoRbac().map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`), [
    'Role/kube-public/kubeadm:bootstrap-signer-clusterinfo', 'RoleBinding/kube-public/kubeadm:bootstrap-signer-clusterinfo',
  ]);
});
