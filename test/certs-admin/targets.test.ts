// What renew and check-expiration cover: kubeadm's list and order, the CA of each, what an
// external etcd removes, and which static pods a renewal restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caTargets, podsToRestart, renewTargets } from '../../src/certs-admin/targets.js';
import { testConfig } from './pki-fixture.js';

const external = testConfig((c) => ({
  ...c, cluster: { ...c.cluster, etcd: { external: { endpoints: ['https://10.0.0.9:2379'], caFile: '', certFile: '', keyFile: '' } } },
})).cluster;

test('every certificate a CA signs and the four kubeconfigs, sorted by name as kubeadm lists them; no CA, no kubelet.conf', () => {
  assert.deepEqual(renewTargets().map((t) => t.name), [
    'admin.conf', 'apiserver', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'controller-manager.conf',
    'etcd-healthcheck-client', 'etcd-peer', 'etcd-server', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf',
  ]);
  assert.deepEqual(caTargets().map((c) => c.name), ['ca', 'etcd-ca', 'front-proxy-ca']);
});

test('each target has its signing CA; kubeconfig client certificates are signed by the cluster CA', () => {
  const caOf = Object.fromEntries(renewTargets().map((t) => [t.name, t.ca.name]));
  assert.deepEqual(caOf, {
    'admin.conf': 'ca', apiserver: 'ca', 'apiserver-etcd-client': 'etcd-ca', 'apiserver-kubelet-client': 'ca', 'controller-manager.conf': 'ca',
    'etcd-healthcheck-client': 'etcd-ca', 'etcd-peer': 'etcd-ca', 'etcd-server': 'etcd-ca', 'front-proxy-client': 'front-proxy-ca',
    'scheduler.conf': 'ca', 'super-admin.conf': 'ca',
  });
  const admin = renewTargets().find((t) => t.name === 'admin.conf')!;
  assert.equal(admin.kind, 'kubeconfig');
  assert.equal(admin.longName, 'certificate embedded in the kubeconfig file for the admin to use and for tskubeadm itself');
  assert.equal(renewTargets().find((t) => t.name === 'apiserver')!.longName, 'certificate for serving the Kubernetes API');
});

test('with an external etcd the etcd certificates and the etcd CA are not part of the cluster', () => {
  assert.deepEqual(renewTargets(external).map((t) => t.name), [
    'admin.conf', 'apiserver', 'apiserver-kubelet-client', 'controller-manager.conf', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf',
  ]);
  assert.deepEqual(caTargets(external).map((c) => c.name), ['ca', 'front-proxy-ca']);
  assert.equal(renewTargets(testConfig().cluster).length, 11);
});

test('only the static pods that load a renewed certificate at start-up must restart, in kubeadm order', () => {
  const pick = (...names: string[]) => renewTargets().filter((t) => names.includes(t.name));
  assert.deepEqual(podsToRestart(renewTargets()), ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']);
  assert.deepEqual(podsToRestart(pick('etcd-server', 'apiserver-etcd-client')), ['kube-apiserver', 'etcd']);
  assert.deepEqual(podsToRestart(pick('scheduler.conf')), ['kube-scheduler']);
  assert.deepEqual(podsToRestart(pick('controller-manager.conf', 'front-proxy-client')), ['kube-apiserver', 'kube-controller-manager']);
  assert.deepEqual(podsToRestart(pick('admin.conf', 'super-admin.conf', 'etcd-healthcheck-client')), []);
});
