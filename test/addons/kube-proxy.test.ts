// The kube-proxy objects for configurations other than the observed one: no controlPlaneEndpoint, an
// IPv6 node, a user KubeProxyConfiguration, a custom image repository; the hash covers the data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { kubeProxyConfigMap, kubeProxyDaemonSet } from '../../src/addons/kube-proxy.js';
import { componentConfigHash } from '../../src/cluster-objects/component-config-hash.js';
import { defaultInitConfig } from '../../src/config/default-configs.js';
import type { ClusterConfiguration } from '../../src/config/types.js';

const cfg = defaultInitConfig({ advertiseAddress: '192.0.2.10', nodeName: 'node-1', token: 'abcdef.0123456789abcdef' });
const local = (advertiseAddress: string) => ({ advertiseAddress, bindPort: 6443 });
const data = (c: ClusterConfiguration, address = '192.0.2.10', given?: Record<string, unknown>) =>
  kubeProxyConfigMap({ cluster: c, given, localAPIEndpoint: local(address) })['data'] as Record<string, string>;

test('without controlPlaneEndpoint kube-proxy talks to this node; the text ends without a newline', () => {
  const d = data({ ...cfg.cluster, controlPlaneEndpoint: '' });
  assert.match(d['kubeconfig.conf']!, /^ {4}server: https:\/\/192\.0\.2\.10:6443$/m);
  assert.ok(!d['kubeconfig.conf']!.endsWith('\n') && !d['config.conf']!.endsWith('\n'));
  assert.match(d['kubeconfig.conf']!, /^apiVersion: v1\nkind: Config\nclusters:\n/);
});

test('an IPv6 node binds kube-proxy to :: and brackets the server', () => {
  const d = data({ ...cfg.cluster, controlPlaneEndpoint: '' }, 'fd00::10');
  assert.equal(parse(d['config.conf']!).bindAddress, '::');
  assert.match(d['kubeconfig.conf']!, /server: https:\/\/\[fd00::10\]:6443/);
});

test('a user KubeProxyConfiguration is kept and not signed (kubeadm signs only the configs it generated)', () => {
  const cm = kubeProxyConfigMap({ cluster: cfg.cluster, given: { mode: 'ipvs', ipvs: { strictARP: true } }, localAPIEndpoint: local('192.0.2.10') });
  const d = cm['data'] as Record<string, string>;
  const conf = parse(d['config.conf']!);
  assert.equal(conf.mode, 'ipvs');
  assert.equal(conf.ipvs.strictARP, true);
  assert.equal(cm.metadata.annotations, undefined);
  assert.deepEqual(cm.metadata.labels, { app: 'kube-proxy' });
  const generated = kubeProxyConfigMap({ cluster: cfg.cluster, given: undefined, localAPIEndpoint: local('192.0.2.10') });
  assert.equal(generated.metadata.annotations!['kubeadm.kubernetes.io/component-config.hash'], componentConfigHash(generated['data'] as Record<string, string>));
});

test('the DaemonSet image follows imageRepository and the Kubernetes version', () => {
  const ds = kubeProxyDaemonSet({ ...cfg.cluster, imageRepository: 'mirror.example/k8s', kubernetesVersion: 'v1.34.2' });
  const c = (ds['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!;
  assert.equal(c.image, 'mirror.example/k8s/kube-proxy:v1.34.2');
});
