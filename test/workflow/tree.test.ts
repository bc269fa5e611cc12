// Tree walking, invariants and the help listing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InternalError } from '../../src/errors.js';
import { phaseListing } from '../../src/workflow/listing.js';
import type { Phase } from '../../src/workflow/phase.js';
import { checkTree, findPhase, phaseNames, placePhases } from '../../src/workflow/tree.js';

const tree: Phase<unknown>[] = [
  { name: 'preflight', short: 'Run pre-flight checks' },
  {
    name: 'certs',
    short: 'Certificate generation',
    phases: [
      { name: 'all', short: 'Generate all certificates', selectsParent: true },
      { name: 'ca', short: 'Generate the self-signed Kubernetes CA' },
      { name: 'apiserver-kubelet-client', short: 'Generate the certificate for the API server to connect to kubelet' },
    ],
  },
  { name: 'secret', short: 'Hidden', hidden: true, phases: [{ name: 'inner', short: 'Inner' }] },
  { name: 'cleanup-node', short: 'Run cleanup node.', aliases: ['cleanupnode'] },
];

test('placePhases: parents before children, with depth and parent path', () => {
  assert.deepEqual(
    placePhases(tree).map((p) => [p.path, p.depth, p.parentPath]),
    [
      ['preflight', 0, undefined],
      ['certs', 0, undefined],
      ['certs/all', 1, 'certs'],
      ['certs/ca', 1, 'certs'],
      ['certs/apiserver-kubelet-client', 1, 'certs'],
      ['secret', 0, undefined],
      ['secret/inner', 1, 'secret'],
      ['cleanup-node', 0, undefined],
    ],
  );
});

test('findPhase: canonical path through aliases and case; undefined when unknown', () => {
  assert.equal(findPhase(tree, 'CERTS/CA')?.path, 'certs/ca');
  assert.equal(findPhase(tree, 'cleanupnode')?.path, 'cleanup-node');
  assert.equal(findPhase(tree, 'certs/nope'), undefined);
  assert.equal(findPhase(tree, 'ca'), undefined);
});

test('phaseNames: visible names only', () => {
  assert.deepEqual(phaseNames(tree), ['preflight', 'certs', 'certs/all', 'certs/ca', 'certs/apiserver-kubelet-client', 'cleanup-node']);
});

test('phaseListing: kubeadm layout, hidden and all phases left out, descriptions aligned', () => {
  assert.equal(
    phaseListing('init', tree),
    [
      'The "init" command executes the following phases:',
      'preflight                    Run pre-flight checks',
      'certs                        Certificate generation',
      '  /ca                        Generate the self-signed Kubernetes CA',
      '  /apiserver-kubelet-client  Generate the certificate for the API server to connect to kubelet',
      'cleanup-node                 Run cleanup node.',
    ].join('\n'),
  );
});

test('checkTree: accepts a sound tree and reports every broken invariant', () => {
  checkTree(tree);
  const bad: Phase<unknown>[] = [
    { name: 'all', short: 'top all', selectsParent: true },
    { name: 'a', short: 'a', aliases: ['b'], needs: ['missing'] },
    { name: 'b', short: 'b', phases: [{ name: 'all', short: 'x', selectsParent: true, run: async () => {} }] },
  ];
  assert.throws(() => checkTree(bad), (e: unknown) => {
    assert.ok(e instanceof InternalError);
    assert.equal(
      e.message,
      'invalid phase tree: all: an "all" phase needs a parent; a: needs unknown phase "missing"; ' +
        'b: duplicate name or alias "b" among its siblings; b/all: an "all" phase can not have run, runIf or children',
    );
    return true;
  });
});
