// The controllers the test API server emulates: bootstrapsigner signatures in cluster-info (one per usable
// token, removed on delete and on expiry), tokencleaner, and kubelet TLS bootstrap CSRs approved by
// SubjectAccessReview and signed by ca.crt — checked with openssl, not our own parser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { jwsKeyPrefix, verifyDetached } from '../../src/tokens/jws.js';
import { openssl } from '../helpers/openssl.js';
import { call, certificateRequest, startCluster, tokenSecret, writeTemp, type Cluster } from './cluster-fixture.js';

let now = new Date('2030-01-01T00:00:00Z');
let c: Cluster;
before(async () => { c = await startCluster({ clock: () => now }); });
after(async () => { await c.close(); });

const kubeconfigText = 'apiVersion: v1\nkind: Config\nclusters: []\n';
const signatures = () => {
  const data = (c.server.get('ConfigMap', 'cluster-info', 'kube-public')?.['data'] ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith(jwsKeyPrefix)));
};

test('bootstrapsigner: a signature per signing token, removed when the token is deleted or expires; tokencleaner deletes expired tokens', async () => {
  c.server.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' }, data: { kubeconfig: kubeconfigText } });
  c.server.put(tokenSecret('aaaaaa', 'aaaaaaaaaaaaaaaa'));
  await c.server.runControllers();
  const one = signatures();
  assert.deepEqual(Object.keys(one), ['jws-kubeconfig-aaaaaa']);
  assert.ok(verifyDetached(one['jws-kubeconfig-aaaaaa']!, kubeconfigText, 'aaaaaa', 'aaaaaaaaaaaaaaaa'));
  assert.ok(!verifyDetached(one['jws-kubeconfig-aaaaaa']!, kubeconfigText, 'aaaaaa', 'bbbbbbbbbbbbbbbb'));

  c.server.put(tokenSecret('cccccc', 'cccccccccccccccc', { expiration: '2030-01-01T01:00:00Z' }));
  const noSigning = tokenSecret('dddddd', 'dddddddddddddddd');
  const data = { ...(noSigning['data'] as Record<string, string>) };
  delete data['usage-bootstrap-signing'];
  c.server.put({ ...noSigning, data });
  await c.server.runControllers();
  assert.deepEqual(Object.keys(signatures()).sort(), ['jws-kubeconfig-aaaaaa', 'jws-kubeconfig-cccccc']);

  const del = await call(c, { method: 'DELETE', path: '/api/v1/namespaces/kube-system/secrets/bootstrap-token-aaaaaa', as: c.superAdmin });
  assert.equal(del.status, 200);
  await c.server.runControllers();
  assert.deepEqual(Object.keys(signatures()), ['jws-kubeconfig-cccccc']);

  now = new Date('2030-01-01T01:00:01Z');
  await c.server.runControllers();
  assert.deepEqual(signatures(), {});
  assert.equal(c.server.get('Secret', 'bootstrap-token-cccccc', 'kube-system'), undefined, 'tokencleaner deleted the expired token');
  assert.notEqual(c.server.get('Secret', 'bootstrap-token-dddddd', 'kube-system'), undefined);
  assert.equal((c.server.get('ConfigMap', 'cluster-info', 'kube-public')?.['data'] as Record<string, string>)['kubeconfig'], kubeconfigText);
});

const csrPath = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const csrBody = (name: string, pem: string, usages = ['digital signature', 'client auth']) => ({
  apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
  spec: { request: Buffer.from(pem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages },
});
const binding = (name: string, role: string, group: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ kind: 'Group', name: group }],
});
interface CsrStatus { conditions?: { type: string; reason: string }[]; certificate?: string }
const statusOf = (name: string) => (c.server.get('CertificateSigningRequest', name)?.['status'] ?? {}) as CsrStatus;

test('kubelet TLS bootstrap: a token user\'s CSR is approved by SubjectAccessReview and signed by ca.crt', async () => {
  now = new Date();
  const token = 'eeeeee.eeeeeeeeeeeeeeee';
  c.server.put(tokenSecret('eeeeee', 'eeeeeeeeeeeeeeee'));
  c.server.put(binding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', 'system:bootstrappers:kubeadm:default-node-token'));
  const { csr } = await certificateRequest(c.root, '/O=system:nodes/CN=system:node:node-2');
  const made = await call(c, { method: 'POST', path: csrPath, token, body: csrBody('csr-node-2', csr) });
  assert.equal(made.status, 201, made.text);
  const spec = made.json['spec'] as { username: string; groups: string[] };
  assert.equal(spec.username, 'system:bootstrap:eeeeee');
  assert.deepEqual(spec.groups, ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated']);

  await c.server.runControllers();
  assert.deepEqual(statusOf('csr-node-2'), {}, 'no autoapprove binding yet: the CSR stays pending');

  c.server.put(binding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', 'system:bootstrappers:kubeadm:default-node-token'));
  await c.server.runControllers();
  const read = await call(c, { path: `${csrPath}/csr-node-2`, token });
  assert.equal(read.status, 200);
  const status = read.json['status'] as CsrStatus;
  assert.deepEqual(status.conditions?.map((x) => [x.type, x.reason]), [['Approved', 'AutoApproved']]);
  const certFile = await writeTemp(c.root, 'node-2.crt', Buffer.from(status.certificate ?? '', 'base64').toString());
  assert.equal(openssl(['verify', '-CAfile', path.join(c.pkiDir, 'ca.crt'), certFile]).trim(), `${certFile}: OK`);
  assert.equal(openssl(['x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'RFC2253']).trim(), 'subject=CN=system:node:node-2,O=system:nodes');
  assert.match(openssl(['x509', '-in', certFile, '-noout', '-ext', 'extendedKeyUsage']), /TLS Web Client Authentication/);
});

test('a CSR with another subject fails signer validation; an unparseable request is 422', async () => {
  const token = 'eeeeee.eeeeeeeeeeeeeeee';
  const { csr } = await certificateRequest(c.root, '/O=system:masters/CN=system:node:node-3');
  assert.equal((await call(c, { method: 'POST', path: csrPath, token, body: csrBody('csr-bad', csr) })).status, 201);
  await c.server.runControllers();
  const status = statusOf('csr-bad');
  assert.equal(status.certificate, undefined);
  assert.deepEqual(status.conditions?.map((x) => [x.type, x.reason]), [['Failed', 'SignerValidationFailure']]);
  const garbage = await call(c, { method: 'POST', path: csrPath, token, body: csrBody('csr-garbage', 'not a request') });
  assert.equal(garbage.status, 422);
  assert.match(String(garbage.json['message']), /^CertificateSigningRequest\.certificates\.k8s\.io "csr-garbage" is invalid: spec\.request: Invalid value/);
});
