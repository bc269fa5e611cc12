// The join command's own rules, in-process on a fake host: control-plane-only flags without --control-plane are
// refused before anything runs (kubeadm drops them silently), and a control-plane phase asked for on a worker
// configuration does nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodes } from '../../src/errors.js';
import { fakeHost, type FakeHostSpec } from '../helpers/fake-host.js';
import { runCli } from './run-cli.js';

const node: FakeHostSpec = {
  hostname: 'node-3',
  euid: 0,
  interfaces: [{ name: 'eth0', address: '192.0.2.13', family: 4, internal: false, prefix: 24 }],
  defaultRoute: { 4: 'eth0' },
};
const worker = ['join', '192.0.2.10:6443', '--token', 'abcdef.0123456789abcdef', '--discovery-token-unsafe-skip-ca-verification'];

test('--certificate-key, --apiserver-advertise-address or --apiserver-bind-port without --control-plane: exit 64, nothing run', async () => {
  for (const [extra, named] of [
    [['--certificate-key', '0123456789abcdef'.repeat(4)], '--certificate-key applies'],
    [['--apiserver-advertise-address', '192.0.2.13'], '--apiserver-advertise-address applies'],
    [['--apiserver-bind-port', '6444', '--certificate-key', 'ab'.repeat(32)], '--certificate-key, --apiserver-bind-port apply'],
  ] as const) {
    const host = fakeHost(node);
    const r = await runCli([...worker, ...extra], { host });
    assert.equal(r.code, exitCodes.usage, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^error: ${named} only to a control-plane join$`, 'm'), r.stderr);
    assert.match(r.stderr, /add --control-plane to join as a control-plane node, or drop those flags to join as a worker/);
    assert.equal(r.stdout, '', 'no phase ran');
    assert.deepEqual(host.mutations, []);
  }
  // With --control-plane the same flags pass this check (and the run goes on to discovery, which finds nothing here).
  const cp = await runCli([...worker, '--control-plane', '--certificate-key', '0123456789abcdef'.repeat(4), '--skip-phases', 'preflight'], { host: fakeHost(node) });
  assert.equal(cp.code, exitCodes.discovery, cp.stderr);
});

test('join phase control-plane-prepare certs with a worker configuration does nothing', async () => {
  const config = [
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'kind: JoinConfiguration',
    'discovery:',
    '  bootstrapToken:',
    '    apiServerEndpoint: 192.0.2.10:6443',
    '    token: abcdef.0123456789abcdef',
    '    unsafeSkipCAVerification: true',
    'nodeRegistration:',
    '  name: node-3',
    '',
  ].join('\n');
  const host = fakeHost({ ...node, files: { '/root/join.yaml': config } });
  const r = await runCli(['join', 'phase', 'control-plane-prepare', 'certs', '--config', '/root/join.yaml'], { host });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  // Only the host lock, taken and given back.
  assert.deepEqual(host.mutations.filter((m) => !('path' in m) || !m.path.startsWith('/run')), [], 'nothing written, nothing run');
  assert.deepEqual(Object.keys(host.files()), ['/root/join.yaml']);
});
