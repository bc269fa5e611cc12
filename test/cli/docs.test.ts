// docs/commands.md must equal a fresh generation from the program (run `npm run docs` after a change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandReference } from '../../src/cli/docs.js';
import { exitCodes } from '../../src/errors.js';

test('docs/commands.md is up to date (regenerate with npm run docs)', async () => {
  const onDisk = readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8');
  assert.equal(onDisk, await commandReference());
});

test('the reference covers every command, phase command and exit code', async () => {
  const doc = await commandReference();
  for (const title of [
    'tskubeadm init', 'tskubeadm init phase preflight', 'tskubeadm init phase certs', 'tskubeadm init phase certs ca',
    'tskubeadm init phase kubeconfig', 'tskubeadm init phase kubeconfig admin', 'tskubeadm join phase preflight',
    'tskubeadm reset phase preflight', 'tskubeadm certs', 'tskubeadm certs check-expiration', 'tskubeadm certs renew all',
    'tskubeadm kubeconfig user', 'tskubeadm version', 'tskubeadm config',
  ]) {
    assert.match(doc, new RegExp(`^## ${title}$`, 'm'), title);
  }
  assert.match(doc, /The "init" command executes the following phases:/);
  for (const [name, code] of Object.entries(exitCodes)) assert.match(doc, new RegExp(`^\\| ${code} \\| ${name} \\|$`, 'm'));
});
