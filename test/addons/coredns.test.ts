// The CoreDNS objects for configurations other than the observed one: an IPv6 or dual-stack service
// subnet, a custom DNS domain, a custom image repository or tag, a subnet too small for the DNS address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreDnsConfigMap, coreDnsDeployment, corefile, isKubeadmCorefile, kubeDnsService } from '../../src/addons/coredns.js';
import { defaultInitConfig } from '../../src/config/default-configs.js';
import type { ClusterConfiguration } from '../../src/config/types.js';
import { ConfigError } from '../../src/errors.js';

const base = defaultInitConfig({ advertiseAddress: '192.0.2.10', nodeName: 'node-1', token: 'abcdef.0123456789abcdef' }).cluster;
const cluster = (c: Partial<ClusterConfiguration>): ClusterConfiguration => ({ ...base, ...c });
const net = (n: Partial<ClusterConfiguration['networking']>) => cluster({ networking: { ...base.networking, ...n } });
const image = (d: ReturnType<typeof coreDnsDeployment>) =>
  ((d['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image);
const clusterIP = (c: ClusterConfiguration) => (kubeDnsService(c)['spec'] as { clusterIP: string }).clusterIP;

test('kube-dns takes the 10th address of the first service subnet, IPv6 included', () => {
  assert.equal(clusterIP(net({ serviceSubnet: '10.96.0.0/12' })), '10.96.0.10');
  assert.equal(clusterIP(net({ serviceSubnet: 'fd00:10:96::/112' })), 'fd00:10:96::a');
  assert.equal(clusterIP(net({ serviceSubnet: 'fd00:10:96::/112,10.96.0.0/12' })), 'fd00:10:96::a');
  assert.equal(clusterIP(net({ serviceSubnet: '10.100.0.0/16,fd00::/108' })), '10.100.0.10');
});

test('a service subnet too small for the DNS address is a ConfigError with the fix', () => {
  assert.throws(() => kubeDnsService(net({ serviceSubnet: '10.96.0.0/29' })), (e: unknown) => e instanceof ConfigError && /serviceSubnet/.test(e.fix ?? ''));
});

test('the Corefile names the cluster DNS domain in its kubernetes and cache blocks', () => {
  const text = (coreDnsConfigMap(net({ dnsDomain: 'corp.example' }))['data'] as { Corefile: string }).Corefile;
  assert.match(text, /^ {4}kubernetes corp\.example in-addr\.arpa ip6\.arpa \{$/m);
  assert.match(text, /disable success corp\.example\n\s+disable denial corp\.example/);
  assert.doesNotMatch(text, /cluster\.local/);
  assert.ok(isKubeadmCorefile(text, 'corp.example'));
  assert.ok(!isKubeadmCorefile(text, 'cluster.local'));
  // The Corefile of earlier kubeadm versions (plain `cache 30`) is kubeadm's too.
  assert.ok(isKubeadmCorefile(corefile('corp.example').replace(/cache 30 \{\n[^}]*\}/, 'cache 30'), 'corp.example'));
});

test('images: the default registry uses coredns/coredns, others the flat name; dns overrides win', () => {
  assert.equal(image(coreDnsDeployment(cluster({ kubernetesVersion: 'v1.34.0' }), 2)), 'registry.k8s.io/coredns/coredns:v1.12.3');
  assert.equal(image(coreDnsDeployment(cluster({ kubernetesVersion: 'v1.34.0', imageRepository: 'mirror.example/k8s' }), 2)), 'mirror.example/k8s/coredns:v1.12.3');
  const dns = { imageRepository: 'dns.example', imageTag: 'v9.9.9', disabled: false };
  assert.equal(image(coreDnsDeployment(cluster({ dns }), 2)), 'dns.example/coredns:v9.9.9');
});

test('each call gives a fresh object: changing one never reaches the next', () => {
  const a = coreDnsDeployment(base, 2);
  (a['spec'] as { replicas: number }).replicas = 9;
  assert.equal((coreDnsDeployment(base, 2)['spec'] as { replicas: number }).replicas, 2);
});
