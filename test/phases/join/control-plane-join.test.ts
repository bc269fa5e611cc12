// join's control-plane-join mark-control-plane on a fake host and an in-memory API: the joining node's Node (node-2,
// registered by its kubelet) gets kubeadm's control-plane labels and taint in one strategic-merge PATCH, as init's
// mark-control-plane does for the first node; a worker join does not run it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/objects.js';
import type { InitConfig, Taint } from '../../../src/config/types.js';
import { captureOutput } from '../../../src/output/output.js';
import { controlPlaneJoin as controlPlaneJoinPhase } from '../../../src/phases/join/control-plane-join.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { joinContext } from '../../helpers/join-context.js';
import { memoryApi } from '../../helpers/memory-api.js';
import { initConfig } from '../../preflight/healthy-host.js';
import { controlPlaneJoin, joiningCluster } from './control-plane-fixture.js';

const mark = controlPlaneJoinPhase.phases!.find((p) => p.name === 'mark-control-plane')!;
const controlPlaneTaint: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const labels = { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' };

const registered = (taints?: Taint[]): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2', labels: { 'kubernetes.io/hostname': 'node-2' } }, ...(taints ? { spec: { taints } } : {}),
});

function withTaints(taints: Taint[] | undefined): InitConfig {
  const c = joiningCluster(initConfig());
  return { ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, taints } } };
}

async function run(cluster: InitConfig, node: KubeObject) {
  const api = memoryApi();
  api.seed(node);
  const out = captureOutput();
  const ctx = joinContext({ cfg: controlPlaneJoin(''), host: fakeHost({ hostname: 'node-2' }), out, cluster, adminApi: api });
  assert.equal(mark.runIf!(ctx), true);
  await mark.run!(ctx);
  return { api, out };
}

describe('join control-plane-join mark-control-plane', () => {
  it('labels and taints the joining node\'s Node as init marks the first one', async () => {
    const { api, out } = await run(withTaints([controlPlaneTaint]), registered());
    assert.equal(out.stdout(), [
      '[mark-control-plane] Marking the node node-2 as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]',
      '[mark-control-plane] Marking the node node-2 as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]',
      '',
    ].join('\n'));
    const patch = api.requests.at(-1)!;
    assert.equal(patch.verb, 'patch');
    assert.equal(patch.patchType, 'strategic');
    assert.deepEqual(patch.body, {
      metadata: { labels },
      spec: { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] },
    });
    const node = api.stored('Node', 'node-2')!;
    assert.deepEqual(node.metadata.labels, { 'kubernetes.io/hostname': 'node-2', ...labels });
    assert.deepEqual((node['spec'] as { taints: unknown }).taints, [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }]);
  });

  it('no taints in the configuration: kubeadm\'s control-plane taint, the Node\'s own taints kept after it', async () => {
    const own: Taint = { key: 'dedicated', value: 'infra', effect: 'NoExecute' };
    const { api } = await run(withTaints(undefined), registered([own]));
    assert.deepEqual((api.stored('Node', 'node-2')!['spec'] as { taints: unknown }).taints,
      [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }, own]);
  });

  it('the explicit empty list: labels only', async () => {
    const { api, out } = await run(withTaints([]), registered());
    assert.doesNotMatch(out.stdout(), /taints/);
    assert.deepEqual(api.requests.at(-1)!.body, { metadata: { labels } });
  });

  it('a worker join skips it', () => {
    const join = controlPlaneJoin('');
    const ctx = joinContext({ cfg: { ...join, join: { ...join.join, controlPlane: undefined } }, host: fakeHost() });
    assert.equal(mark.runIf!(ctx), false);
  });
});
