// init's addon phase against the in-memory API: every request and object as a real kubeadm printed them
// for init-dry-run.config.yaml, its lines, disabled addons, re-runs (replicas and edited Corefiles kept,
// kubeadm's Corefile replaced), the kube-dns Service update paths, --patches on the Deployment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/api/api-error.js';
import type { KubeObject } from '../../../src/api/objects.js';
import { corefile } from '../../../src/addons/coredns.js';
import { kubeProxyConfigMap } from '../../../src/addons/kube-proxy.js';
import { toGoYaml } from '../../../src/config/encode.js';
import type { InitConfig } from '../../../src/config/types.js';
import { captureOutput } from '../../../src/output/output.js';
import { addon } from '../../../src/phases/init/addons.js';
import type { InitContext } from '../../../src/phases/init/context.js';
import type { PatchSet } from '../../../src/patches/patch-set.js';
import type { Phase } from '../../../src/workflow/phase.js';
import { observedRequests, shownAs } from '../../helpers/observed-api.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { memoryApi, type MemoryApi } from '../../helpers/memory-api.js';
import { observedConfig, observedLines, skipReference } from '../../kubelet/reference.js';

const child = (name: string): Phase<InitContext> => addon.phases!.find((p) => p.name === name)!;
const section = () => observedRequests('[dryrun] Would perform action LIST on resource "deployments"', 'Your Kubernetes control-plane');

/** The addon phase as the workflow runs it: each child whose runIf holds, in order. */
async function run(cfg: InitConfig, o: { api?: MemoryApi; patches?: PatchSet } = {}) {
  const api = o.api ?? memoryApi();
  const out = captureOutput();
  const ctx = initContext(cfg, fakeHost(), out, { api, ...(o.patches ? { patches: o.patches } : {}) });
  const ran: string[] = [];
  for (const p of addon.phases!) {
    if (p.run === undefined || (p.runIf !== undefined && !p.runIf(ctx))) continue;
    ran.push(p.name);
    await p.run(ctx);
  }
  return { api, out, ran };
}

const withCluster = (cfg: InitConfig, c: Partial<InitConfig['cluster']>): InitConfig => ({ ...cfg, cluster: { ...cfg.cluster, ...c } });

test('the phase tree and flags are kubeadm\'s', () => {
  assert.deepEqual(addon.phases!.map((p) => p.name), ['all', 'coredns', 'kube-proxy']);
  assert.equal(child('all').selectsParent, true);
  assert.ok(child('coredns').flags!.includes('service-dns-domain') && child('coredns').flags!.includes('patches'));
  assert.ok(child('kube-proxy').flags!.includes('pod-network-cidr') && !child('kube-proxy').flags!.includes('service-cidr'));
});

test('every request and object as kubeadm sent them, in order, with its lines', { skip: skipReference }, async () => {
  const { api, out } = await run(await observedConfig());
  assert.deepEqual(shownAs(api.requests), section());
  assert.equal(out.stdout(), observedLines('[addons]').map((l) => `${l}\n`).join(''));
  assert.equal(out.stderr(), '');
});

test('toGoYaml prints the kube-proxy ConfigMap as kubeadm does', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const cm = kubeProxyConfigMap({ cluster: cfg.cluster, given: cfg.kubeProxy, localAPIEndpoint: cfg.init.localAPIEndpoint });
  assert.equal(toGoYaml(cm), section().find((r) => r.resource === 'configmaps' && r.body?.includes('kube-proxy'))!.body);
});

test('dns.disabled and proxy.disabled leave that addon out', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const noDns = await run(withCluster(cfg, { dns: { ...cfg.cluster.dns, disabled: true } }));
  assert.deepEqual(noDns.ran, ['kube-proxy']);
  assert.equal(noDns.api.all('Deployment').length, 0);
  assert.equal(noDns.out.stdout(), '[addons] Applied essential addon: kube-proxy\n');
  const noProxy = await run(withCluster(cfg, { proxy: { disabled: true } }));
  assert.deepEqual(noProxy.ran, ['coredns']);
  assert.equal(noProxy.api.all('DaemonSet').length, 0);
});

const deployment = (name: string, replicas: number, image = 'registry.k8s.io/coredns/coredns:v1.11.1'): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  spec: { replicas, template: { spec: { containers: [{ name: 'coredns', image }] } } },
});
const corefileMap = (text: string): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: text },
});

test('a re-run keeps the replica count and replaces a Corefile kubeadm wrote', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const api = memoryApi();
  api.seed(deployment('coredns', 5));
  api.seed(corefileMap(corefile('cluster.local').replace('cache 30 {', 'cache   30 {')));
  const { out } = await run(withCluster(cfg, { networking: { ...cfg.cluster.networking, dnsDomain: 'cluster.local' } }), { api });
  const spec = api.stored('Deployment', 'coredns', 'kube-system')!['spec'] as { replicas: number };
  assert.equal(spec.replicas, 5);
  assert.equal((api.stored('ConfigMap', 'coredns', 'kube-system')!['data'] as { Corefile: string }).Corefile, corefile('cluster.local'));
  assert.equal(out.stderr(), '');
  // A second complete run over its own objects changes nothing it should keep and fails on nothing.
  await run(cfg, { api });
  assert.equal((api.stored('Deployment', 'coredns', 'kube-system')!['spec'] as { replicas: number }).replicas, 5);
});

test('an edited Corefile is kept, with a warning when CoreDNS changes version', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const api = memoryApi();
  const mine = '.:53 {\n    forward . 192.0.2.53\n}\n';
  api.seed(deployment('coredns', 2));
  api.seed(corefileMap(mine));
  const { out } = await run(cfg, { api });
  assert.equal((api.stored('ConfigMap', 'coredns', 'kube-system')!['data'] as { Corefile: string }).Corefile, mine);
  assert.match(out.stderr(), /Corefile .* is kept as it is while CoreDNS moves from v1\.11\.1 to v1\.12\.3/);
  assert.ok(!api.requests.some((r) => r.verb === 'update' && r.kind === 'ConfigMap' && r.name === 'coredns'));
});

test('two DNS Deployments: an error naming them, nothing created', { skip: skipReference }, async () => {
  const api = memoryApi();
  api.seed(deployment('coredns', 2));
  api.seed(deployment('kube-dns', 1));
  await assert.rejects(run(await observedConfig(), { api }), /multiple DNS addon Deployments found .*coredns, kube-dns/);
  assert.equal(api.requests.filter((r) => r.verb === 'create').length, 0);
});

test('an existing kube-dns Service is updated; an address taken by another Service is reported', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const api = memoryApi();
  api.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10' } });
  await run(cfg, { api });
  const svc = api.stored('Service', 'kube-dns', 'kube-system')!;
  assert.deepEqual((svc.metadata.labels ?? {})['kubernetes.io/name'], 'CoreDNS');

  const taken = memoryApi();
  const create = taken.create.bind(taken);
  taken.create = async (obj) => {
    if (obj.kind === 'Service') throw new ApiError(422, 'Invalid', 'Service "kube-dns" is invalid: spec.clusterIP: Invalid value: "10.96.0.10": provided IP is already allocated');
    return create(obj);
  };
  await assert.rejects(run(cfg, { api: taken }), /10\.96\.0\.10 is taken by another Service/);
});

test('--patches reach the CoreDNS Deployment as target corednsdeployment', { skip: skipReference }, async () => {
  const targets: string[] = [];
  const patches: PatchSet = {
    apply: (target, doc) => {
      targets.push(target);
      return { ...structuredClone(doc), spec: { ...(doc['spec'] as object), replicas: 3 } };
    },
  };
  const { api } = await run(await observedConfig(), { patches });
  assert.deepEqual(targets, ['corednsdeployment']);
  assert.equal((api.stored('Deployment', 'coredns', 'kube-system')!['spec'] as { replicas: number }).replicas, 3);
});
