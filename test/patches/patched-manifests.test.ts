// A --patches directory as a user would write one, applied to real static Pods and to the kubelet
// configuration; the results are golden files (test/golden/manifests/patched/), and kubectl must
// read each patched manifest as a Pod without dropping or changing a field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultClusterConfiguration } from '../../src/config/default-configs.js';
import { kubeletConfiguration } from '../../src/config/encode-component-configs.js';
import { toGoYaml } from '../../src/config/encode.js';
import { manifestPath, writeStaticPodManifest } from '../../src/manifest-files/static-pod-files.js';
import { captureOutput } from '../../src/output/output.js';
import { loadPatches } from '../../src/patches/load-patches.js';
import { fakeHost } from '../helpers/fake-host.js';
import { assertGolden } from '../helpers/golden.js';
import { kubectlMissing, kubectlPod, podDifferences } from '../helpers/kubectl-pod.js';
import { apiServerPod, etcdPod } from './pods.js';

const dir = '/etc/kubernetes/patches';

const patchFiles: Record<string, string> = {
  // JSON patch: the way to add one flag, since `command` has no merge key.
  'kube-apiserver0+json.yaml': [
    '- op: add',
    '  path: /spec/containers/0/command/-',
    '  value: --audit-log-path=/var/log/kubernetes/audit.log',
    '- op: replace',
    '  path: /spec/containers/0/livenessProbe/timeoutSeconds',
    '  value: 30',
    '',
  ].join('\n'),
  // Strategic merge: volumes and mounts merge by name and mountPath; a resource limit is added;
  // one environment variable is changed, another removed.
  'kube-apiserver1.yaml': [
    'spec:',
    '  containers:',
    '  - name: kube-apiserver',
    '    resources:',
    '      limits:',
    '        memory: 2Gi',
    '    env:',
    '    - name: NO_PROXY',
    '      value: 10.0.0.0/8,.svc,.cluster.local',
    '    - name: HTTPS_PROXY',
    '      $patch: delete',
    '    volumeMounts:',
    '    - name: audit-log',
    '      mountPath: /var/log/kubernetes',
    '  volumes:',
    '  - name: audit-log',
    '    hostPath:',
    '      path: /var/log/kubernetes',
    '      type: DirectoryOrCreate',
    '',
  ].join('\n'),
  // Strategic merge on a list without a merge key: the patch's `command` replaces the whole list.
  'etcd.yaml': [
    'spec:',
    '  containers:',
    '  - name: etcd',
    '    command:',
    '    - etcd',
    '    - --config-file=/etc/etcd/etcd.conf.yaml',
    '',
  ].join('\n'),
  // Merge patch (RFC 7386): objects merge, null deletes.
  'etcd+merge.json': `${JSON.stringify({
    metadata: { annotations: { 'example.com/owner': 'platform' }, labels: { tier: null } },
    spec: { terminationGracePeriodSeconds: 60 },
  }, null, 2)}\n`,
  'kubeletconfiguration+strategic.yaml': [
    'clusterDNS:',
    '- 169.254.20.10',
    'evictionHard:',
    '  memory.available: 200Mi',
    'serializeImagePulls: false',
    '',
  ].join('\n'),
  'kubeletconfiguration0+json.json': '[{"op": "add", "path": "/featureGates", "value": {"KubeletTracing": true}}]\n',
  'README.md': 'not a patch\n',
};

test('a patch directory on the static Pods and the kubelet configuration (golden)', async () => {
  const host = fakeHost({ files: Object.fromEntries(Object.entries(patchFiles).map(([n, t]) => [`${dir}/${n}`, t])) });
  const out = captureOutput();
  const patches = await loadPatches(host, dir, out);
  await writeStaticPodManifest(host, patches, 'kube-apiserver', apiServerPod());
  await writeStaticPodManifest(host, patches, 'etcd', etcdPod());
  const kubelet = patches.apply('kubeletconfiguration', kubeletConfiguration(defaultClusterConfiguration()).document);

  const files = host.files();
  assertGolden('manifests/patched/kube-apiserver.yaml', files[manifestPath('kube-apiserver')] ?? '');
  assertGolden('manifests/patched/etcd.yaml', files[manifestPath('etcd')] ?? '');
  assertGolden('kubelet/patched-config.yaml', toGoYaml(kubelet));
  assertGolden('manifests/patched/output.txt', out.stdout());
  assert.equal(out.stderr(), '');
});

test('the patched manifests are Pods as kubectl reads them', { skip: kubectlMissing }, async () => {
  const host = fakeHost({ files: Object.fromEntries(Object.entries(patchFiles).map(([n, t]) => [`${dir}/${n}`, t])) });
  const patches = await loadPatches(host, dir, captureOutput());
  await writeStaticPodManifest(host, patches, 'kube-apiserver', apiServerPod());
  await writeStaticPodManifest(host, patches, 'etcd', etcdPod());
  const tmp = mkdtempSync(path.join(tmpdir(), 'tskubeadm-patched-'));
  try {
    for (const component of ['kube-apiserver', 'etcd'] as const) {
      const file = path.join(tmp, `${component}.yaml`);
      writeFileSync(file, host.files()[manifestPath(component)] ?? '');
      const decoded = kubectlPod(file);
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
      assert.deepEqual(podDifferences(file, decoded.pod), [], component);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
