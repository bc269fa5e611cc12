// The control-plane Pods beyond their flags and volumes: probe hosts and ports, the startup probe's
// allowance, environment, images. Configurations are loaded from YAML as `init --config` loads them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlPlanePod, type ControlPlaneInput } from '../../src/manifests/control-plane.js';
import { build, config, inputFor, type Json } from './control-plane-fixture.js';

function withEndpoint(input: ControlPlaneInput, advertiseAddress: string): ControlPlaneInput {
  return { ...input, localAPIEndpoint: { advertiseAddress, bindPort: 6443 } };
}

const probeHosts = (pod: Json) => ['livenessProbe', 'readinessProbe', 'startupProbe']
  .map((p) => pod['spec'].containers[0][p]?.httpGet.host);

test('the API server is probed on its advertise address: none for an unspecified one, loopback for none', async () => {
  const { input } = await inputFor(config());
  assert.deepEqual(probeHosts(controlPlanePod('kube-apiserver', input)), ['192.0.2.10', '192.0.2.10', '192.0.2.10']);
  assert.deepEqual(probeHosts(controlPlanePod('kube-apiserver', withEndpoint(input, '0.0.0.0'))), [undefined, undefined, undefined]);
  assert.deepEqual(probeHosts(controlPlanePod('kube-apiserver', withEndpoint(input, '::'))), [undefined, undefined, undefined]);
  assert.deepEqual(probeHosts(controlPlanePod('kube-apiserver', withEndpoint(input, ''))), ['127.0.0.1', '127.0.0.1', '127.0.0.1']);
});

test('controller manager and scheduler probes follow their bind-address and secure-port extra args', async () => {
  const kcmDefault = await build('kube-controller-manager', config());
  assert.deepEqual(probeHosts(kcmDefault.pod), ['127.0.0.1', undefined, '127.0.0.1']);
  assert.equal(kcmDefault.container['ports'][0].containerPort, 10257);
  assert.equal(kcmDefault.container['livenessProbe'].httpGet.path, '/healthz');

  const sched = await build('kube-scheduler', config('scheduler:\n  extraArgs:\n  - {name: bind-address, value: "::"}\n  - {name: secure-port, value: "10400"}\n'));
  assert.deepEqual(probeHosts(sched.pod), [undefined, undefined, undefined]);
  assert.equal(sched.container['ports'][0].containerPort, 10400);
  assert.equal(sched.container['livenessProbe'].httpGet.port, 'probe-port');

  const odd = await build('kube-controller-manager', config('controllerManager:\n  extraArgs:\n  - {name: bind-address, value: ""}\n  - {name: secure-port, value: "none"}\n'));
  assert.deepEqual(probeHosts(odd.pod), [undefined, undefined, undefined]);
  assert.equal(odd.container['ports'][0].containerPort, 10257);

  const bound = await build('kube-scheduler', config('scheduler:\n  extraArgs:\n  - {name: bind-address, value: 192.0.2.10}\n'));
  assert.deepEqual(probeHosts(bound.pod), ['192.0.2.10', '192.0.2.10', '192.0.2.10']);
  assert.equal(bound.container['ports'][0].containerPort, 10259);
});

test('the startup probe allows the whole control-plane health-check timeout, in 10 s periods', async () => {
  const threshold = async (timeout: string) =>
    (await build('kube-scheduler', config('', `timeouts:\n  controlPlaneComponentHealthCheck: ${timeout}\n`))).container['startupProbe'].failureThreshold;
  assert.equal(await threshold('4m0s'), 24);
  assert.equal(await threshold('2m31s'), 16);
  assert.equal(await threshold('5s'), 1);
});

test('the host proxy variables and extraEnvs make each component\'s environment, extraEnvs winning', async () => {
  const yaml = config(`apiServer:
  extraEnvs:
  - {name: HTTP_PROXY, value: http://other:8080}
  - name: POD_IP
    valueFrom:
      fieldRef: {fieldPath: status.podIP}
`);
  const env = { HTTP_PROXY: 'http://proxy:3128', https_proxy: 'http://proxy:3129', NO_PROXY: '', HOME: '/root' };
  const api = await build('kube-apiserver', yaml, { env });
  assert.deepEqual(api.container['env'], [
    { name: 'HTTP_PROXY', value: 'http://other:8080' },
    { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }, // apiVersion: the API's default
    { name: 'https_proxy', value: 'http://proxy:3129' },
  ]);
  const sched = await build('kube-scheduler', yaml, { env });
  assert.deepEqual(sched.container['env'], [{ name: 'HTTP_PROXY', value: 'http://proxy:3128' }, { name: 'https_proxy', value: 'http://proxy:3129' }]);
  const bare = await build('kube-scheduler', yaml);
  assert.equal(bare.container['env'], undefined);
});

test('images come from the configured repository and version', async () => {
  const { container } = await build('kube-controller-manager', config('imageRepository: mirror.example.test/k8s\n').replace('v1.34.0', 'v1.34.1'));
  assert.equal(container['image'], 'mirror.example.test/k8s/kube-controller-manager:v1.34.1');
});
