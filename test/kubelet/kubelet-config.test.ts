import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { InitConfig } from '../../src/config/types.js';
import { kubeletConfigFile, instanceConfigFor, type KubeletConfigFileOptions } from '../../src/kubelet/kubelet-config.js';
import { instanceConfigText, nodeLocalCRISocket, parseInstanceConfig, applyInstanceConfig } from '../../src/kubelet/instance-config.js';
import { noPatches, type PatchSet, type PatchTarget } from '../../src/patches/patch-set.js';
import { assertGolden } from '../helpers/golden.js';
import { initConfig } from '../preflight/healthy-host.js';
import { observedConfig, observedFile, skipReference } from './reference.js';

const socket = 'unix:///var/run/containerd/containerd.sock';

function options(cfg: InitConfig, o: Partial<KubeletConfigFileOptions> = {}): KubeletConfigFileOptions {
  return { cluster: cfg.cluster, given: cfg.kubelet, resolvConf: undefined, patches: noPatches, instanceConfig: instanceConfigText(socket), ...o };
}

/** A PatchSet that lays one strategic patch over the kubelet configuration and notes each use. */
function patchSet(patch: Record<string, unknown>, applied: PatchTarget[]): PatchSet {
  return { apply: (target, doc) => { applied.push(target); return applyInstanceConfig(doc, patch); } };
}

const docOf = (text: string) => parse(text) as Record<string, unknown>;

test('config.yaml equals what kubeadm wrote for init-dry-run.config.yaml', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const file = kubeletConfigFile(options(cfg, { instanceConfig: instanceConfigFor(cfg.init.nodeRegistration.criSocket, nodeLocalCRISocket(cfg.cluster)) }));
  assert.equal(file.instanceApplied, true);
  assert.deepEqual(file.warnings, []);
  assert.equal(file.text, observedFile('/var/lib/kubelet/config.yaml'));
  assertGolden('kubelet/defaults-config.yaml', file.text); // so the golden below is kubeadm's own output
});

test('defaults with NodeLocalCRISocket: the instance config sets the runtime endpoint', () => {
  const file = kubeletConfigFile(options(initConfig()));
  assert.equal(docOf(file.text)['containerRuntimeEndpoint'], socket);
  assertGolden('kubelet/defaults-config.yaml', file.text);
});

test('NodeLocalCRISocket off: config.yaml keeps the empty endpoint (the flag carries it), and the gate reads the config', () => {
  const off = initConfig((c) => ({ ...c, cluster: { ...c.cluster, featureGates: { NodeLocalCRISocket: false } } }));
  assert.equal(nodeLocalCRISocket(off.cluster), false);
  assert.equal(nodeLocalCRISocket(initConfig().cluster), true);
  assert.equal(instanceConfigFor(socket, false), undefined);
  const file = kubeletConfigFile(options(off, { instanceConfig: undefined }));
  assert.equal(file.instanceApplied, false);
  assert.match(file.text, /^containerRuntimeEndpoint: ""$/m);
  assertGolden('kubelet/gate-off-config.yaml', file.text);
});

test("the user's patches apply first and the instance config last, as kubeadm orders them", () => {
  const applied: PatchTarget[] = [];
  const patches = patchSet({ containerRuntimeEndpoint: 'unix:///run/other.sock', shutdownGracePeriod: '30s', maxPods: 50 }, applied);
  const file = kubeletConfigFile(options(initConfig(), { patches }));
  assert.deepEqual(applied, ['kubeletconfiguration']);
  const doc = docOf(file.text);
  assert.equal(doc['containerRuntimeEndpoint'], socket);
  assert.equal(doc['shutdownGracePeriod'], '30s');
  assert.equal(doc['maxPods'], 50);
  assert.deepEqual(Object.keys(doc), Object.keys(doc).sort(), 'keys sorted, as Go writes them');
});

test('systemd-resolved: resolvConf points at its resolv.conf', () => {
  const file = kubeletConfigFile(options(initConfig(), { resolvConf: '/run/systemd/resolve/resolv.conf' }));
  assert.match(file.text, /^resolvConf: \/run\/systemd\/resolve\/resolv.conf$/m);
});

test("the user's KubeletConfiguration is merged in, with kubeadm's warnings for values it would set differently", () => {
  const given = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'cgroupfs', clusterDNS: ['10.96.0.53'], maxPods: 110 };
  const file = kubeletConfigFile(options(initConfig(), { given }));
  const doc = docOf(file.text);
  assert.equal(doc['cgroupDriver'], 'cgroupfs');
  assert.equal(doc['maxPods'], 110);
  assert.deepEqual(doc['clusterDNS'], ['10.96.0.53']);
  assert.deepEqual(file.warnings, ['The recommended value for "clusterDNS" in "KubeletConfiguration" is: [10.96.0.10]; the provided value is: [10.96.0.53]']);
});

test('instance-config.yaml is one %q-quoted line and reads back as a patch', () => {
  assert.equal(instanceConfigText(socket), `containerRuntimeEndpoint: "${socket}"\n`);
  const odd = 'unix:///run/a "b"\\c.sock';
  assert.equal(instanceConfigText(odd), 'containerRuntimeEndpoint: "unix:///run/a \\"b\\"\\\\c.sock"\n');
  assert.deepEqual(parseInstanceConfig(instanceConfigText(odd)), { containerRuntimeEndpoint: odd });
  assert.deepEqual(parseInstanceConfig(''), {});
  assert.throws(() => parseInstanceConfig('- a\n'), /not a YAML map/);
});

test('applyInstanceConfig (a strategic merge for this type): maps merge, lists and scalars replace, null deletes, the input is untouched', () => {
  const doc = { a: { b: 1, c: [1, 2] }, d: 'x', e: true };
  const merged = applyInstanceConfig(doc, { a: { c: [3], f: 2 }, d: null, g: { h: 1 } });
  assert.deepEqual(merged, { a: { b: 1, c: [3], f: 2 }, e: true, g: { h: 1 } });
  assert.deepEqual(doc, { a: { b: 1, c: [1, 2] }, d: 'x', e: true });
});
