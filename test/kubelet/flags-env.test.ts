import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Arg, InitConfig } from '../../src/config/types.js';
import {
  kubeletFlags, kubeletFlagsEnv, nodeNameOf, passesPodInfraImage, taintFlagValue, type KubeletFlagsOptions,
} from '../../src/kubelet/flags-env.js';
import { assertGolden } from '../helpers/golden.js';
import { initConfig } from '../preflight/healthy-host.js';
import { observedConfig, observedFile, observedHostname, skipReference } from './reference.js';

const cfg34 = (edit: (c: InitConfig) => InitConfig = (c) => c): InitConfig =>
  initConfig((c) => edit({ ...c, cluster: { ...c.cluster, kubernetesVersion: 'v1.34.2' } }));

function opts(cfg: InitConfig, o: Partial<KubeletFlagsOptions> = {}): KubeletFlagsOptions {
  return { cluster: cfg.cluster, nodeRegistration: cfg.init.nodeRegistration, hostname: 'node-1', nodeLocalCRISocket: true, registerTaints: false, ...o };
}

const env = (cfg: InitConfig, o: Partial<KubeletFlagsOptions> = {}, extra: readonly Arg[] = cfg.init.nodeRegistration.kubeletExtraArgs) =>
  kubeletFlagsEnv(kubeletFlags(opts(cfg, o)), extra);

test('kubeadm-flags.env equals what kubeadm wrote for init-dry-run.config.yaml', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const text = env(cfg, { hostname: observedHostname });
  assert.equal(text, observedFile('/var/lib/kubelet/kubeadm-flags.env'));
  assertGolden('kubelet/observed-kubeadm-flags.env', text);
});

test('a 1.34 node named apart from its host (the reference case, without ../shared)', () => {
  const cfg = cfg34((c) => ({ ...c, cluster: { ...c.cluster, kubernetesVersion: 'v1.34.0' } }));
  assertGolden('kubelet/observed-kubeadm-flags.env', env(cfg, { hostname: observedHostname }));
});

test('the hostname is compared lower-cased and trimmed: no override when it names this node', () => {
  assert.equal(env(cfg34(), { hostname: 'node-1' }), 'KUBELET_KUBEADM_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n');
  assert.equal(env(cfg34(), { hostname: ' Node-1\n' }), 'KUBELET_KUBEADM_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n');
  assert.match(env(cfg34(), { hostname: 'other' }), /--hostname-override=node-1 /);
});

test('--pod-infra-container-image only for kubelets before 1.35, which refuse the flag', () => {
  assert.equal(passesPodInfraImage('v1.34.0'), true);
  assert.equal(passesPodInfraImage('v1.35.0'), false);
  assert.equal(passesPodInfraImage('v1.36.1'), false);
  assert.equal(env(initConfig()), 'KUBELET_KUBEADM_ARGS=""\n'); // initConfig() deploys v1.35.0
  const mirror = cfg34((c) => ({ ...c, cluster: { ...c.cluster, imageRepository: 'mirror.example/k8s' } }));
  assert.equal(env(mirror), 'KUBELET_KUBEADM_ARGS="--pod-infra-container-image=mirror.example/k8s/pause:3.10.1"\n');
});

test('NodeLocalCRISocket off: the runtime endpoint is a flag', () => {
  const text = env(cfg34(), { nodeLocalCRISocket: false });
  assert.equal(text, 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock ' +
    '--pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n');
  assertGolden('kubelet/gate-off-kubeadm-flags.env', text);
});

test('kubeletExtraArgs override kubeadm flags of the same name, add their own, and everything is sorted', () => {
  const extra: Arg[] = [
    { name: 'node-ip', value: '192.0.2.10' },
    { name: 'pod-infra-container-image', value: 'mine/pause:1' },
    { name: 'cgroup-driver', value: 'cgroupfs' },
  ];
  assert.equal(env(cfg34(), { hostname: 'x' }, extra),
    'KUBELET_KUBEADM_ARGS="--cgroup-driver=cgroupfs --hostname-override=node-1 --node-ip=192.0.2.10 --pod-infra-container-image=mine/pause:1"\n');
});

test('a hostname-override extra arg names the node and is the only override written', () => {
  const cfg = cfg34((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, kubeletExtraArgs: [
    { name: 'hostname-override', value: 'first' }, { name: 'hostname-override', value: 'cp-a' },
  ] } } }));
  assert.equal(nodeNameOf(cfg.init.nodeRegistration, 'node-1'), 'cp-a');
  assert.equal(env(cfg, { hostname: 'node-1' }),
    'KUBELET_KUBEADM_ARGS="--hostname-override=cp-a --hostname-override=first --pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n');
  assert.equal(nodeNameOf({ name: '', kubeletExtraArgs: [] }, ' Host-A '), 'host-a');
});

test('taints are registered only when asked (worker joins), as key=value:Effect', () => {
  const cfg = cfg34((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, taints: [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'spot', effect: 'PreferNoSchedule' },
  ] } } }));
  assert.doesNotMatch(env(cfg), /register-with-taints/);
  assert.match(env(cfg, { registerTaints: true }), /--register-with-taints=dedicated=gpu:NoSchedule,spot:PreferNoSchedule"/);
  assert.equal(taintFlagValue({ key: 'k', value: '', effect: 'NoExecute' }), 'k:NoExecute');
});

test('values are quoted as Go %q', () => {
  const text = kubeletFlagsEnv([], [{ name: 'node-labels', value: 'a="b"' }, { name: 'root-dir', value: 'C:\\k' }]);
  assert.equal(text, 'KUBELET_KUBEADM_ARGS="--node-labels=a=\\"b\\" --root-dir=C:\\\\k"\n');
});
