// The kubeconfig model: kubeadm's file layout (golden), a lossless read back, and a
// CertificateError naming the file for anything that is not a kubeconfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertificateError, exitCodeOf, exitCodes } from '../../src/errors.js';
import {
  clientCertificateKubeconfig, currentEntries, encodeKubeconfig, parseKubeconfig, tokenKubeconfig, type Kubeconfig, type KubeconfigTarget,
} from '../../src/kubeconfig/kubeconfig.js';
import { assertGolden } from '../helpers/golden.js';

// Placeholders shaped like PEM: the layout is under test, not key material.
const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const caPem = pem('CERTIFICATE', 'Q0EgY2VydGlmaWNhdGUgcGxhY2Vob2xkZXI=');
const certPem = pem('CERTIFICATE', 'Y2xpZW50IGNlcnRpZmljYXRlIHBsYWNlaG9sZGVy');
const keyPem = pem('EC PRIVATE KEY', 'a2V5IHBsYWNlaG9sZGVy');

const target: KubeconfigTarget = { clusterName: 'kubernetes', server: 'https://192.0.2.10:6443', caPem, user: 'kubernetes-admin' };

test('a client-certificate kubeconfig is written in kubeadm\'s layout', () => {
  assertGolden('kubeconfig/client-certificate.yaml', encodeKubeconfig(clientCertificateKubeconfig(target, certPem, keyPem)));
});

test('a token kubeconfig is written in kubeadm\'s layout', () => {
  const t = { ...target, clusterName: 'prod', server: 'https://[fd00::10]:6443', user: 'tls-bootstrap-token-user' };
  assertGolden('kubeconfig/token.yaml', encodeKubeconfig(tokenKubeconfig(t, 'abcdef.0123456789abcdef')));
});

test('one cluster, one user, one context <user>@<cluster> which is current', () => {
  const k = clientCertificateKubeconfig(target, certPem, keyPem);
  assert.deepEqual(k.contexts, [{ name: 'kubernetes-admin@kubernetes', cluster: 'kubernetes', user: 'kubernetes-admin' }]);
  assert.equal(k.currentContext, 'kubernetes-admin@kubernetes');
  const { cluster, user } = currentEntries(k);
  assert.equal(cluster?.certificateAuthorityData, caPem);
  assert.equal(user?.clientKeyData, keyPem);
});

test('what is written reads back the same', () => {
  for (const k of [clientCertificateKubeconfig(target, certPem, keyPem), tokenKubeconfig(target, 'abcdef.0123456789abcdef')]) {
    assert.deepEqual(parseKubeconfig(encodeKubeconfig(k), '/etc/kubernetes/x.conf'), k);
  }
});

test('file references, namespaces and several entries read back the same', () => {
  const k: Kubeconfig = {
    clusters: [
      { name: 'a', server: 'https://a:6443', certificateAuthority: '/etc/kubernetes/pki/ca.crt' },
      { name: 'b', server: 'https://b:6443', certificateAuthorityData: caPem },
    ],
    users: [{ name: 'system:node:n1', clientCertificate: '/var/lib/kubelet/pki/kubelet-client-current.pem', clientKey: '/var/lib/kubelet/pki/kubelet-client-current.pem' }],
    contexts: [{ name: 'c1', cluster: 'a', user: 'system:node:n1', namespace: 'kube-system' }, { name: 'c2', cluster: 'b', user: 'nobody' }],
    currentContext: 'c2',
  };
  const back = parseKubeconfig(encodeKubeconfig(k), '/x');
  assert.deepEqual(back, k);
  // The current context's user is not in the file: only the cluster is found.
  assert.deepEqual(currentEntries(back), { cluster: k.clusters[1] });
});

test('an empty kubeconfig encodes with null lists and reads back empty', () => {
  const empty: Kubeconfig = { clusters: [], users: [], contexts: [], currentContext: '' };
  const text = encodeKubeconfig(empty);
  assert.match(text, /^clusters: null$/m);
  assert.deepEqual(parseKubeconfig(text, '/x'), empty);
  assert.deepEqual(currentEntries(empty), {});
});

function assertRefused(text: string, why: RegExp): void {
  const path = '/etc/kubernetes/admin.conf';
  assert.throws(() => parseKubeconfig(text, path), (err: unknown) => {
    assert.ok(err instanceof CertificateError, `CertificateError, got ${String(err)}`);
    assert.equal(err.path, path);
    assert.match(err.message, new RegExp(`^${path} is not a valid kubeconfig file: `));
    assert.match(err.message, why);
    assert.match(err.fix ?? '', /remove it to have it written again/);
    assert.equal(exitCodeOf(err), exitCodes.invalidInput);
    return true;
  });
}

test('text that is not YAML is refused, naming the file', () => {
  // The parser's own first line says where.
  assertRefused('clusters: [\n  - name: a\n', /at line 2, column 3/);
  assertRefused('a: b: c\n', /at line 1, column 4/);
});

test('a YAML document that is not a mapping is refused', () => {
  assertRefused('- a\n- b\n', /not a YAML mapping/);
  assertRefused('just a string\n', /not a YAML mapping/);
});

test('clusters, users or contexts that are not lists are refused', () => {
  assertRefused('clusters: {name: a}\n', /"clusters" is not a list/);
  assertRefused('users: x\n', /"users" is not a list/);
  assertRefused('contexts: 3\n', /"contexts" is not a list/);
});

test('embedded data that is not base64-encoded PEM is refused', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assertRefused(`clusters:\n- name: a\n  cluster:\n    certificate-authority-data: ${b64('not a certificate')}\n`, /certificate-authority-data is not base64-encoded PEM/);
  assertRefused('users:\n- name: u\n  user:\n    client-certificate-data: "%%%"\n', /client-certificate-data is not base64-encoded PEM/);
  assertRefused(`users:\n- name: u\n  user:\n    client-key-data: ${b64('garbage')}\n`, /client-key-data is not base64-encoded PEM/);
});
