// Selection table tests, mirroring kubeadm's workflow/runner_test.go TestComputePhaseRunFlags
// (tree foo{bar,baz}, qux) plus `all`, aliases, case, needs and the error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError, exitCodes } from '../../src/errors.js';
import type { Phase } from '../../src/workflow/phase.js';
import { selectPhases, validatePhaseNames, type SelectOptions } from '../../src/workflow/select.js';

const p = (name: string, ...phases: Phase<unknown>[]): Phase<unknown> => ({ name, short: `${name} phase`, phases });

const kubeadmTree: Phase<unknown>[] = [p('foo', p('bar'), p('baz')), p('qux')];

const runPaths = (tree: Phase<unknown>[], o: SelectOptions) => selectPhases(tree, o).run.map((x) => x.path);

const cases: { name: string; options: SelectOptions; run?: string[]; error?: string }[] = [
  { name: 'no options > all phases', options: {}, run: ['foo', 'foo/bar', 'foo/baz', 'qux'] },
  { name: 'options can filter phases', options: { only: 'foo/baz' }, run: ['foo/baz'] },
  { name: 'options can filter phases - hierarchy is considered', options: { only: 'foo' }, run: ['foo', 'foo/bar', 'foo/baz'] },
  { name: 'options can skip phases', options: { skip: ['foo/bar', 'qux'] }, run: ['foo', 'foo/baz'] },
  { name: 'options can skip phases - hierarchy is considered', options: { skip: ['foo'] }, run: ['qux'] },
  { name: 'skip options have higher precedence than filter options', options: { only: 'foo', skip: ['foo/bar'] }, run: ['foo', 'foo/baz'] },
  { name: 'invalid filter option', options: { only: 'invalid' }, error: 'invalid phase name: "invalid"' },
  { name: 'invalid skip option', options: { skip: ['invalid'] }, error: 'invalid phase name: "invalid"' },
  { name: 'a child name alone is not a path', options: { skip: ['bar'] }, error: 'invalid phase name: "bar"' },
  { name: 'empty skip entries are ignored', options: { skip: ['', ' '] }, run: ['foo', 'foo/bar', 'foo/baz', 'qux'] },
  { name: 'names match in any case', options: { only: 'FOO/Baz' }, run: ['foo/baz'] },
];

for (const c of cases) {
  test(`select: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(() => selectPhases(kubeadmTree, c.options), (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.equal(e.message, c.error);
        assert.equal(e.exitCode, exitCodes.usage);
        assert.equal(e.fix, 'use one of: foo, foo/bar, foo/baz, qux');
        return true;
      });
    } else {
      assert.deepEqual(runPaths(kubeadmTree, c.options), c.run);
    }
  });
}

test('select: skipped phases are reported with the skip that removed them', () => {
  const s = selectPhases(kubeadmTree, { only: 'foo', skip: ['foo/bar', 'qux'], skipSource: 'skipPhases' });
  assert.deepEqual(
    s.skipped.map((x) => [x.placed.path, x.reason]),
    [['foo/bar', 'skipPhases foo/bar']],
    'qux is outside the filter, so it is not reported as skipped',
  );
  assert.deepEqual(
    selectPhases(kubeadmTree, { skip: ['foo'] }).skipped.map((x) => [x.placed.path, x.reason]),
    [['foo', '--skip-phases foo'], ['foo/bar', '--skip-phases foo'], ['foo/baz', '--skip-phases foo']],
  );
});

const certsTree: Phase<unknown>[] = [
  p('preflight'),
  p('certs', { name: 'all', short: 'all certs', selectsParent: true }, p('ca'), p('apiserver')),
  { name: 'cleanup-node', short: 'clean', aliases: ['cleanupnode'] },
];

test('select: the all child selects its parent subtree and never runs itself', () => {
  assert.deepEqual(runPaths(certsTree, { only: 'certs/all' }), ['certs', 'certs/ca', 'certs/apiserver']);
  assert.deepEqual(runPaths(certsTree, {}), ['preflight', 'certs', 'certs/ca', 'certs/apiserver', 'cleanup-node']);
});

test('select: skipping x/all skips x (kubeadm would silently skip nothing)', () => {
  assert.deepEqual(runPaths(certsTree, { skip: ['certs/all'] }), ['preflight', 'cleanup-node']);
});

test('select: aliases address the phase under its canonical path', () => {
  const s = selectPhases(certsTree, { only: 'cleanupnode' });
  assert.deepEqual(s.run.map((x) => x.path), ['cleanup-node']);
  assert.deepEqual(runPaths(certsTree, { skip: ['CleanupNode'] }), ['preflight', 'certs', 'certs/ca', 'certs/apiserver']);
});

test('select: hidden phases stay addressable but are not listed in the fix', () => {
  const tree: Phase<unknown>[] = [p('a'), { name: 'secret', short: 's', hidden: true }];
  assert.deepEqual(runPaths(tree, { only: 'secret' }), ['secret']);
  assert.throws(() => selectPhases(tree, { skip: ['nope'] }), { fix: 'use one of: a' });
});

test('select: needs must run earlier in the same run (kubeadm "unresolved dependencies")', () => {
  const tree: Phase<unknown>[] = [p('token'), p('upload'), { name: 'show', short: 'show', needs: ['token', 'upload'] }];
  assert.deepEqual(runPaths(tree, {}), ['token', 'upload', 'show']);
  assert.throws(() => selectPhases(tree, { only: 'show' }), {
    name: 'UsageError',
    message: 'unresolved dependencies: phase "show" needs "token", "upload"',
  });
  assert.throws(() => selectPhases(tree, { skip: ['upload'] }), { message: 'unresolved dependencies: phase "show" needs "upload"' });
  assert.deepEqual(runPaths(tree, { skip: ['show'] }), ['token', 'upload']);
});

test('validatePhaseNames: rejects an unknown name before anything else happens', () => {
  validatePhaseNames(certsTree, ['certs/ca', 'certs/all', 'cleanupnode', '']);
  assert.throws(() => validatePhaseNames(certsTree, ['certs', 'bogus']), { message: 'invalid phase name: "bogus"' });
});
