// reset starts a node over: removing the host journal removes the resume record too, and their directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { removeJournal } from '../../src/journal/journal-file.js';
import { progressPath, writeProgress } from '../../src/resume/progress.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

test('removeJournal removes progress.json and the then empty /var/lib/tskubeadm', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    await writeProgress(host, {
      apiVersion: 'tskubeadm.io/v1alpha1', kind: 'Progress', command: 'init', identity: {}, identityHash: 'a'.repeat(64), generated: {}, phases: {},
    });
    assert.deepEqual(await readdir(path.join(root, path.dirname(progressPath))), ['progress.json']);
    await removeJournal(host);
    assert.deepEqual(await readdir(path.join(root, 'var/lib')), []);
  });
});
