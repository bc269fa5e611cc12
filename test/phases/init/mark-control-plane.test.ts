// init's mark-control-plane phase on a virtual clock: waiting for the kubelet to register the Node (and set
// its hostname label), one strategic-merge PATCH, the taint rules, and the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/api/api-error.js';
import type { KubeObject } from '../../../src/api/objects.js';
import type { InitConfig, Taint } from '../../../src/config/types.js';
import { TimeoutError } from '../../../src/errors.js';
import { captureOutput, type CapturedOutput } from '../../../src/output/output.js';
import { markControlPlane } from '../../../src/phases/init/mark-control-plane.js';
import { fakeHost, type FakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { memoryApi, type MemoryApi } from '../../helpers/memory-api.js';
import { initConfig } from '../../preflight/healthy-host.js';

const registered = (labels: Record<string, string> = { 'kubernetes.io/hostname': 'node-1' }, taints?: Taint[]): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels }, ...(taints ? { spec: { taints } } : {}),
});

async function run(api: MemoryApi, o: { cfg?: InitConfig; host?: FakeHost } = {}): Promise<CapturedOutput> {
  const out = captureOutput();
  await markControlPlane.run!(initContext(o.cfg ?? initConfig(), o.host ?? fakeHost({ hostname: 'node-1' }), out, { api }));
  return out;
}

/** The Node is created by the "kubelet" just before the GET number `n` answers. */
function appearsOnGet(api: MemoryApi, n: number, node: KubeObject): MemoryApi {
  let gets = 0;
  return { ...api, get: async (ref) => { if (++gets === n) api.seed(node); return api.get(ref); } };
}

const withTaints = (taints: Taint[] | undefined) => initConfig((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, taints } } }));

test('prints kubeadm\'s two lines, waits for the Node (3rd poll, 500 ms apart), then patches it once', async () => {
  const base = memoryApi();
  const api = appearsOnGet(base, 3, registered());
  const host = fakeHost({ hostname: 'node-1' });
  const start = host.clock.now().getTime();
  const out = await run(api, { host });
  assert.equal(out.stdout(), [
    '[mark-control-plane] Marking the node node-1 as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]',
    '[mark-control-plane] Marking the node node-1 as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]',
    '',
  ].join('\n'));
  assert.deepEqual(base.requests.map((r) => r.verb), ['get', 'get', 'get', 'patch']);
  assert.equal(host.clock.now().getTime() - start, 1000, 'two 500 ms pauses');
  const patch = base.requests.at(-1)!;
  assert.equal(patch.patchType, 'strategic');
  assert.deepEqual(patch.body, {
    metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } },
    spec: { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] },
  });
  const node = base.stored('Node', 'node-1')!;
  assert.equal(node.metadata.labels?.['node-role.kubernetes.io/control-plane'], '');
  assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'node-1');
});

test('a Node without the hostname label is waited for, not patched', async () => {
  const base = memoryApi();
  let gets = 0;
  const api: MemoryApi = { ...base, get: async (ref) => { if (++gets === 4) base.seed(registered()); return base.get(ref); } };
  base.seed(registered({}));
  await run(api);
  assert.deepEqual(base.requests.map((r) => r.verb), ['get', 'get', 'get', 'get', 'patch']);
});

test('existing taints stay after ours; the explicit empty list adds no taint and prints no taints line', async () => {
  const existing: Taint = { key: 'dedicated', value: 'infra', effect: 'NoExecute' };
  const api = memoryApi();
  api.seed(registered(undefined, [existing]));
  await run(api);
  assert.deepEqual((api.stored('Node', 'node-1')!['spec'] as { taints: unknown }).taints,
    [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }, existing]);

  const none = memoryApi();
  none.seed(registered());
  const out = await run(none, { cfg: withTaints([]) });
  assert.doesNotMatch(out.stdout(), /taints/);
  assert.deepEqual(none.requests.at(-1)!.body, { metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } } });
});

test('API errors on the GET are retried until the Node answers', async () => {
  const base = memoryApi();
  base.seed(registered());
  let gets = 0;
  const api: MemoryApi = { ...base, get: async (ref) => { if (++gets === 1) throw new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'); return base.get(ref); } };
  await run(api);
  assert.equal(base.requests.at(-1)!.verb, 'patch');
});

test('a PATCH refused as Forbidden fails at once', async () => {
  const base = memoryApi();
  base.seed(registered());
  const api: MemoryApi = { ...base, patch: async () => { throw new ApiError(403, 'Forbidden', 'nodes "node-1" is forbidden'); } };
  await assert.rejects(run(api), (err: unknown) => err instanceof ApiError && err.reason === 'Forbidden');
});

test('no Node within timeouts.kubernetesAPICall: a TimeoutError naming the node and what to check', async () => {
  const api = memoryApi();
  const cfg = initConfig((c) => ({ ...c, init: { ...c.init, timeouts: { ...c.init.timeouts, kubernetesAPICallMs: 5000 } } }));
  await assert.rejects(run(api, { cfg }), (err: unknown) => {
    assert.ok(err instanceof TimeoutError);
    assert.match(err.message, /^the Node "node-1" was not ready to be patched after 5s: the Node "node-1" does not exist yet$/);
    assert.match(err.fix ?? '', /kubelet registers the Node/);
    assert.match(err.fix ?? '', /nodeRegistration\.name \(--node-name\)/);
    return true;
  });
  assert.equal(api.requests.length, 10, 'a GET every 500 ms, from 0 s to 4.5 s');
  assert.equal(api.requests.some((r) => r.verb === 'patch'), false);
});

test('a Node that never gets its hostname label times out saying so', async () => {
  const api = memoryApi();
  api.seed(registered({}));
  const cfg = initConfig((c) => ({ ...c, init: { ...c.init, timeouts: { ...c.init.timeouts, kubernetesAPICallMs: 1000 } } }));
  await assert.rejects(run(api, { cfg }), /has no kubernetes\.io\/hostname label yet/);
});
