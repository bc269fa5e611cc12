// Golden files of the defaulted internal model for a few inputs (test/golden/config/model-*.json,
// rewritten only with UPDATE_GOLDEN=1), and the placeholder builders against kubeadm's observed defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInitConfig, loadJoinConfig, loadResetConfig } from '../../src/config/load.js';
import { defaultInitConfig, defaultJoinConfig, defaultResetConfig } from '../../src/config/default-configs.js';
import { assertGolden } from '../helpers/golden.js';
import { configHost } from './config-host.js';

/** The defaulted model as JSON, compared with test/golden/config/<name>. */
const golden = (name: string, value: unknown): void => assertGolden(`config/${name}`, `${JSON.stringify(value, null, 2)}\n`);

const token = 'abcdef.0123456789abcdef';

test('golden: init from flags only', async () => {
  golden('model-init-flags.json', await loadInitConfig({ host: configHost(), flags: { token, 'kubernetes-version': 'v1.34.2' } }));
});

test('golden: v1beta3 init + cluster + kubelet (converted and defaulted)', async () => {
  const text = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: stable-1.34
controlPlaneEndpoint: lb.example.com
apiServer:
  certSANs: [LB.Example.com, 10.0.0.5]
  timeoutForControlPlane: 6m0s
  extraArgs:
    v: "4"
    audit-log-path: /var/log/a.log
etcd:
  local:
    extraArgs:
      listen-metrics-urls: http://0.0.0.0:2381
networking:
  podSubnet: 10.244.0.0/16
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
bootstrapTokens:
- token: ${token}
  ttl: 2h
nodeRegistration:
  name: CP-1
  criSocket: /run/containerd/containerd.sock
  taints: []
  kubeletExtraArgs:
    node-ip: 10.0.0.5
localAPIEndpoint:
  advertiseAddress: 10.0.0.5
  bindPort: 8443
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
`;
  golden('model-init-v1beta3.json', await loadInitConfig({ host: configHost({ files: { '/k.yaml': text } }), configPath: '/k.yaml', flags: {} }));
});

test('golden: v1beta3 control-plane join (discovery.timeout moves to timeouts.discovery)', async () => {
  const text = `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
discovery:
  bootstrapToken:
    token: ${token}
    apiServerEndpoint: lb.example.com:6443
    caCertHashes: [sha256:${'0123456789abcdef'.repeat(4)}]
  timeout: 10m
controlPlane:
  certificateKey: ${'ab'.repeat(32)}
`;
  golden('model-join-v1beta3.json', await loadJoinConfig({ host: configHost({ files: { '/j.yaml': text } }), configPath: '/j.yaml', flags: {} }));
});

test('golden: reset from flags', async () => {
  golden('model-reset-flags.json', await loadResetConfig({ host: configHost(), flags: { force: true } }));
});

test('placeholder builders hold what `config print *-defaults` shows', () => {
  const init = defaultInitConfig({ advertiseAddress: '1.2.3.4', nodeName: 'node', token });
  assert.equal(init.init.localAPIEndpoint.bindPort, 6443);
  assert.deepEqual(init.init.bootstrapTokens, [{ token, ttlMs: 86_400_000, usages: ['signing', 'authentication'], groups: ['system:bootstrappers:kubeadm:default-node-token'] }]);
  assert.deepEqual(
    { ...init.cluster, apiServer: undefined, controllerManager: undefined, scheduler: undefined, etcd: undefined },
    {
      networking: { serviceSubnet: '10.96.0.0/12', podSubnet: '', dnsDomain: 'cluster.local' },
      kubernetesVersion: 'v1.35.0', controlPlaneEndpoint: '', dns: { imageRepository: '', imageTag: '', disabled: false }, proxy: { disabled: false },
      certificatesDir: '/etc/kubernetes/pki', imageRepository: 'registry.k8s.io', featureGates: {}, clusterName: 'kubernetes',
      encryptionAlgorithm: 'RSA-2048', certificateValidityPeriodMs: 8760 * 3_600_000, caCertificateValidityPeriodMs: 87600 * 3_600_000,
      apiServer: undefined, controllerManager: undefined, scheduler: undefined, etcd: undefined,
    },
  );
  assert.equal(init.cluster.etcd.local?.dataDir, '/var/lib/etcd');
  const join = defaultJoinConfig({ nodeName: 'vm', apiServerEndpoint: 'kube-apiserver:6443', token });
  assert.equal(join.join.caCertPath, '/etc/kubernetes/pki/ca.crt');
  assert.equal(join.join.discovery.tlsBootstrapToken, token);
  assert.equal(join.join.discovery.bootstrapToken?.unsafeSkipCAVerification, true);
  const reset = defaultResetConfig();
  assert.equal(reset.reset.criSocket, 'unix:///var/run/containerd/containerd.sock');
  assert.deepEqual(reset.reset.timeouts, {
    controlPlaneComponentHealthCheckMs: 240_000, kubeletHealthCheckMs: 240_000, kubernetesAPICallMs: 60_000, etcdAPICallMs: 120_000,
    tlsBootstrapMs: 300_000, discoveryMs: 300_000, upgradeManifestsMs: 300_000,
  });
});
