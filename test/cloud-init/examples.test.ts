// examples/cloud-init/<role>.user-data.yaml are rendered from <role>.kubeadm.yaml beside them by
// the command itself; rewritten only with UPDATE_GOLDEN=1 (review the diff), otherwise compared.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { roles } from '../../src/cloud-init/roles.js';
import { fakeHost } from '../helpers/fake-host.js';
import { runCloudInit } from './run-command.js';

const examples = path.resolve(import.meta.dirname, '../../examples/cloud-init');
const installFrom = 'https://downloads.example.com/tskubeadm/v0.1.0/tskubeadm-linux-amd64';
const cloudInitMissing = spawnSync('cloud-init', ['--version']).status === 0 ? false : 'cloud-init is not installed';

for (const role of roles) {
  test(`examples/cloud-init/${role}.user-data.yaml is what the command renders`, async () => {
    const input = path.join(examples, `${role}.kubeadm.yaml`);
    const host = fakeHost({ files: { '/kubeadm.yaml': readFileSync(input, 'utf8') } });
    const r = await runCloudInit(['--role', role, '--config', '/kubeadm.yaml', '--install-from', installFrom], host);
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.stderr, '', 'the examples render without warnings');
    const file = path.join(examples, `${role}.user-data.yaml`);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, r.stdout);
    assert.ok(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1 and review the diff`);
    assert.equal(r.stdout, readFileSync(file, 'utf8'), `${file} is stale: run with UPDATE_GOLDEN=1 and review the diff`);
  });
}

test('cloud-init schema accepts every example', { skip: cloudInitMissing }, () => {
  for (const role of roles) {
    const r = spawnSync('cloud-init', ['schema', '--config-file', path.join(examples, `${role}.user-data.yaml`)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
});
