import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stopKubelet } from '../../src/cleanup/kubelet-stop.js';
import { dryRunHost } from '../../src/host/index.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost, type FakeCommand, type FakeHost } from '../helpers/fake-host.js';
import { resetContext } from '../helpers/reset-context.js';

const loaded = { exitCode: 3, stdout: 'Loaded: loaded (/lib/systemd/system/kubelet.service; enabled)' };
const systemd = (commands: Record<string, FakeCommand> = {}): FakeHost =>
  fakeHost({ path: ['systemctl'], commands: { systemctl: {}, 'systemctl status kubelet': loaded, ...commands } });
const ran = (h: FakeHost) => h.execCalls.map((c) => `${c.opts.mutates ? '!' : ''}${c.argv.join(' ')}`);

test('systemd: the kubelet is stopped with kubeadm\'s line, as a mutation, and reported', async () => {
  const host = systemd();
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await stopKubelet(ctx);
  assert.equal(out.stdout(), '[reset] Stopping the kubelet service\n');
  assert.equal(out.stderr(), '');
  assert.deepEqual(ran(host), ['systemctl is-system-running', 'systemctl status kubelet', '!systemctl stop kubelet']);
  assert.deepEqual(ctx.report.actions, [{ kind: 'stopped', item: 'kubelet' }]);
  assert.deepEqual(ctx.report.leftovers, []);
});

test('no init system: kubeadm\'s two warnings and a service leftover; nothing runs', async () => {
  const host = fakeHost();
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await stopKubelet(ctx);
  assert.equal(out.stdout(), '');
  assert.equal(out.stderr(),
    '[reset] The kubelet service could not be stopped by tskubeadm. Unable to detect a supported init system!\n' +
    '[reset] Please ensure kubelet is stopped manually\n');
  assert.deepEqual(host.execCalls, []);
  assert.equal(ctx.report.leftovers.length, 1);
  assert.equal(ctx.report.leftovers[0]?.kind, 'service');
  assert.equal(ctx.report.leftovers[0]?.item, 'kubelet');
  assert.deepEqual(ctx.report.actions, []);
});

test('a failed stop warns with the command\'s error and leaves a service leftover with the command to run', async () => {
  const host = systemd({ 'systemctl stop kubelet': { exitCode: 1, stderr: 'Job for kubelet.service canceled.\n' } });
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await stopKubelet(ctx);
  assert.equal(out.stderr(),
    '[reset] The kubelet service could not be stopped by tskubeadm: ["systemctl stop kubelet" exited with status 1: Job for kubelet.service canceled.]\n' +
    '[reset] Please ensure kubelet is stopped manually\n');
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item, l.fix]), [['service', 'kubelet', 'systemctl stop kubelet']]);
  assert.deepEqual(ctx.report.actions, []);
});

test('no kubelet unit installed: nothing to stop, no warning, no leftover', async () => {
  const host = systemd({
    'systemctl status kubelet': { exitCode: 4, stderr: 'Unit kubelet.service could not be found.\n' },
    'systemctl stop kubelet': { exitCode: 5, stderr: 'Failed to stop kubelet.service: Unit kubelet.service not loaded.\n' },
  });
  const out = captureOutput(1);
  const ctx = resetContext({ host, out });
  await stopKubelet(ctx);
  assert.match(out.stderr(), /^\[reset\] No kubelet service is installed here: nothing to stop/);
  assert.doesNotMatch(out.stderr(), /Please ensure/);
  assert.deepEqual(ctx.report.leftovers, []);
});

test('systemd not running (a container): a warning and a leftover, no stop attempted', async () => {
  const host = systemd({ 'systemctl is-system-running': { exitCode: 1, stdout: 'offline\n' } });
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await stopKubelet(ctx);
  assert.deepEqual(ran(host), ['systemctl is-system-running']);
  assert.match(out.stderr(), /could not be stopped by tskubeadm: \[systemctl is installed but systemd is not running here/);
  assert.equal(ctx.report.leftovers[0]?.kind, 'service');
});

test('OpenRC: rc-service stops it', async () => {
  const host = fakeHost({ path: ['openrc'], commands: { 'rc-service': { stdout: ' * status: started' } } });
  const ctx = resetContext({ host });
  await stopKubelet(ctx);
  assert.deepEqual(host.mutations, [{ action: 'exec', argv: ['rc-service', 'kubelet', 'stop'] }]);
  assert.deepEqual(ctx.report.actions, [{ kind: 'stopped', item: 'kubelet' }]);
});

test('--dry-run: kubeadm\'s "Would stop" line; the stop is recorded by the dry-run host, not run', async () => {
  const inner = systemd({ 'systemctl stop kubelet': () => assert.fail('the dry run ran systemctl stop') });
  const host = dryRunHost(inner, '/tmp/dry', { cwd: '/' });
  const out = captureOutput();
  const ctx = resetContext({ host, out, dryRun: true });
  await stopKubelet(ctx);
  assert.equal(out.stdout(), '[dryrun] Would stop the kubelet service\n');
  assert.deepEqual(host.mutations, [{ action: 'exec', argv: ['systemctl', 'stop', 'kubelet'] }]);
  assert.deepEqual(inner.mutations, []);
  assert.deepEqual(ctx.report.data().actions, [{ kind: 'stopped', item: 'kubelet' }]);
  assert.equal(ctx.report.data().dryRun, true);
});
