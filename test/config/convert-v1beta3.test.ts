import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argsFromMap, convertCluster, convertInit, convertJoin } from '../../src/config/convert-v1beta3.js';
import { readConfigDocuments } from '../../src/config/decode.js';

test('extraArgs maps become name/value lists sorted by name (kubeadm convertToArgs)', () => {
  assert.deepEqual(argsFromMap({ v: '2', 'audit-log-path': '/a', 'bind-address': '0.0.0.0' }), [
    { name: 'audit-log-path', value: '/a' }, { name: 'bind-address', value: '0.0.0.0' }, { name: 'v', value: '2' },
  ]);
  assert.equal(argsFromMap(undefined), undefined);
});

test('ClusterConfiguration: every component\'s args, and timeoutForControlPlane handed to init', () => {
  const c = convertCluster({
    apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'ClusterConfiguration',
    apiServer: { extraArgs: { b: '1', a: '2' }, certSANs: ['x'], timeoutForControlPlane: '5m0s' },
    controllerManager: { extraArgs: { z: '1' } },
    scheduler: { extraVolumes: [{ name: 'v', hostPath: '/h', mountPath: '/m' }] },
    etcd: { local: { extraArgs: { 'election-timeout': '1000' }, dataDir: '/d' } },
  });
  assert.deepEqual(c.doc, {
    apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration',
    apiServer: { certSANs: ['x'], extraArgs: [{ name: 'a', value: '2' }, { name: 'b', value: '1' }] },
    controllerManager: { extraArgs: [{ name: 'z', value: '1' }] },
    scheduler: { extraVolumes: [{ name: 'v', hostPath: '/h', mountPath: '/m' }] },
    etcd: { local: { dataDir: '/d', extraArgs: [{ name: 'election-timeout', value: '1000' }] } },
  });
  assert.equal(c.controlPlaneTimeout, '5m0s');
  assert.equal(convertCluster({ apiVersion: 'x', kind: 'ClusterConfiguration', apiServer: { timeoutForControlPlane: '0s' } }).controlPlaneTimeout, undefined);
  for (const zero of ['0m0s', '0h0m0s', '0.0s']) {
    assert.equal(convertCluster({ apiVersion: 'x', kind: 'ClusterConfiguration', apiServer: { timeoutForControlPlane: zero } }).controlPlaneTimeout, undefined, zero);
  }
});

test('Init and Join: kubeletExtraArgs, imagePullSerial, discovery.timeout → timeouts.discovery', () => {
  assert.deepEqual(convertInit({ apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'InitConfiguration', nodeRegistration: { kubeletExtraArgs: { 'node-ip': '1.2.3.4' } } }), {
    apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration',
    nodeRegistration: { kubeletExtraArgs: [{ name: 'node-ip', value: '1.2.3.4' }], imagePullSerial: true },
  });
  assert.deepEqual(convertJoin({ apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'JoinConfiguration', discovery: { timeout: '10m', tlsBootstrapToken: 't' } }), {
    apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'JoinConfiguration', discovery: { tlsBootstrapToken: 't' }, timeouts: { discovery: '10m' },
  });
});

test('readConfigDocuments applies a v1beta3 cluster timeoutForControlPlane to the v1beta3 init document', () => {
  const r = readConfigDocuments(
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n---\napiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  timeoutForControlPlane: 8m\n',
    'k.yaml',
  );
  const init = r.documents.find((d) => d.kind === 'InitConfiguration');
  assert.deepEqual(init?.doc, { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration', timeouts: { controlPlaneComponentHealthCheck: '8m' } });
});
