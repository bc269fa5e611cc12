// mark-control-plane's pure part: kubeadm's lines, the taint merge rules and the patch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/objects.js';
import type { Taint } from '../../src/config/types.js';
import { controlPlanePatch, markingLines, mergedTaints, taintText } from '../../src/cluster-objects/node-marking.js';
import { observedLines, skipReference } from '../kubelet/reference.js';

const cpTaint: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const node = (labels: Record<string, string>, taints?: unknown[]): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels }, spec: taints === undefined ? {} : { taints },
});

test('the two lines equal what kubeadm printed', { skip: skipReference }, () => {
  assert.deepEqual(markingLines('node-1', [cpTaint]), observedLines('[mark-control-plane]'));
});

test('no taints: only the labels line', () => {
  assert.equal(markingLines('node-1', []).length, 1);
});

test('taints print as Go\'s Taint.ToString', () => {
  assert.equal(taintText({ key: 'a', value: 'b', effect: 'NoExecute' }), 'a=b:NoExecute');
  assert.equal(taintText({ key: 'a', effect: 'PreferNoSchedule' }), 'a:PreferNoSchedule');
  assert.match(markingLines('n', [cpTaint, { key: 'x', value: 'y', effect: 'NoSchedule' }])[1]!,
    /adding the taints \[node-role\.kubernetes\.io\/control-plane:NoSchedule x=y:NoSchedule\]$/);
});

test('merge: ours first, then existing ones that are not exactly ours', () => {
  const other: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const sameKeyOtherEffect: Taint = { key: cpTaint.key, effect: 'NoExecute' };
  assert.deepEqual(mergedTaints([cpTaint], [other, cpTaint, sameKeyOtherEffect]), [cpTaint, other, sameKeyOtherEffect]);
  assert.deepEqual(mergedTaints([], [other]), [other]);
});

test('patch: both labels with empty values and the control-plane taint on a fresh Node', () => {
  assert.deepEqual(controlPlanePatch(node({ 'kubernetes.io/hostname': 'node-1' }), [cpTaint]), {
    metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } },
    spec: { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] },
  });
});

test('patch: existing taints are kept after ours; an explicit empty list leaves taints alone', () => {
  const existing = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
  assert.deepEqual(controlPlanePatch(node({}, existing), [cpTaint])['spec'],
    { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }, ...existing] });
  const p = controlPlanePatch(node({}, existing), []);
  assert.equal(p['spec'], undefined);
  assert.ok(p['metadata']);
});

test('patch: nothing to send for a Node already marked', () => {
  const marked = node({ 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' },
    [{ key: cpTaint.key, effect: 'NoSchedule' }]);
  assert.deepEqual(controlPlanePatch(marked, [cpTaint]), {});
});
