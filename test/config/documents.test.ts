import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDocuments } from '../../src/config/documents.js';
import { formatProblem } from '../../src/errors.js';

const msgs = (text: string) => splitDocuments(text, 'k.yaml').problems.map(formatProblem);

test('a --- line followed by text is an invalid separator (kubeadm YAMLReader), with its line', () => {
  assert.deepEqual(msgs('a: 1\n--- InitConfiguration ---\nb: 2\n'), ['k.yaml:2:1: invalid Yaml document separator: InitConfiguration ---']);
  assert.deepEqual(msgs('------- Init -------\na: 1\n'), ['k.yaml:1:1: invalid Yaml document separator: ---- Init -------']);
});

test('a separator may carry a comment, and CRLF line ends are fine', () => {
  const r = splitDocuments('a: 1\r\n--- # next\r\nb: 2\r\n', 'k.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.documents.map((d) => d.value), [{ a: 1 }, { b: 2 }]);
});

test('empty sections are skipped; comment-only and blank sections are documents without a value', () => {
  const r = splitDocuments('---\n---\na: 1\n---\n# only a comment\n---\n\n---\n', 'k.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.documents.map((d) => [d.index, d.value]), [[1, { a: 1 }], [2, undefined], [3, undefined]]);
  assert.ok(r.documents.every((d) => !d.failed));
});

test('a "..." document end marker before the next separator works (corpus 008)', () => {
  const r = splitDocuments('a: 1\n# trailing\n...\n---\nb: 2\n', 'k.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.documents.map((d) => d.value), [{ a: 1 }, { b: 2 }]);
});

test('YAML after "..." in the same section is refused rather than silently dropped', () => {
  assert.match(msgs('a: 1\n...\nb: 2\n')[0]!, /^k\.yaml:3:1, document 1: more YAML follows a "\.\.\." document end marker/);
});

test('YAML syntax errors carry the absolute line and column and the document number', () => {
  assert.deepEqual(msgs('a: 1\n---\napiVersion: x\nkind:Init\nfoo: bar\n'), [
    'k.yaml:4:1, document 2: YAML syntax error: Implicit keys need to be on a single line',
  ]);
  assert.deepEqual(msgs('kind: InitConfiguration\n  patches:\n    directory: /x\n'), [
    'k.yaml:1:7, document 1: YAML syntax error: Nested mappings are not allowed in compact mappings',
  ]);
});

test('duplicate keys are errors with the line of each repetition', () => {
  assert.deepEqual(msgs('kind: X\nclusterName: a\nclusterName: b\nnet:\n  x: 1\n  x: 2\n'), [
    'k.yaml:3:1, document 1: key "clusterName" already set in map (first set on line 2)',
    'k.yaml:6:3, document 1: key "x" already set in map (first set on line 5)',
  ]);
});

test('an unrendered {{ placeholder }} is a mapping used as a key: refused with a hint (corpus 050)', () => {
  assert.deepEqual(msgs('a:\n  advertiseAddress: {{ ip }}\n'), [
    'k.yaml:2:22, document 1: invalid map key: { ip } (a mapping or list cannot be a key; quote the value if it is a template placeholder)',
  ]);
});

test('a document is parsed to plain data with anchors and merge keys resolved', () => {
  const r = splitDocuments('base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n', 'k.yaml');
  assert.deepEqual(r.documents[0]!.value, { base: { x: 1 }, use: { x: 1, y: 2 } });
});
