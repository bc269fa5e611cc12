// The hostPath volumes of the control-plane components: defaults, host CA folders where they exist,
// the flexvolume folder, external etcd certificate folders, and extraVolumes over them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostPathMount } from '../../src/config/types.js';
import { controlPlaneVolumes, etcdCertVolumes } from '../../src/manifests/control-plane-volumes.js';
import { build, config, loadConfig, redHatCAFolders, type Json } from './control-plane-fixture.js';

const byName = (volumes: readonly HostPathMount[]) => Object.fromEntries(volumes.map((v) => [v.name, v]));

test('host CA folders are mounted into the API server and controller manager only where they exist', async () => {
  const cfg = await loadConfig(config());
  const none = controlPlaneVolumes('kube-apiserver', cfg.cluster, new Set());
  assert.deepEqual(none.map((v) => v.name).sort(), ['ca-certs', 'k8s-certs']);
  const rh = controlPlaneVolumes('kube-controller-manager', cfg.cluster, new Set(redHatCAFolders));
  assert.deepEqual(byName(rh)['etc-pki-ca-trust'], {
    name: 'etc-pki-ca-trust', hostPath: '/etc/pki/ca-trust', mountPath: '/etc/pki/ca-trust', readOnly: true, pathType: 'DirectoryOrCreate',
  });
  assert.ok(byName(rh)['etc-pki-tls-certs']);
  assert.deepEqual(controlPlaneVolumes('kube-scheduler', cfg.cluster, new Set(redHatCAFolders)).map((v) => v.name), ['kubeconfig']);
});

test('the flexvolume folder is writable and follows flex-volume-plugin-dir', async () => {
  const cfg = await loadConfig(config('controllerManager:\n  extraArgs:\n  - {name: flex-volume-plugin-dir, value: /var/lib/flex}\n'));
  const flex = byName(controlPlaneVolumes('kube-controller-manager', cfg.cluster, new Set()))['flexvolume-dir'];
  assert.deepEqual(flex, { name: 'flexvolume-dir', hostPath: '/var/lib/flex', mountPath: '/var/lib/flex', readOnly: false, pathType: 'DirectoryOrCreate' });
});

test('extraVolumes come last and replace a default of the same name', async () => {
  const yaml = config(`apiServer:
  extraVolumes:
  - {name: k8s-certs, hostPath: /srv/pki, mountPath: /etc/kubernetes/pki, readOnly: true, pathType: Directory}
  - {name: audit, hostPath: /var/log/audit, mountPath: /var/log/audit}
`);
  const { container, pod } = await build('kube-apiserver', yaml);
  const volumes = pod['spec'].volumes as Json[];
  assert.deepEqual(volumes.filter((v) => v['name'] === 'k8s-certs'), [{ hostPath: { path: '/srv/pki', type: 'Directory' }, name: 'k8s-certs' }]);
  assert.deepEqual((container['volumeMounts'] as Json[]).find((m) => m['name'] === 'audit'), { mountPath: '/var/log/audit', name: 'audit' });
  const names = volumes.map((v) => v['name']);
  assert.deepEqual(names, [...names].sort());
});

test('external etcd certificate folders: covered ones skipped, a parent replaces its children, whole path segments', () => {
  const etcd = (caFile: string, certFile: string, keyFile: string) => ({ endpoints: ['https://e:2379'], caFile, certFile, keyFile });
  const dirs = (vs: HostPathMount[]) => vs.map((v) => `${v.name}=${v.hostPath}`);
  assert.deepEqual(dirs(etcdCertVolumes(etcd('/etc/ssl/certs/ca.pem', '/etc/kubernetes/pki/etcd/c.crt', '/etc/pki/tls/certs/k.key'), '/etc/kubernetes/pki')), []);
  assert.deepEqual(dirs(etcdCertVolumes(etcd('/etc/etcd/pki/ca.crt', '/etc/etcd/c.crt', '/opt/keys/k.key'), '/etc/kubernetes/pki')),
    ['etcd-certs-0=/etc/etcd', 'etcd-certs-1=/opt/keys']);
  assert.deepEqual(dirs(etcdCertVolumes(etcd('/etc/kubernetes/pki-etcd/ca.crt', '', ''), '/etc/kubernetes/pki')),
    ['etcd-certs-0=/etc/kubernetes/pki-etcd']);
  assert.deepEqual(dirs(etcdCertVolumes(etcd('', '', ''), '/etc/kubernetes/pki')), []);
});
