// The resume record on disk: written 0600 in a 0700 directory through the host (atomic), read back, and a damaged
// or foreign file turned into one warning and a fresh start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadProgress, progressPath, progressProblem, writeProgress, type Progress } from '../../src/resume/progress.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const sample: Progress = {
  apiVersion: 'tskubeadm.io/v1alpha1',
  kind: 'Progress',
  command: 'init',
  identity: { command: 'init', nodeName: 'node-1' },
  identityHash: 'a'.repeat(64),
  generated: { bootstrapToken: 'abcdef.0123456789abcdef' },
  phases: {
    'certs/ca': { state: 'finished', inputHash: 'b'.repeat(64), finishedAt: '2026-01-01T00:00:00.000Z', files: { '/etc/kubernetes/pki/ca.crt': 'c'.repeat(64) } },
    'kubelet-start': { state: 'started', inputHash: '', files: {} },
  },
};

test('a written record reads back equal, 0600 in a 0700 directory', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    await writeProgress(host, sample);
    const warnings: string[] = [];
    assert.deepEqual(await loadProgress(host, (l) => warnings.push(l)), sample);
    assert.deepEqual(warnings, []);
    assert.equal((await stat(path.join(root, progressPath))).mode & 0o777, 0o600);
    assert.equal((await stat(path.join(root, path.dirname(progressPath)))).mode & 0o777, 0o700);
  });
});

test('no record: undefined and no warning', async () => {
  await withTempRoot(async (root) => {
    const warnings: string[] = [];
    assert.equal(await loadProgress(tempRootHost(root), (l) => warnings.push(l)), undefined);
    assert.deepEqual(warnings, []);
  });
});

for (const [what, text, expected] of [
  ['truncated JSON', '{"apiVersion":', /is not valid JSON/],
  ['another kind', JSON.stringify({ ...sample, kind: 'HostJournal' }), /expected apiVersion tskubeadm\.io\/v1alpha1, kind Progress/],
  ['a relative file path', JSON.stringify({ ...sample, phases: { x: { state: 'finished', inputHash: '', files: { 'etc/x': 'c'.repeat(64) } } } }), /files must map absolute paths .* \(at phases\.x\)/],
  ['an unknown generated value', JSON.stringify({ ...sample, generated: { password: 'x' } }), /generated may hold only/],
  ['a bad state', JSON.stringify({ ...sample, phases: { x: { state: 'done', inputHash: '', files: {} } } }), /state must be started or finished/],
] as const) {
  test(`a damaged record (${what}) is one warning and a fresh start`, async () => {
    await withTempRoot(async (root) => {
      await mkdir(path.join(root, path.dirname(progressPath)), { recursive: true });
      await writeFile(path.join(root, progressPath), text);
      const warnings: string[] = [];
      assert.equal(await loadProgress(tempRootHost(root), (l) => warnings.push(l)), undefined);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /^\[resume\] ignoring .*progress\.json: /);
      assert.match(warnings[0]!, expected);
      assert.match(warnings[0]!, /every phase runs again$/);
    });
  });
}

test('progressProblem accepts the sample and names the first problem otherwise', () => {
  assert.equal(progressProblem(sample), undefined);
  assert.equal(progressProblem([]), 'expected an object');
  assert.match(progressProblem({ ...sample, identityHash: 'xyz' }) ?? '', /identityHash must be a SHA-256/);
  assert.match(progressProblem({ ...sample, command: 'reset' }) ?? '', /command must be init or join/);
});
