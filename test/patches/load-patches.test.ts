import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, exitCodeOf } from '../../src/errors.js';
import { manifestPath, writeStaticPodManifest } from '../../src/manifest-files/static-pod-files.js';
import { captureOutput } from '../../src/output/output.js';
import { loadPatches, patchLoader } from '../../src/patches/load-patches.js';
import { noPatches } from '../../src/patches/patch-set.js';
import { fakeHost, type FakeFileSpec } from '../helpers/fake-host.js';
import { apiServerPod, etcdPod } from './pods.js';

const dir = '/etc/kubernetes/patches';
const inDir = (files: Record<string, FakeFileSpec>) => Object.fromEntries(Object.entries(files).map(([n, c]) => [`${dir}/${n}`, c]));

/** The ConfigError a promise or call rejects with. */
async function configError(run: () => unknown): Promise<ConfigError> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(exitCodeOf(err), 3);
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('files are read in name order, non-patch files are skipped with kubeadm\'s lines', async () => {
  const host = fakeHost({
    files: inDir({
      'kube-scheduler+merge.json': '{"foo":"bar"}', 'kube-apiserver+json.yaml': '[]', 'etcd.yaml': '{"foo":"bar"}', 'foo': 'x', 'bar.json': '{}',
    }),
  });
  const out = captureOutput();
  await loadPatches(host, dir, out);
  assert.equal(out.stdout(), [
    '[patches] Reading patches from path "/etc/kubernetes/patches"',
    '[patches] Ignoring file "bar.json": its name does not start with a patch target (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubeletconfiguration, corednsdeployment)',
    '[patches] Ignoring file "foo": its extension is not one of .json, .yaml',
    '[patches] Found the following patch files: [etcd.yaml kube-apiserver+json.yaml kube-scheduler+merge.json]',
    '[patches] Ignored the following files: [bar.json foo]',
    '',
  ].join('\n'));
  assert.equal(out.stderr(), '');
});

test('patches for a target apply file by file in byte order, each document in turn (kubeadm\'s own case)', async () => {
  const host = fakeHost({
    files: inDir({
      'kube-apiserver+merge.yaml': 'foo: patched',
      'kube-apiserver+json.json': '[{"op": "replace", "path": "/foo", "value": "zzz"}]',
      'kube-apiserver0.yaml': 'extra: [1]\n---\n# a comment-only document changes nothing\n---\nextra: [2]\n',
    }),
  });
  const out = captureOutput();
  const patches = await loadPatches(host, dir, out);
  const doc = { foo: 'bar', baz: 'qux' };
  assert.deepEqual(patches.apply('kube-apiserver', doc), { foo: 'patched', baz: 'qux', extra: [2] });
  assert.deepEqual(doc, { foo: 'bar', baz: 'qux' });
  assert.deepEqual(patches.apply('etcd', doc), doc);
  const applied = out.stdout().split('\n').filter((l) => l.includes('Applied'));
  assert.deepEqual(applied, [
    '[patches] Applied patch of type "application/json-patch+json" to target "kube-apiserver"',
    '[patches] Applied patch of type "application/merge-patch+json" to target "kube-apiserver"',
    '[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kube-apiserver"',
    '[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kube-apiserver"',
    '[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kube-apiserver"',
  ]);
});

test('the last file wins; sub-directories are walked at their place in the order, as kubeadm does', async () => {
  const host = fakeHost({
    files: inDir({
      'etcd.yaml': 'metadata: {labels: {a: "1", b: "1"}}',
      'etcd1/etcd.yaml': 'metadata: {labels: {a: "2"}}',
      'etcd2.yaml': 'metadata: {labels: {b: "3"}}',
    }),
  });
  const out = captureOutput();
  const patched = (await loadPatches(host, dir, out)).apply('etcd', etcdPod()) as { metadata: { labels: Record<string, string> } };
  assert.deepEqual(patched.metadata.labels, { component: 'etcd', tier: 'control-plane', a: '2', b: '3' });
  assert.match(out.stdout(), /Found the following patch files: \[etcd\.yaml etcd\.yaml etcd2\.yaml\]/);
});

test('empty files are skipped; a blank file is a patch file without documents', async () => {
  const host = fakeHost({ files: inDir({ 'kube-scheduler.json': '', 'kube-scheduler0.yaml': '\n  \n' }) });
  const out = captureOutput();
  const patches = await loadPatches(host, dir, out);
  assert.deepEqual(patches.apply('kube-scheduler', { a: 1 }), { a: 1 });
  assert.match(out.stdout(), /\[patches\] Ignoring empty file "kube-scheduler.json"\n/);
  assert.match(out.stdout(), /Found the following patch files: \[kube-scheduler0.yaml\]\n\[patches\] Ignored the following files: \[kube-scheduler.json\]\n$/);
  assert.doesNotMatch(out.stdout(), /Applied/);
});

test('a patched Pod loses null fields as kubeadm\'s decode does; the kubelet configuration keeps them', async () => {
  const host = fakeHost({
    files: inDir({
      'kube-apiserver+json.json': '[{"op": "add", "path": "/spec/nodeName", "value": null}]',
      'kubeletconfiguration+json.json': '[{"op": "add", "path": "/resolvConf", "value": null}]',
    }),
  });
  const patches = await loadPatches(host, dir, captureOutput());
  assert.equal('nodeName' in (patches.apply('kube-apiserver', apiServerPod()) as { spec: object }).spec, false);
  assert.deepEqual(patches.apply('kubeletconfiguration', { kind: 'KubeletConfiguration' }), { kind: 'KubeletConfiguration', resolvConf: null });
});

test('patchLoader: no directory means no patches; a directory is read once, on first use', async () => {
  const host = fakeHost({ files: inDir({ 'etcd.yaml': 'a: 1' }) });
  const out = captureOutput();
  assert.equal(await patchLoader(host, undefined, out)(), noPatches);
  assert.equal(await patchLoader(host, '', out)(), noPatches);
  assert.equal(out.stdout(), '');
  const load = patchLoader(host, dir, out);
  assert.equal(out.stdout(), '');
  const first = await load();
  assert.equal(await load(), first);
  assert.equal(out.stdout().split('\n').filter((l) => l.startsWith('[patches] Reading')).length, 1);
});

test('a missing directory, or a file given as the directory, is a ConfigError', async () => {
  const out = captureOutput();
  const missing = await configError(() => loadPatches(fakeHost(), dir, out));
  assert.deepEqual(missing.problems, [{ file: dir, message: 'the patches directory does not exist' }]);
  assert.match(missing.fix ?? '', /--patches \(or patches\.directory/);
  assert.equal(out.stdout(), '[patches] Reading patches from path "/etc/kubernetes/patches"\n');
  const file = await configError(() => loadPatches(fakeHost({ files: { [dir]: 'x' } }), dir, captureOutput()));
  assert.equal(file.message, `${dir}: the patches directory is not a directory`);
});

test('a directory reached through a symlink is read (kubeadm refuses it)', async () => {
  const host = fakeHost({ files: { '/srv/patches/etcd.yaml': 'a: 1' }, symlinks: { [dir]: '/srv/patches' } });
  assert.deepEqual((await loadPatches(host, dir, captureOutput())).apply('etcd', {}), { a: 1 });
});

test('bad patch files stop the load with a ConfigError naming the file', async () => {
  const cases: [Record<string, FakeFileSpec>, Record<string, string>, string?][] = [
    [{ 'etcd+foo.yaml': 'a: 1' }, { etcd: 'x' }, `${dir}/etcd+foo.yaml: unknown patch type "foo" after "+" in the file name: use one of json, merge, strategic`],
    [{ 'etcd.yaml': 'a: 1\n--- b: 2\n' }, {}, `${dir}/etcd.yaml:2: line 2 starts with "---" but has "b: 2" after it; a document separator line may only hold "---" and a comment`],
    [{ 'etcd.yaml': 'a: 1\n---\n\nspec:\n  x: [1\n' }, {}],
  ];
  for (const [files, , message] of cases) {
    const err = await configError(() => loadPatches(fakeHost({ files: inDir(files) }), dir, captureOutput()));
    if (message !== undefined) assert.equal(err.message, message);
    assert.equal(err.problems[0]?.file, `${dir}/${Object.keys(files)[0]}`);
  }
  const yamlError = await configError(() => loadPatches(fakeHost({ files: inDir({ 'etcd.yaml': 'a: 1\n---\n\nspec:\n  x: [1\n' }) }), dir, captureOutput()));
  assert.match(yamlError.message, /^\/etc\/kubernetes\/patches\/etcd.yaml:\d+(:\d+)?: document 2 is neither valid YAML nor JSON: /);
  assert.ok((yamlError.problems[0]?.line ?? 0) >= 4);
  const linkToDir = await configError(() => loadPatches(fakeHost({ dirs: ['/srv/d'], symlinks: { [`${dir}/etcd.yaml`]: '/srv/d' } }), dir, captureOutput()));
  assert.match(linkToDir.message, /etcd.yaml: the patch file cannot be read/);
});

test('a patch that does not apply is a ConfigError with file and line, and no manifest is written', async () => {
  const host = fakeHost({
    files: inDir({
      'kube-apiserver+json.yaml': '- op: add\n  path: /metadata/labels/a\n  value: b\n---\n- op: test\n  path: /spec/hostNetwork\n  value: false\n',
    }),
  });
  const out = captureOutput();
  const patches = await loadPatches(host, dir, out);
  const err = await configError(() => writeStaticPodManifest(host, patches, 'kube-apiserver', apiServerPod()));
  assert.deepEqual(err.problems, [{
    file: `${dir}/kube-apiserver+json.yaml`, line: 5,
    message: 'the json patch in document 2 cannot be applied to kube-apiserver: operation 1 ({"op":"test","path":"/spec/hostNetwork","value":false}) is a test that failed: the value at its path differs',
  }]);
  assert.match(err.fix ?? '', /correct or remove that patch/);
  assert.equal(host.files()[manifestPath('kube-apiserver')], undefined);
  assert.equal(out.stdout().split('\n').filter((l) => l.includes('Applied')).length, 1);
});

test('patches that turn a Pod into another kind of object are refused', async () => {
  const host = fakeHost({ files: inDir({ 'etcd+merge.yaml': 'kind: Deployment' }) });
  const err = await configError(async () => (await loadPatches(host, dir, captureOutput())).apply('etcd', etcdPod()));
  assert.equal(err.message, `${dir}/etcd+merge.yaml: after its patches, etcd has kind "Deployment" instead of "Pod"`);
});
