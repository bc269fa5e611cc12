// init's upload-config phase against the in-memory API: kubeadm's lines, the objects in kubeadm's order,
// create-or-update on a re-run, and the CRI socket annotation when NodeLocalCRISocket is off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentConfigHashAnnotation } from '../../../src/cluster-objects/component-config-hash.js';
import type { InitConfig } from '../../../src/config/types.js';
import { captureOutput, type CapturedOutput } from '../../../src/output/output.js';
import { uploadConfig } from '../../../src/phases/init/upload-config.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { memoryApi, type MemoryApi } from '../../helpers/memory-api.js';
import { initConfig } from '../../preflight/healthy-host.js';

const [, kubeadmPhase, kubeletPhase] = uploadConfig.phases!;

async function run(api: MemoryApi, cfg: InitConfig = initConfig(), out: CapturedOutput = captureOutput()): Promise<CapturedOutput> {
  const ctx = initContext(cfg, fakeHost({ hostname: 'node-1' }), out, { api });
  await kubeadmPhase!.run!(ctx);
  await kubeletPhase!.run!(ctx);
  return out;
}

const short = (api: MemoryApi) => api.requests.map((r) => `${r.verb} ${r.kind} ${r.namespace ?? ''}/${r.name ?? ''}`);

test('tree: upload-config with all, kubeadm, kubelet', () => {
  assert.deepEqual(uploadConfig.phases!.map((p) => p.name), ['all', 'kubeadm', 'kubelet']);
  assert.equal(uploadConfig.phases![0]!.selectsParent, true);
});

test('a first run prints kubeadm\'s two lines and creates six objects in kubeadm\'s order', async () => {
  const api = memoryApi();
  const out = await run(api);
  assert.equal(out.stdout(), [
    '[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace',
    '[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster',
    '',
  ].join('\n'));
  assert.deepEqual(short(api), [
    'create ConfigMap kube-system/kubeadm-config', 'create Role kube-system/kubeadm:nodes-kubeadm-config',
    'create RoleBinding kube-system/kubeadm:nodes-kubeadm-config', 'create ConfigMap kube-system/kubelet-config',
    'create Role kube-system/kubeadm:kubelet-config', 'create RoleBinding kube-system/kubeadm:kubelet-config',
  ]);
  const kubelet = api.stored('ConfigMap', 'kubelet-config', 'kube-system')!;
  assert.match(kubelet.metadata.annotations?.[componentConfigHashAnnotation] ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.match((api.stored('ConfigMap', 'kubeadm-config', 'kube-system')!['data'] as Record<string, string>)['ClusterConfiguration']!, /^kind: ClusterConfiguration$/m);
});

test('a re-run updates: kubeadm-config keeps keys it does not own, the rest is replaced', async () => {
  const api = memoryApi();
  api.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: 'old', ClusterStatus: 'kept' } });
  api.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubelet-config', namespace: 'kube-system' }, data: { kubelet: 'old', extra: 'dropped' } });
  api.seed({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'kubeadm:kubelet-config', namespace: 'kube-system' }, rules: [] });
  await run(api);
  const kubeadmData = api.stored('ConfigMap', 'kubeadm-config', 'kube-system')!['data'] as Record<string, string>;
  assert.equal(kubeadmData['ClusterStatus'], 'kept');
  assert.notEqual(kubeadmData['ClusterConfiguration'], 'old');
  const kubeletData = api.stored('ConfigMap', 'kubelet-config', 'kube-system')!['data'] as Record<string, string>;
  assert.deepEqual(Object.keys(kubeletData), ['kubelet']);
  assert.match(kubeletData['kubelet']!, /^kind: KubeletConfiguration$/m);
  assert.equal((api.stored('Role', 'kubeadm:kubelet-config', 'kube-system')!['rules'] as unknown[]).length, 1);
  const updates = api.requests.filter((r) => r.verb === 'update').map((r) => `${r.kind} ${r.name}`);
  assert.deepEqual(updates, ['ConfigMap kubeadm-config', 'ConfigMap kubelet-config', 'Role kubeadm:kubelet-config']);
});

test('NodeLocalCRISocket off: the Node gets the CRI socket annotation once it is registered', async () => {
  const api = memoryApi();
  api.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } } });
  const cfg = initConfig((c) => ({ ...c, cluster: { ...c.cluster, featureGates: { NodeLocalCRISocket: false } } }));
  await run(api, cfg);
  const node = api.stored('Node', 'node-1')!;
  assert.equal(node.metadata.annotations?.['kubeadm.alpha.kubernetes.io/cri-socket'], cfg.init.nodeRegistration.criSocket);
  const patch = api.requests.find((r) => r.verb === 'patch')!;
  assert.equal(patch.patchType, 'strategic');
});

test('NodeLocalCRISocket on (the default): the Node is not touched', async () => {
  const api = memoryApi();
  await run(api);
  assert.equal(api.requests.some((r) => r.kind === 'Node'), false);
});
