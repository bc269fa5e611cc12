import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findExecutable } from '../../src/host/real-exec.js';
import { realHost } from '../../src/host/real-host.js';
import { withTempRoot } from '../helpers/temp-root.js';

test('exec runs real programs with argv arrays and captures output', async () => {
  const h = realHost();
  assert.deepEqual(await h.exec.run(['true'], { mutates: false }), { exitCode: 0, stdout: '', stderr: '' });
  assert.equal((await h.exec.run(['false'], { mutates: false })).exitCode, 1);
  // No shell: the argument reaches echo verbatim.
  assert.equal((await h.exec.run(['echo', 'a  $HOME;b'], { mutates: false })).stdout, 'a  $HOME;b\n');
  const both = await h.exec.run(['sh', '-c', 'echo out; echo err >&2; exit 3'], { mutates: false });
  assert.deepEqual(both, { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  assert.equal((await h.exec.run(['cat'], { mutates: false, input: 'from stdin' })).stdout, 'from stdin');
  assert.equal((await h.exec.run(['cat'], { mutates: false })).stdout, '', 'stdin is closed when no input is given');
  assert.equal((await h.exec.run(['sh', '-c', 'echo $TSK_TEST'], { mutates: false, env: { TSK_TEST: 'v' } })).stdout, 'v\n');
  assert.equal((await h.exec.run(['sh', '-c', 'kill -9 $$'], { mutates: false })).exitCode, 137);
  assert.equal(h.mutations.length, 0);
  await h.exec.run(['true'], { mutates: true });
  assert.deepEqual(h.mutations, [{ action: 'exec', argv: ['true'] }]);
});

test('exec reports a program that cannot start as a spawn error', () =>
  withTempRoot(async (root) => {
    const h = realHost();
    const r = await h.exec.run(['tskubeadm-no-such-program'], { mutates: false });
    assert.equal(r.exitCode, 127);
    assert.match(r.spawnError ?? '', /ENOENT/);
    const file = path.join(root, 'not-executable');
    await writeFile(file, '#!/bin/sh\n', { mode: 0o644 });
    const notExec = await h.exec.run([file], { mutates: false });
    assert.equal(notExec.exitCode, 126);
    assert.match(notExec.spawnError ?? '', /EACCES/);
  }));

test('exec kills a program that exceeds its timeout', async () => {
  const r = await realHost().exec.run(['sleep', '30'], { mutates: false, timeoutMs: 100 });
  assert.deepEqual(r, { exitCode: 124, stdout: '', stderr: '', timedOut: true });
});

test('which scans PATH for an executable regular file', () =>
  withTempRoot(async (root) => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    await mkdir(a);
    await mkdir(b);
    await writeFile(path.join(a, 'kubelet'), 'not executable');
    await mkdir(path.join(a, 'crictl'));
    await writeFile(path.join(b, 'kubelet'), '#!/bin/sh\n');
    await chmod(path.join(b, 'kubelet'), 0o755);
    const pathEnv = `${a}:${b}`;
    // root may access any file, so a non-executable file is told apart by its mode bits through X_OK.
    assert.equal(await findExecutable('kubelet', pathEnv), path.join(b, 'kubelet'));
    assert.equal(await findExecutable('crictl', pathEnv), undefined);
    assert.equal(await findExecutable('nothing', pathEnv), undefined);
    const h = realHost({ env: { PATH: pathEnv } });
    assert.equal(await h.exec.which('kubelet'), path.join(b, 'kubelet'));
    assert.equal(await realHost().exec.which('sh') !== undefined, true);
  }));
