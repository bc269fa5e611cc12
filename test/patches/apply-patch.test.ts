// The three patch types on small documents, with the evanphx/json-patch v4 leniencies kubeadm users
// rely on spelled out (kubectl-agreement.test.ts checks the same against the real code when kubectl is there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch } from '../../src/patches/apply-patch.js';
import { podSchema } from '../../src/patches/patch-schemas.js';
import { InvalidPatchError } from '../../src/patches/strategic-merge.js';

const doc = () => ({ kind: 'Pod', spec: { list: ['a', 'b', 'c'], flag: true, gone: null as unknown } });
const json = (ops: unknown) => applyPatch(doc(), 'json', ops, podSchema);
const refused = (run: () => unknown, message: RegExp) => assert.throws(run, (e: unknown) => e instanceof InvalidPatchError && message.test(e.message));

test('merge patches: objects merge, null deletes, lists are replaced; only an object is a merge patch', () => {
  assert.deepEqual(applyPatch(doc(), 'merge', { spec: { flag: null, list: ['z'], extra: { a: 1, b: null } } }, podSchema),
    { kind: 'Pod', spec: { list: ['z'], gone: null, extra: { a: 1 } } });
  refused(() => applyPatch(doc(), 'merge', null, podSchema), /a merge patch must be an object/);
  refused(() => applyPatch(doc(), 'merge', [{ a: 1 }], podSchema), /a merge patch must be an object/);
});

test('JSON patches: RFC 6902 operations in order', () => {
  assert.deepEqual(json([
    { op: 'add', path: '/spec/list/-', value: 'd' },
    { op: 'remove', path: '/spec/list/0' },
    { op: 'move', from: '/spec/flag', path: '/spec/moved' },
    { op: 'copy', from: '/spec/list', path: '/spec/copy' },
    { op: 'test', path: '/spec/copy/2', value: 'd' },
  ]), { kind: 'Pod', spec: { list: ['b', 'c', 'd'], gone: null, moved: true, copy: ['b', 'c', 'd'] } });
  assert.deepEqual(json(null), doc());
});

test('JSON patches: the evanphx v4 leniencies kubeadm has', () => {
  assert.deepEqual(json([{ op: 'replace', path: '/spec/newKey', value: 1 }]).spec, { ...doc().spec, newKey: 1 });
  assert.deepEqual(json([{ op: 'test', path: '/spec/missing', value: null }, { op: 'test', path: '/spec/gone' }]), doc());
  assert.deepEqual(json([{ op: 'add', path: '/spec/empty' }]).spec, { ...doc().spec, empty: null });
  assert.deepEqual(json([{ op: 'remove', path: '/spec/list/-1' }, { op: 'add', path: '/spec/list/-1', value: 'end' }]).spec,
    { ...doc().spec, list: ['a', 'b', 'end'] });
  assert.deepEqual(json([{ op: 'replace', path: '/spec/list/01', value: 'B' }]).spec, { ...doc().spec, list: ['a', 'B', 'c'] });
});

test('JSON patches that do not apply say which operation and why', () => {
  refused(() => json({ op: 'add', path: '/a', value: 1 }), /must be a list of operations/);
  refused(() => json([{ op: 'add', path: '/a', value: 1 }, 'x']), /^operation 2 \("x"\) is not an object$/);
  refused(() => json([{ op: 'frobnicate', path: '/a' }]), /has no valid "op": use one of add, remove, replace, move, copy, test/);
  refused(() => json([{ op: 'test', path: '/spec/flag', value: false }]), /^operation 1 \(.*\) is a test that failed/);
  refused(() => json([{ op: 'remove', path: '/spec/nothing' }]), /names a path that does not exist/);
  refused(() => json([{ op: 'replace', path: '/spec/list/7', value: 1 }]), /names a path that does not exist/);
  refused(() => json([{ op: 'add', path: '/spec/none/deeper', value: 1 }]), /adds below a path that does not exist/);
  refused(() => json([{ op: 'add', path: '/spec/list/9', value: 1 }]), /past the end of the list/);
  refused(() => json([{ op: 'remove', path: '/spec/list/-9' }]), /before the start of the list/);
  refused(() => json([{ op: 'remove', path: '' }]), /cannot apply to the whole document/);
  refused(() => json([{ op: 'replace', path: '', value: ['x'] }]), /not an object/);
});
