import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { migrateConfig } from '../../src/config/migrate.js';
import { readConfigDocuments } from '../../src/config/decode.js';
import { ConfigError } from '../../src/errors.js';
import { fakeHost } from '../helpers/fake-host.js';

// Inline fixtures shaped like the corpus' v1beta3 files (HA with external etcd, a
// control-plane join, component configs after the kubeadm documents).
const haExternalEtcd = `# HA cluster, external etcd
apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
bootstrapTokens:
- token: "abcdef.0123456789abcdef"
  ttl: 2h0m0s
localAPIEndpoint:
  advertiseAddress: 10.0.1.10
nodeRegistration:
  name: k8s-master01
  criSocket: unix:///var/run/containerd/containerd.sock
  kubeletExtraArgs:
    node-labels: "zone=az1"
    cgroup-driver: systemd
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.34.3
controlPlaneEndpoint: "k8s-api.example.com:6443"
networking:
  podSubnet: "10.244.0.0/16"
etcd:
  external:
    endpoints:
      - https://etcd1.example.com:2379
      - https://etcd2.example.com:2379
    caFile: /etc/kubernetes/pki/etcd/ca.crt
    certFile: /etc/kubernetes/pki/apiserver-etcd-client.crt
    keyFile: /etc/kubernetes/pki/apiserver-etcd-client.key
apiServer:
  timeoutForControlPlane: 8m0s
  certSANs:
    - "k8s-api.example.com"
  extraArgs:
    profiling: "false"
    audit-log-maxage: "30"
controllerManager:
  extraArgs:
    bind-address: 0.0.0.0
---
kind: KubeletConfiguration
apiVersion: kubelet.config.k8s.io/v1beta1
cgroupDriver: systemd
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
`;

const controlPlaneJoin = `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
discovery:
  bootstrapToken:
    token: "abcdef.0123456789abcdef"
    apiServerEndpoint: "k8s-api.example.com:6443"
    caCertHashes:
      - "sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef"
  timeout: 3m0s
nodeRegistration:
  name: k8s-master02
  criSocket: unix:///var/run/containerd/containerd.sock
  kubeletExtraArgs:
    node-labels: "zone=az2"
controlPlane:
  localAPIEndpoint:
    advertiseAddress: 10.0.1.11
    bindPort: 6443
  certificateKey: "abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890"
`;

async function migrate(text: string, hostname = 'node-x') {
  const host = fakeHost({ hostname, files: { '/old.yaml': text } });
  return { host, result: await migrateConfig({ host, oldConfigPath: '/old.yaml' }) };
}

function kindsOf(text: string): string[] {
  return parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
}

test('a v1beta3 HA config becomes v1beta4, defaulted, with its component configs kept', async () => {
  const { host, result } = await migrate(haExternalEtcd);
  const out = result.text;
  assert.deepEqual(kindsOf(out), ['InitConfiguration', 'ClusterConfiguration', 'KubeletConfiguration', 'KubeProxyConfiguration']);
  assert.doesNotMatch(out, /v1beta3|timeoutForControlPlane/);
  // timeoutForControlPlane moved into the init timeouts
  assert.match(out, /^ {2}controlPlaneComponentHealthCheck: 8m0s$/m);
  // extraArgs maps became name/value lists, sorted by name as kubeadm's conversion does
  assert.match(out, /^ {2}extraArgs:\n {2}- name: audit-log-maxage\n {4}value: "30"\n {2}- name: profiling\n {4}value: "false"$/m);
  assert.match(out, /^ {2}kubeletExtraArgs:\n {2}- name: cgroup-driver\n {4}value: systemd\n {2}- name: node-labels\n {4}value: zone=az1$/m);
  // defaulted as init would read it, including the control-plane taint kubeadm's dynamic defaults add
  assert.match(out, /^ {2}taints:\n {2}- effect: NoSchedule\n {4}key: node-role\.kubernetes\.io\/control-plane$/m);
  assert.match(out, /^ {2}ttl: 2h0m0s$/m);
  assert.match(out, /^ {4}caFile: \/etc\/kubernetes\/pki\/etcd\/ca\.crt$/m);
  assert.match(out, /^ {2}usages:\n {2}- signing\n {2}- authentication$/m);
  // component configs as the user wrote them
  assert.match(out, /---\napiVersion: kubelet\.config\.k8s\.io\/v1beta1\ncgroupDriver: systemd\nkind: KubeletConfiguration\n---\n/);
  assert.match(out, /mode: ipvs\n$/);
  // the result reads back cleanly, with no deprecation warning left
  const back = readConfigDocuments(out, 'new.yaml');
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.warnings, []);
  // the "run config migrate" advice is not repeated by the command doing it
  assert.ok(!result.warnings.some((w) => /deprecated API spec/.test(w)), result.warnings.join('\n'));
  assert.deepEqual(host.mutations, []);
});

test('a v1beta3 control-plane join keeps its control plane and moves discovery.timeout', async () => {
  const { result } = await migrate(controlPlaneJoin);
  const out = result.text;
  assert.deepEqual(kindsOf(out), ['JoinConfiguration']);
  assert.match(out, /^controlPlane:\n {2}certificateKey: abcdef1234567890/m);
  assert.match(out, /^ {2}discovery: 3m0s$/m);
  assert.match(out, /^ {2}tlsBootstrapToken: abcdef\.0123456789abcdef$/m);
  assert.match(out, /^ {2}name: k8s-master02$/m);
  assert.match(out, /^ {2}taints:\n {2}- effect: NoSchedule/m); // a control-plane node
  assert.deepEqual(readConfigDocuments(out, 'new.yaml').problems, []);
});

test('a worker join keeps taints: null', async () => {
  const worker = controlPlaneJoin.slice(0, controlPlaneJoin.indexOf('controlPlane:'));
  const { result } = await migrate(worker);
  assert.match(result.text, /^ {2}taints: null$/m);
});

test('migrating the output again changes nothing', async () => {
  const first = (await migrate(haExternalEtcd)).result.text;
  const second = (await migrate(first)).result.text;
  assert.equal(second, first);
});

test('node name and other dynamic defaults come from the host, as init would take them', async () => {
  const noName = haExternalEtcd.replace('  name: k8s-master01\n', '');
  const { result } = await migrate(noName, 'Host-7');
  assert.match(result.text, /^ {2}name: host-7$/m);
});

test('a control plane older than 1.34 is refused, as kubeadm\'s migrate validates', async () => {
  const old = haExternalEtcd.replace('v1.34.3', 'v1.29.1');
  await assert.rejects(migrate(old), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /only supports deploying clusters with the control plane version >= 1\.34\.0/);
    return true;
  });
});

test('problems in the file are all reported, and nothing is migrated', async () => {
  const bad = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
bogus: 1
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
discovery:
  bootstrapToken:
    token: abcdef.0123456789abcdef
    apiServerEndpoint: 10.0.0.1:6443
    unsafeSkipCAVerification: true
    extra: true
`;
  await assert.rejects(migrate(bad), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.problems.length, 2, e.message);
    return true;
  });
});

test('a file without kubeadm documents, or no file at all, is an error', async () => {
  await assert.rejects(migrate('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n'), /has no kubeadm\.k8s\.io document to migrate/);
  const host = fakeHost();
  await assert.rejects(migrateConfig({ host, oldConfigPath: '/missing.yaml' }), ConfigError);
});

test('a v1beta4 UpgradeConfiguration is kept as written', async () => {
  const text = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.35.0
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: UpgradeConfiguration
apply:
  forceUpgrade: true
`;
  const { result } = await migrate(text);
  assert.deepEqual(kindsOf(result.text), ['InitConfiguration', 'ClusterConfiguration', 'UpgradeConfiguration']);
  assert.match(result.text, /---\napiVersion: kubeadm\.k8s\.io\/v1beta4\napply:\n {2}forceUpgrade: true\nkind: UpgradeConfiguration\n$/);
});
