import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  controlService, describeFailure, kubeletResolvConf, serviceCommands, serviceIsActive, tryStartKubelet,
  tryStopKubelet,
} from '../../src/kubelet/kubelet-service.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost, type FakeCommand, type FakeHost } from '../helpers/fake-host.js';

const systemd = (commands: Record<string, FakeCommand> = {}): FakeHost =>
  fakeHost({ path: ['systemctl'], commands: { systemctl: {}, 'systemctl status kubelet': { exitCode: 3, stdout: 'Loaded: loaded (/lib/systemd/system/kubelet.service; enabled)' }, ...commands } });
const openrc = (commands: Record<string, FakeCommand> = {}): FakeHost =>
  fakeHost({ path: ['openrc'], commands: { 'rc-service': { stdout: ' * status: started' }, ...commands } });

const ran = (h: FakeHost) => h.execCalls.map((c) => `${c.opts.mutates ? '!' : ''}${c.argv.join(' ')}`);

test('the commands per init system and action', () => {
  assert.deepEqual(serviceCommands('systemd', 'kubelet', 'restart'), [['systemctl', 'daemon-reload'], ['systemctl', 'restart', 'kubelet']]);
  assert.deepEqual(serviceCommands('systemd', 'kubelet', 'start'), [['systemctl', 'daemon-reload'], ['systemctl', 'start', 'kubelet']]);
  assert.deepEqual(serviceCommands('systemd', 'kubelet', 'stop'), [['systemctl', 'stop', 'kubelet']]);
  assert.deepEqual(serviceCommands('openrc', 'kubelet', 'restart'), [['rc-service', 'kubelet', 'restart']]);
  assert.deepEqual(serviceCommands('openrc', 'kubelet', 'stop'), [['rc-service', 'kubelet', 'stop']]);
});

test('systemd: the unit is looked up, then daemon-reload and restart run as mutations', async () => {
  const h = systemd();
  const o = await controlService(h, 'kubelet', 'restart');
  assert.deepEqual(o, { initSystem: 'systemd', exists: true, failure: undefined });
  assert.deepEqual(ran(h), ['systemctl is-system-running', 'systemctl status kubelet', '!systemctl daemon-reload', '!systemctl restart kubelet']);
  assert.deepEqual(h.mutations, [{ action: 'exec', argv: ['systemctl', 'daemon-reload'] }, { action: 'exec', argv: ['systemctl', 'restart', 'kubelet'] }]);
});

test('systemctl without a running systemd (a container): nothing is tried, and starting says so plainly', async () => {
  const notBooted = { exitCode: 1, stderr: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.\nFailed to connect to bus: Host is down\n' };
  const h = systemd({ 'systemctl is-system-running': notBooted });
  assert.deepEqual(await controlService(h, 'kubelet', 'restart'), { initSystem: 'systemd', systemdNotRunning: true });
  assert.deepEqual(ran(h), ['systemctl is-system-running']);
  const out = captureOutput();
  await tryStopKubelet(h, out);
  await tryStartKubelet(h, out);
  assert.equal(out.stderr(), '[kubelet-start] WARNING: systemctl is installed but systemd is not running here (PID 1 is not systemd), so the kubelet ' +
    'cannot be started: start it by other means with the files above, or run tskubeadm on a node booted with systemd.\n');
  assert.deepEqual(h.mutations, []);
});

test('no init system: nothing runs', async () => {
  const h = fakeHost();
  assert.deepEqual(await controlService(h, 'kubelet', 'restart'), { initSystem: undefined });
  assert.deepEqual(h.execCalls, []);
  assert.equal(await serviceIsActive(h, 'systemd-resolved'), undefined);
});

test('a failed reload stops the sequence and says which command failed', async () => {
  const h = systemd({ 'systemctl daemon-reload': { exitCode: 1, stderr: 'Failed to connect to bus: No such file or directory\n' } });
  const o = await controlService(h, 'kubelet', 'restart');
  assert.equal(o.initSystem, 'systemd');
  assert.equal(o.initSystem === 'systemd' && !o.systemdNotRunning ? o.failure?.message : '', '"systemctl daemon-reload" exited with status 1: Failed to connect to bus: No such file or directory');
  assert.deepEqual(ran(h), ['systemctl is-system-running', 'systemctl status kubelet', '!systemctl daemon-reload']);
});

test('a unit that was never installed does not exist (exit 4), and one systemd reports not-found neither', async () => {
  for (const status of [{ exitCode: 4, stderr: 'Unit kubelet.service could not be found.' }, { exitCode: 3, stdout: '  Loaded: not-found (Reason: Unit kubelet.service not found.)' }]) {
    const o = await controlService(systemd({ 'systemctl status kubelet': status }), 'kubelet', 'stop');
    assert.equal(o.initSystem === 'systemd' && !o.systemdNotRunning && o.exists, false);
  }
});

test('describeFailure words spawn errors, timeouts and exits', () => {
  const argv = ['systemctl', 'restart', 'kubelet'];
  assert.equal(describeFailure(argv, { exitCode: 127, stdout: '', stderr: '', spawnError: 'spawn systemctl ENOENT' }, 90_000),
    'cannot run "systemctl restart kubelet": spawn systemctl ENOENT');
  assert.equal(describeFailure(argv, { exitCode: 124, stdout: '', stderr: '', timedOut: true }, 90_000), '"systemctl restart kubelet" did not finish within 90s');
  assert.equal(describeFailure(argv, { exitCode: 5, stdout: '', stderr: '' }, 90_000), '"systemctl restart kubelet" exited with status 5');
});

test('OpenRC: rc-service runs the action; status decides existence and activity', async () => {
  const h = openrc();
  assert.deepEqual(await controlService(h, 'kubelet', 'restart'), { initSystem: 'openrc', exists: true, failure: undefined });
  assert.deepEqual(ran(h), ['rc-service kubelet status', '!rc-service kubelet restart']);
  assert.equal(await serviceIsActive(h, 'kubelet'), true);
  assert.equal(await serviceIsActive(openrc({ 'rc-service': { exitCode: 3, stdout: ' * status: stopped' } }), 'kubelet'), false);
  assert.equal(await serviceIsActive(openrc({ 'rc-service': { exitCode: 1, stderr: ' * rc-service: service `x\' does not exist' } }), 'x'), false);
});

test('serviceIsActive on systemd: active and activating count, anything else does not', async () => {
  const state = (stdout: string, exitCode = 0) => serviceIsActive(systemd({ 'systemctl is-active systemd-resolved': { stdout, exitCode } }), 'systemd-resolved');
  assert.equal(await state('active\n'), true);
  assert.equal(await state('activating\n', 3), true);
  assert.equal(await state('inactive\n', 3), false);
  assert.equal(await state('', 4), false);
});

test('kubeletResolvConf: systemd-resolved active gives its resolv.conf; otherwise none', async () => {
  assert.equal(await kubeletResolvConf(systemd({ 'systemctl is-active systemd-resolved': { stdout: 'active\n' } })), '/run/systemd/resolve/resolv.conf');
  assert.equal(await kubeletResolvConf(systemd({ 'systemctl is-active systemd-resolved': { stdout: 'inactive\n', exitCode: 3 } })), undefined);
  assert.equal(await kubeletResolvConf(fakeHost()), undefined);
});

test("tryStartKubelet: kubeadm's lines for no init system, a missing unit and a failed restart, and the run carries on", async () => {
  let out = captureOutput();
  await tryStartKubelet(fakeHost(), out);
  assert.equal(out.stderr(), "[kubelet-start] No supported init system detected, won't make sure the kubelet is running properly.\n");

  out = captureOutput();
  const missing = systemd({ 'systemctl status kubelet': { exitCode: 4 }, 'systemctl restart kubelet': { exitCode: 5, stderr: 'Failed to restart kubelet.service: Unit kubelet.service not found.' } });
  await tryStartKubelet(missing, out);
  assert.equal(out.stderr(), [
    "[kubelet-start] Couldn't detect a kubelet service, can't make sure the kubelet is running properly.",
    '[kubelet-start] WARNING: unable to start the kubelet service: ["systemctl restart kubelet" exited with status 5: Failed to restart kubelet.service: Unit kubelet.service not found.]',
    "[kubelet-start] To see why it did not start: 'systemctl status kubelet' and 'journalctl -xeu kubelet'",
    '',
  ].join('\n'));
  assert.equal(out.stdout(), '[kubelet-start] Please ensure kubelet is reloaded and running manually.\n');

  out = captureOutput();
  await tryStartKubelet(systemd(), out);
  assert.equal(out.stderr() + out.stdout(), '');
});

test("tryStopKubelet: kubeadm's warnings", async () => {
  let out = captureOutput();
  await tryStopKubelet(fakeHost(), out);
  assert.equal(out.stderr(), "[kubelet-start] No supported init system detected, won't make sure the kubelet not running for a short period of time while setting up configuration for it.\n");

  out = captureOutput();
  await tryStopKubelet(systemd({ 'systemctl stop kubelet': { exitCode: 1, stderr: 'Access denied' } }), out);
  assert.equal(out.stderr(), '[kubelet-start] WARNING: unable to stop the kubelet service momentarily: ["systemctl stop kubelet" exited with status 1: Access denied]\n');

});
