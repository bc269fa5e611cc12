import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePatchDocument, parsePatchFileName, PatchFileSyntaxError, splitPatchDocuments,
} from '../../src/patches/patch-files.js';

test('file names: target, optional suffix, optional +type, .json or .yaml (kubeadm parseFilename)', () => {
  const cases: [string, string][] = [
    ['etcd.yaml', 'etcd strategic'],
    ['etcd.json', 'etcd strategic'],
    ['etcd+merge.json', 'etcd merge'],
    ['etcd0.yaml', 'etcd strategic'],
    ['etcd0+merge.yaml', 'etcd merge'],
    ['kube-apiserver+json.yaml', 'kube-apiserver json'],
    ['kube-apiserver+strategic.json', 'kube-apiserver strategic'],
    ['kube-apiserver-extra-args+strategic.yaml', 'kube-apiserver strategic'],
    ['kube-controller-manager1.yaml', 'kube-controller-manager strategic'],
    ['kube-scheduler+merge.yaml', 'kube-scheduler merge'],
    ['kubeletconfiguration+json.json', 'kubeletconfiguration json'],
    ['corednsdeployment.yaml', 'corednsdeployment strategic'],
    // The suffix stops at the first "." or "+", and whatever follows the type is not looked at.
    ['etcd.backup.yaml', 'etcd strategic'],
    ['etcd+jsonish.yaml', 'etcd json'],
    ['etcd+merge+json.yaml', 'etcd merge'],
  ];
  for (const [name, want] of cases) {
    const got = parsePatchFileName(name);
    assert.equal(got.kind === 'patch' ? `${got.target} ${got.type}` : got.kind, want, name);
  }
});

test('file names kubeadm skips: other extensions, no extension, unknown or differently cased targets', () => {
  for (const name of ['etcd.yml', 'etcd.foo', 'etcd', 'etcd.YAML', '.yaml', 'foo.yaml', 'bar.json', 'Etcd.yaml', 'apiserver.yaml', 'x-etcd.yaml']) {
    const got = parsePatchFileName(name);
    assert.equal(got.kind, 'ignored', name);
  }
  const ext = parsePatchFileName('etcd.yml');
  assert.match(ext.kind === 'ignored' ? ext.reason : '', /extension is not one of \.json, \.yaml/);
  const target = parsePatchFileName('foo.yaml');
  assert.match(target.kind === 'ignored' ? target.reason : '', /does not start with a patch target \(etcd, kube-apiserver/);
});

test('file names kubeadm stops on: a "+" without a known patch type', () => {
  const unknown = parsePatchFileName('etcd+foo.json');
  assert.deepEqual(unknown, { kind: 'invalid', reason: 'unknown patch type "foo" after "+" in the file name: use one of json, merge, strategic' });
  const missing = parsePatchFileName('etcd+.json');
  assert.equal(missing.kind, 'invalid');
  assert.match(missing.kind === 'invalid' ? missing.reason : '', /^no patch type after "\+"/);
  assert.equal(parsePatchFileName('kube-scheduler0+Merge.yaml').kind, 'invalid');
});

test('documents are split at --- lines as YAMLReader does; blank ones are dropped', () => {
  assert.deepEqual(splitPatchDocuments('foo: bar\n---\nfoo: baz\n').map((d) => d.text), ['foo: bar', 'foo: baz']);
  // kubeadm's own case: an indented "---" is not a separator, but the trimmed document starts with one.
  assert.deepEqual(splitPatchDocuments('{"foo":"bar"}\n---\n     ---\n{"foo":"baz"}').map(decodePatchDocument), [{ foo: 'bar' }, { foo: 'baz' }]);
  assert.deepEqual(splitPatchDocuments('---\n---\n\n---  # c\na: 1\r\n---\r\n\n  \n').map((d) => [d.index, d.line, d.text]), [[1, 5, 'a: 1']]);
  assert.deepEqual(splitPatchDocuments(''), []);
  assert.deepEqual(splitPatchDocuments('# only a comment\n').map((d) => d.text), ['# only a comment']);
  assert.throws(() => splitPatchDocuments('a: 1\n--- b: 2\n'), (e: unknown) => e instanceof PatchFileSyntaxError && e.line === 2 && /"b: 2" after it/.test(e.message));
  assert.throws(() => splitPatchDocuments('a: 1\n---x\n'), PatchFileSyntaxError);
});

test('documents decode as sigs.k8s.io/yaml reads them: YAML 1.1 scalars, JSON accepted', () => {
  const doc = (text: string) => decodePatchDocument({ index: 1, line: 1, text });
  assert.deepEqual(doc('a: yes\nb: on\nc: 0600\nd: "yes"\ne: 1_000'), { a: true, b: true, c: 384, d: 'yes', e: 1000 });
  // Go's YAML 1.1 reader keeps timestamps and base-60 numbers as strings.
  assert.deepEqual(doc('t: 2001-12-14\nclock: 12:30'), { t: '2001-12-14', clock: '12:30' });
  assert.deepEqual(doc('[{"op": "replace",\t"path": "/a", "value": 1}]'), [{ op: 'replace', path: '/a', value: 1 }]);
  assert.equal(doc('# nothing but a comment'), null);
  // As in Go's YAML 1.1 reader, an unquoted key y (or yes, on…) is the boolean true, written "true".
  assert.deepEqual(doc('labels: {y: "1", "n": "2"}'), { labels: { true: '1', n: '2' } });
});

test('a document that is not YAML says where, in lines of the whole file', () => {
  const [, second] = splitPatchDocuments('a: 1\n---\nspec:\n  containers:\n  - name: x\n   image: y\n');
  assert.throws(() => decodePatchDocument(second!), (e: unknown) => {
    assert.ok(e instanceof PatchFileSyntaxError);
    assert.equal(e.line, 6);
    assert.match(e.message, /^document 2 is neither valid YAML nor JSON: /);
    return true;
  });
  assert.throws(() => decodePatchDocument({ index: 1, line: 1, text: 'a: .inf' }), /the number Infinity, which JSON cannot represent/);
});
