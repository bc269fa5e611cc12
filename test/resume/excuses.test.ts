// Preflight on a re-run: what this node's own earlier run left passes with an info line; anything else still fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureOutput } from '../../src/output/output.js';
import type { CheckSpec } from '../../src/preflight/check.js';
import { evaluateChecks, runChecks } from '../../src/preflight/runner.js';
import { sha256Hex } from '../../src/sha256.js';
import { excusesFrom, preflightExcuses } from '../../src/resume/excuses.js';
import { identityHash } from '../../src/resume/identity.js';
import { writeProgress, type PhaseRecord, type Progress } from '../../src/resume/progress.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';
import { initTargetOf } from '../preflight/healthy-host.js';

const identity = { command: 'init', nodeName: 'node-1' };
const manifest = 'apiVersion: v1\nkind: Pod\n';

function progress(phases: Record<string, PhaseRecord>): Progress {
  return { apiVersion: 'tskubeadm.io/v1alpha1', kind: 'Progress', command: 'init', identity, identityHash: identityHash(identity), generated: {}, phases };
}

async function put(root: string, p: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, p)), { recursive: true });
  await writeFile(path.join(root, p), text);
}

test('recorded files still as written, their directory and the ports of components whose manifests were written are excused', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    await put(root, 'etc/kubernetes/manifests/kube-apiserver.yaml', manifest);
    await put(root, 'etc/kubernetes/manifests/etcd.yaml', 'changed by someone\n');
    const p = progress({
      'control-plane/apiserver': { state: 'finished', inputHash: 'a'.repeat(64), files: { '/etc/kubernetes/manifests/kube-apiserver.yaml': sha256Hex(manifest) } },
      'etcd/local': { state: 'finished', inputHash: 'a'.repeat(64), files: { '/etc/kubernetes/manifests/etcd.yaml': sha256Hex(manifest) } },
    });
    const excused = await excusesFrom(host, p, { apiServerPort: 6443, etcdDataDir: '/var/lib/etcd' });
    assert.deepEqual([...excused.keys()], [
      'DirAvailable--var-lib-etcd', 'FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml', 'Port-2379', 'Port-2380', 'Port-6443',
    ]);
    assert.equal(excused.get('Port-6443'), '[preflight] Port-6443: left by the earlier tskubeadm init run; resuming');
    assert.ok(!excused.has('FileAvailable--etc-kubernetes-manifests-etcd.yaml'), 'a changed file is not ours any more');
    assert.ok(!excused.has('Port-10250'), 'the kubelet was not started by that run');
  });
});

test('a manifest phase that started and died before recording excuses its manifest; kubelet-start excuses port 10250', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    await put(root, 'etc/kubernetes/manifests/kube-scheduler.yaml', manifest);
    const excused = await excusesFrom(host, progress({
      'control-plane/scheduler': { state: 'started', inputHash: '', files: {} },
      'kubelet-start': { state: 'started', inputHash: '', files: {} },
    }), {});
    assert.deepEqual([...excused.keys()], [
      'DirAvailable--etc-kubernetes-manifests', 'FileAvailable--etc-kubernetes-manifests-kube-scheduler.yaml', 'Port-10250', 'Port-10259',
    ]);
  });
});

test('no record, or a record of another identity: no excuses', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    assert.equal((await preflightExcuses(host, 'init', identity, {})).size, 0);
    await writeProgress(host, progress({ 'kubelet-start': { state: 'finished', inputHash: '', files: {} } }));
    assert.equal((await preflightExcuses(host, 'init', identity, {})).size, 1);
    assert.equal((await preflightExcuses(host, 'init', { ...identity, nodeName: 'node-2' }, {})).size, 0);
    assert.equal((await preflightExcuses(host, 'join', identity, {})).size, 0);
  });
});

test('the runner turns an excused failure into its info line, and leaves every other failure fatal', async () => {
  const failing = (name: string): CheckSpec => ({ name, sets: ['init'], run: async () => ({ warnings: [], errors: [`${name} is in use`] }) });
  const checks = [failing('Port-6443'), failing('Port-10250')];
  const excused = new Map([['Port-6443', '[preflight] Port-6443: left by the earlier tskubeadm init run; resuming']]);
  const target = initTargetOf();
  const outcomes = await evaluateChecks(checks, { host: tempRootHost('/nonexistent'), target, ignore: new Set(), excused });
  assert.deepEqual(outcomes.map((o) => [o.name, o.errors.length, o.excuse]), [
    ['Port-6443', 0, excused.get('Port-6443')],
    ['Port-10250', 1, undefined],
  ]);
  const out = captureOutput();
  await assert.rejects(runChecks(checks, { host: tempRootHost('/nonexistent'), out, target, ignore: new Set(), excused }), /preflight checks failed/);
  assert.match(out.stderr(), /\[ERROR Port-10250\]: Port-10250 is in use/);
  assert.match(out.stdout(), /^\[preflight\] Port-6443: left by the earlier tskubeadm init run; resuming$/m);
  assert.doesNotMatch(out.stderr(), /ERROR Port-6443/);
});
