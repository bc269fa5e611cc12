// The staged-file name is written by atomic-write and read back by the resume's crash hygiene: both sides agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stagedName, stagedWriterPid } from '../../src/host/staged-name.js';

test('a staged name gives back the PID that staged it; other names give none', () => {
  assert.equal(stagedName('ca.key', 4321, '0123456789ab'), '.ca.key.4321.0123456789ab.tmp');
  assert.equal(stagedWriterPid(stagedName('kube-apiserver.yaml', 4321, '0123456789ab')), 4321);
  for (const name of ['ca.key', '.ca.key.tmp', '.ca.key.x.0123456789ab.tmp', '.ca.key.12.0123456789.tmp', 'ca.key.12.0123456789ab.tmp']) {
    assert.equal(stagedWriterPid(name), undefined, name);
  }
});
