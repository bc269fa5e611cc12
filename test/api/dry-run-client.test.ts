import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { dryRunClient } from '../../src/api/dry-run-client.js';
import type { KubeObject } from '../../src/api/objects.js';
import { captureOutput } from '../../src/output/output.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';

const dryRunTxt = 'reference/kubeadm-observed/init-dry-run.txt';
/** kubeadm's lines, i.e. ours without the request line kubeadm does not print. */
const kubeadmLines = (text: string): string => text.split('\n').filter((l) => !l.startsWith('[dryrun] Request: ')).join('\n');

/** The block of kubeadm's output that starts at the first line starting with `first` and ends before `next` (a line prefix). */
function kubeadmBlock(first: string, next: string): string {
  const lines = readFileSync(sharedPath(dryRunTxt), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(first));
  assert.ok(start >= 0, `no line "${first}" in ${dryRunTxt}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith(next));
  return `${lines.slice(start, end).join('\n')}\n`;
}

/** The object kubeadm attached to a request block, parsed back. */
function attachedObject(block: string): KubeObject {
  const yamlText = block.split('[dryrun] Attached object:\n')[1]!;
  return parse(yamlText) as KubeObject;
}

test('a ConfigMap create prints the action, the request path and the object (stable text)', async () => {
  const out = captureOutput();
  const api = dryRunClient(out);
  const made = await api.create({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'demo', namespace: 'kube-system' }, data: { a: 'x\ny\n', b: '' },
  });
  assert.equal(out.stdout(), [
    '[dryrun] Would perform action CREATE on resource "configmaps" in API group "core/v1"',
    '[dryrun] Request: POST /api/v1/namespaces/kube-system/configmaps',
    '[dryrun] Attached object:',
    'apiVersion: v1',
    'data:',
    '  a: |',
    '    x',
    '    y',
    '  b: ""',
    'kind: ConfigMap',
    'metadata:',
    '  name: demo',
    '  namespace: kube-system',
    '',
    '',
  ].join('\n'));
  // The answer carries what a server adds (upload-certs needs the uid), the same on every run.
  assert.match(made.metadata.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(made.metadata.uid, (await dryRunClient(captureOutput()).create({ ...made, metadata: { name: 'demo', namespace: 'kube-system' } })).metadata.uid);
  assert.equal(made.metadata.resourceVersion, '1');
});

test('the kubeadm-config create prints what kubeadm v1.35 printed, line for line', { skip: skipWithoutShared(dryRunTxt) }, async () => {
  const block = kubeadmBlock('[dryrun] Would perform action CREATE on resource "configmaps"', '[dryrun] Would perform action CREATE on resource "roles"');
  const out = captureOutput();
  await dryRunClient(out).create(attachedObject(block));
  assert.equal(kubeadmLines(out.stdout()), block);
  assert.match(out.stdout(), /^\[dryrun\] Request: POST \/api\/v1\/namespaces\/kube-system\/configmaps$/m);
});

test('a Node GET answers a fake Node and prints it as kubeadm v1.35 did', { skip: skipWithoutShared(dryRunTxt) }, async () => {
  const block = kubeadmBlock('[dryrun] Would perform action GET on resource "nodes"', '[dryrun] Would perform action PATCH');
  const out = captureOutput();
  const node = await dryRunClient(out, { nodeName: 'node-1' }).get({ kind: 'Node', name: 'node-1' });
  assert.equal(kubeadmLines(out.stdout()), block);
  assert.match(out.stdout(), /^\[dryrun\] Request: GET \/api\/v1\/nodes\/node-1$/m);
  assert.deepEqual((node?.metadata.labels ?? {})['kubernetes.io/hostname'], 'node-1');
});

test('a Node PATCH prints kubeadm\'s action lines, then the patch that would be sent, and answers the patched Node', { skip: skipWithoutShared(dryRunTxt) }, async () => {
  const kubeadm = kubeadmBlock('[dryrun] Would perform action PATCH on resource "nodes"', '[dryrun] Attached object:');
  const out = captureOutput();
  const patch = { metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] } };
  const node = await dryRunClient(out).patch({ kind: 'Node', name: 'node-1' }, patch, 'strategic');
  assert.equal(out.stdout(), [
    ...kubeadm.trimEnd().split('\n'),
    '[dryrun] Request: PATCH /api/v1/nodes/node-1 (application/strategic-merge-patch+json)',
    '[dryrun] Attached patch:',
    'metadata:',
    '  labels:',
    '    node-role.kubernetes.io/control-plane: ""',
    'spec:',
    '  taints:',
    '  - effect: NoSchedule',
    '    key: node-role.kubernetes.io/control-plane',
    '',
    '',
  ].join('\n'));
  assert.deepEqual(node.metadata.labels, { 'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/control-plane': '' });
  assert.deepEqual(node.spec, patch.spec);
});

test('GET of anything else, LIST and DELETE print kubeadm\'s lines and answer "absent", [] and true', async () => {
  const out = captureOutput();
  const api = dryRunClient(out, { nodeName: 'node-1' });
  assert.equal(await api.get({ kind: 'Secret', name: 'bootstrap-token-abcdef', namespace: 'kube-system' }), undefined);
  assert.equal(await api.get({ kind: 'Node', name: 'other' }), undefined);
  assert.deepEqual(await api.list('Deployment', 'kube-system', { labelSelector: 'k8s-app=kube-dns' }), []);
  assert.equal(await api.delete({ kind: 'ClusterRoleBinding', name: 'kubeadm:cluster-admins' }), true);
  assert.equal(out.stdout(), [
    '[dryrun] Would perform action GET on resource "secrets" in API group "core/v1"',
    '[dryrun] Resource name "bootstrap-token-abcdef", namespace "kube-system"',
    '[dryrun] Request: GET /api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef',
    '[dryrun] Real object does not exist. Attempting to GET from followup reactors or from the fake client tracker',
    '[dryrun] Would perform action GET on resource "nodes" in API group "core/v1"',
    '[dryrun] Resource name "other", namespace ""',
    '[dryrun] Request: GET /api/v1/nodes/other',
    '[dryrun] Real object does not exist. Attempting to GET from followup reactors or from the fake client tracker',
    '[dryrun] Would perform action LIST on resource "deployments" in API group "apps/v1"',
    '[dryrun] Request: GET /apis/apps/v1/namespaces/kube-system/deployments?labelSelector=k8s-app%3Dkube-dns',
    '[dryrun] Real object does not exist. Attempting to LIST from followup reactors or from the fake client tracker',
    '[dryrun] Would perform action DELETE on resource "clusterrolebindings" in API group "rbac.authorization.k8s.io/v1"',
    '[dryrun] Resource name "kubeadm:cluster-admins", namespace ""',
    '[dryrun] Request: DELETE /apis/rbac.authorization.k8s.io/v1/clusterrolebindings/kubeadm%3Acluster-admins',
    '',
  ].join('\n'));
});

test('UPDATE prints the object it would PUT', async () => {
  const out = captureOutput();
  await dryRunClient(out).update({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'kube-public', resourceVersion: '7' }, data: {} });
  assert.equal(out.stdout(), [
    '[dryrun] Would perform action UPDATE on resource "configmaps" in API group "core/v1"',
    '[dryrun] Request: PUT /api/v1/namespaces/kube-public/configmaps/c',
    '[dryrun] Attached object:',
    'apiVersion: v1',
    'data: {}',
    'kind: ConfigMap',
    'metadata:',
    '  name: c',
    '  namespace: kube-public',
    '  resourceVersion: "7"',
    '',
    '',
  ].join('\n'));
});
