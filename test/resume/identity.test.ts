// What makes "a different node or cluster": the identity fields, the first difference named with both values, and
// the conflict error (exit 7) with its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeOf, exitCodes } from '../../src/errors.js';
import { firstDifference, identityHash, initIdentity, joinIdentity, ResumeConflictError } from '../../src/resume/identity.js';
import { checkIdentity } from '../../src/resume/session.js';
import type { Progress } from '../../src/resume/progress.js';
import { fakeHost } from '../helpers/fake-host.js';
import { initConfig, joinConfig } from '../preflight/healthy-host.js';

test('init identity: node, cluster, endpoints, networks and etcd; not the version, extraArgs or SANs', () => {
  const id = initIdentity(initConfig());
  assert.deepEqual(Object.keys(id), [
    'command', 'nodeName', 'clusterName', 'certificatesDir', 'controlPlaneEndpoint', 'advertiseAddress', 'serviceSubnet', 'podSubnet', 'dnsDomain', 'etcd',
  ]);
  assert.equal(id.nodeName, 'node-1');
  assert.equal(id.advertiseAddress, '192.0.2.10:6443');
  assert.equal(id.etcd, 'local /var/lib/etcd');
  const other = initIdentity(initConfig((c) => ({
    ...c,
    cluster: { ...c.cluster, kubernetesVersion: 'v1.34.1', apiServer: { ...c.cluster.apiServer, certSANs: ['x.example'], extraArgs: [{ name: 'v', value: '4' }] } },
  })));
  assert.equal(identityHash(other), identityHash(id));
});

test('join identity: node, discovery target, role and certificate directory', () => {
  const id = joinIdentity(joinConfig());
  assert.deepEqual(id, { command: 'join', nodeName: 'node-1', discovery: '192.0.2.10:6443', role: 'worker', certificatesDir: '/etc/kubernetes/pki' });
});

test('firstDifference reports the first field in order, with both values', () => {
  const a = initIdentity(initConfig());
  const b = initIdentity(initConfig((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, name: 'node-2' } }, cluster: { ...c.cluster, clusterName: 'other' } })));
  assert.deepEqual(firstDifference(a, b), { field: 'nodeName', recorded: 'node-1', current: 'node-2' });
  assert.equal(firstDifference(a, a), undefined);
});

function recorded(command: 'init' | 'join', identity: Record<string, string>): Progress {
  return { apiVersion: 'tskubeadm.io/v1alpha1', kind: 'Progress', command, identity, identityHash: identityHash(identity), generated: {}, phases: {} };
}

test('a record of another identity or command is a ResumeConflictError, exit 7, with the fix', () => {
  const host = fakeHost();
  const mine = initIdentity(initConfig());
  checkIdentity(host, recorded('init', mine), 'init', mine);
  const theirs = { ...mine, podSubnet: '10.244.0.0/16' };
  assert.throws(() => checkIdentity(host, recorded('init', theirs), 'init', mine), (err: unknown) => {
    assert.ok(err instanceof ResumeConflictError);
    assert.equal(exitCodeOf(err), exitCodes.conflict);
    assert.match(err.message, /^this node was set up by an earlier tskubeadm init with podSubnet "10\.244\.0\.0\/16", not "" \(recorded in .*progress\.json\)$/);
    assert.match(err.fix ?? '', /tskubeadm reset -f/);
    return true;
  });
  assert.throws(() => checkIdentity(host, recorded('join', joinIdentity(joinConfig())), 'init', mine), /earlier tskubeadm join with command "join", not "init"/);
});
