import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ClusterConfiguration } from '../../src/config/types.js';
import { defaultClusterConfiguration } from '../../src/config/default-configs.js';
import { controlPlaneImages, kubernetesImageTag, pullImageAttempts, pullImages } from '../../src/config/images.js';
import { formatImages, parseImageOutputFormat } from '../../src/config/encode-images.js';
import { TskubeadmError, UsageError } from '../../src/errors.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost, type FakeCommand } from '../helpers/fake-host.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';

const observed = 'reference/kubeadm-observed/images.txt';

function cluster(over: Partial<ClusterConfiguration> = {}): ClusterConfiguration {
  return { ...defaultClusterConfiguration(), kubernetesVersion: 'v1.34.0', ...over };
}

// kubeadm-observed/images.txt, kept here so the check runs without ../shared.
const images134 = [
  'registry.k8s.io/kube-apiserver:v1.34.0',
  'registry.k8s.io/kube-controller-manager:v1.34.0',
  'registry.k8s.io/kube-scheduler:v1.34.0',
  'registry.k8s.io/kube-proxy:v1.34.0',
  'registry.k8s.io/coredns/coredns:v1.12.3',
  'registry.k8s.io/pause:3.10.1',
  'registry.k8s.io/etcd:3.6.4-0',
];

test('v1.34.0 with defaults lists kubeadm\'s images in kubeadm\'s order', () => {
  assert.deepEqual(controlPlaneImages(cluster()), images134);
  assert.equal(formatImages(controlPlaneImages(cluster()), 'text'), `${images134.join('\n')}\n`);
});

test('the text output is byte-identical to what kubeadm printed', { skip: skipWithoutShared(observed) }, () => {
  assert.equal(formatImages(controlPlaneImages(cluster()), 'text'), readFileSync(sharedPath(observed), 'utf8'));
});

test('a custom registry: CoreDNS loses the coredns/ sub-path, pause follows the cluster repository', () => {
  const imgs = controlPlaneImages(cluster({ imageRepository: 'mirror.example/k8s' }));
  assert.deepEqual(imgs, [
    'mirror.example/k8s/kube-apiserver:v1.34.0',
    'mirror.example/k8s/kube-controller-manager:v1.34.0',
    'mirror.example/k8s/kube-scheduler:v1.34.0',
    'mirror.example/k8s/kube-proxy:v1.34.0',
    'mirror.example/k8s/coredns:v1.12.3',
    'mirror.example/k8s/pause:3.10.1',
    'mirror.example/k8s/etcd:3.6.4-0',
  ]);
});

test('dns and etcd overrides apply to their image only', () => {
  const base = cluster();
  const imgs = controlPlaneImages({
    ...base,
    dns: { imageRepository: 'dns.example', imageTag: 'v9.9.9', disabled: false },
    etcd: { local: { ...base.etcd.local!, imageRepository: 'etcd.example', imageTag: '3.5.0-0' } },
  });
  assert.equal(imgs[4], 'dns.example/coredns:v9.9.9');
  assert.equal(imgs[5], 'registry.k8s.io/pause:3.10.1');
  assert.equal(imgs[6], 'etcd.example/etcd:3.5.0-0');
  // dns.imageRepository set to the default registry still gets the sub-path (kubeadm compares the result).
  const dnsDefault = controlPlaneImages({ ...base, dns: { imageRepository: 'registry.k8s.io', imageTag: '', disabled: false } });
  assert.equal(dnsDefault[4], 'registry.k8s.io/coredns/coredns:v1.12.3');
});

test('disabled add-ons and external etcd drop their images', () => {
  const imgs = controlPlaneImages(cluster({
    proxy: { disabled: true },
    dns: { imageRepository: '', imageTag: '', disabled: true },
    etcd: { external: { endpoints: ['https://10.0.0.2:2379'], caFile: '', certFile: '', keyFile: '' } },
  }));
  assert.deepEqual(imgs, [
    'registry.k8s.io/kube-apiserver:v1.34.0',
    'registry.k8s.io/kube-controller-manager:v1.34.0',
    'registry.k8s.io/kube-scheduler:v1.34.0',
    'registry.k8s.io/pause:3.10.1',
  ]);
});

test('image tags replace characters a tag cannot hold', () => {
  assert.equal(kubernetesImageTag('v1.35.0+abc.1'), 'v1.35.0_abc.1');
  assert.equal(controlPlaneImages(cluster({ kubernetesVersion: 'v1.35.1' }))[0], 'registry.k8s.io/kube-apiserver:v1.35.1');
  // A minor newer than the table takes the newest row's etcd, as kubeadm's nearest-version fallback.
  assert.equal(controlPlaneImages(cluster({ kubernetesVersion: 'v1.36.0' })).at(-1), 'registry.k8s.io/etcd:3.6.4-0');
});

test('json and yaml output are kubeadm\'s Images object', () => {
  const two = ['a/x:1', 'a/y:2'];
  assert.equal(
    formatImages(two, 'json'),
    '{\n    "kind": "Images",\n    "apiVersion": "output.kubeadm.k8s.io/v1alpha3",\n    "images": [\n        "a/x:1",\n        "a/y:2"\n    ]\n}\n',
  );
  assert.equal(formatImages(two, 'yaml'), 'apiVersion: output.kubeadm.k8s.io/v1alpha3\nimages:\n- a/x:1\n- a/y:2\nkind: Images\n');
});

test('an unknown -o format is a usage error', () => {
  assert.equal(parseImageOutputFormat('json'), 'json');
  assert.throws(() => parseImageOutputFormat('wide'), UsageError);
});

const sock = 'unix:///run/containerd/containerd.sock';
const pullArgv = (image: string) => ['crictl', '--runtime-endpoint', sock, 'pull', image];

test('Always pulls every image in order through crictl, as mutations', async () => {
  const host = fakeHost({ commands: { crictl: {} } });
  const out = captureOutput();
  await pullImages(host, out, ['a/x:1', 'a/y:2'], { criSocket: sock, policy: 'Always', serial: true });
  assert.deepEqual(host.execCalls.map((c) => c.argv), [pullArgv('a/x:1'), pullArgv('a/y:2')]);
  assert.ok(host.execCalls.every((c) => c.opts.mutates));
  assert.equal(out.stdout(), '[config/images] Pulled a/x:1\n[config/images] Pulled a/y:2\n');
});

test('IfNotPresent asks the runtime first and pulls only what is missing', async () => {
  const present: FakeCommand = (argv) => ({ exitCode: argv.includes('a/x:1') ? 0 : 1 });
  const host = fakeHost({ commands: { [`crictl --runtime-endpoint ${sock} inspecti -q a/x:1`]: present, [`crictl --runtime-endpoint ${sock} inspecti -q a/y:2`]: present, crictl: {} } });
  const out = captureOutput();
  await pullImages(host, out, ['a/x:1', 'a/y:2'], { criSocket: sock, policy: 'IfNotPresent', serial: true });
  assert.deepEqual(host.execCalls.map((c) => c.argv.slice(3)), [['inspecti', '-q', 'a/x:1'], ['inspecti', '-q', 'a/y:2'], ['pull', 'a/y:2']]);
  assert.equal(host.execCalls[0]?.opts.mutates, false);
  assert.equal(out.stdout(), '[config/images] Image is present: a/x:1\n[config/images] Pulled a/y:2\n');
});

test('Never pulls nothing', async () => {
  const host = fakeHost({ commands: { crictl: {} } });
  const out = captureOutput();
  await pullImages(host, out, ['a/x:1'], { criSocket: sock, policy: 'Never', serial: true });
  assert.deepEqual(host.execCalls, []);
  assert.match(out.stdout(), /Skipped a\/x:1: imagePullPolicy is Never/);
});

test('a failing pull is retried, then reported with the runtime\'s words', async () => {
  let calls = 0;
  const flaky = fakeHost({ commands: { crictl: () => (++calls < 3 ? { exitCode: 1, stderr: 'i/o timeout' } : {}) } });
  await pullImages(flaky, captureOutput(), ['a/x:1'], { criSocket: sock, policy: 'Always', serial: true });
  assert.equal(calls, 3);

  const broken = fakeHost({ commands: { crictl: { exitCode: 1, stderr: 'rpc error: not found\n' } } });
  await assert.rejects(pullImages(broken, captureOutput(), ['a/x:1'], { criSocket: sock, policy: 'Always', serial: true }), (e: unknown) => {
    assert.ok(e instanceof TskubeadmError);
    assert.equal(e.message, 'failed to pull image "a/x:1": rpc error: not found');
    assert.match(e.fix ?? '', /container runtime/);
    return true;
  });
  assert.equal(broken.execCalls.length, pullImageAttempts);
});

test('parallel pulls (imagePullSerial false) pull everything and report every failure', async () => {
  const host = fakeHost({ commands: { crictl: (argv) => (argv.includes('bad:1') ? { exitCode: 1, stderr: 'denied' } : {}) } });
  const out = captureOutput();
  await assert.rejects(
    pullImages(host, out, ['a/x:1', 'bad:1', 'a/y:2'], { criSocket: sock, policy: 'Always', serial: false }),
    /failed to pull image "bad:1": denied/,
  );
  assert.match(out.stdout(), /Pulled a\/x:1/);
  assert.match(out.stdout(), /Pulled a\/y:2/);
});

test('no crictl on the host is a clear error', async () => {
  await assert.rejects(pullImages(fakeHost(), captureOutput(), ['a/x:1'], { criSocket: sock, policy: 'Always', serial: true }), (e: unknown) => {
    assert.ok(e instanceof TskubeadmError);
    assert.match(e.message, /cannot run crictl/);
    assert.match(e.fix ?? '', /cri-tools/);
    return true;
  });
});
