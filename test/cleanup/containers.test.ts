import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keptImages, podIdsOf, removeContainerAttempts, removeContainers } from '../../src/cleanup/containers.js';
import { defaultResetConfig } from '../../src/config/default-configs.js';
import type { ResetConfig } from '../../src/config/types.js';
import { dryRunHost } from '../../src/host/index.js';
import type { HostJournal, JournalEntry } from '../../src/journal/journal.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost, type FakeCommand, type FakeHostSpec } from '../helpers/fake-host.js';
import { resetContext } from '../helpers/reset-context.js';

const socket = 'unix:///var/run/containerd/containerd.sock';
const pod1 = 'f3a1c0de9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5';
const pod2 = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';

/** crictl against a runtime holding `pods`; `fail(sub, id, attempt)` may make a call fail. */
function runtime(pods: string[], fail: (sub: string, id: string, attempt: number) => boolean = () => false) {
  const tries = new Map<string, number>();
  const crictl: FakeCommand = (argv) => {
    assert.deepEqual(argv.slice(0, 3), ['crictl', '--runtime-endpoint', socket]);
    const rest = argv.slice(3);
    if (rest.join(' ') === 'pods -q') return { stdout: pods.map((p) => `${p}\n`).join('') };
    assert.deepEqual(rest.slice(0, 2), ['--timeout', '60s']);
    const [sub, ...args] = rest.slice(2);
    const id = args.at(-1) ?? '';
    const key = `${sub} ${id}`;
    const attempt = (tries.get(key) ?? 0) + 1;
    tries.set(key, attempt);
    if (sub === 'rmp') assert.ok(args.includes('--force'));
    return fail(sub ?? '', id, attempt) ? { exitCode: 1, stderr: `rpc error: ${sub} ${id} failed\n` } : {};
  };
  return { crictl };
}

const spec = (crictl: FakeCommand | undefined, more: Partial<FakeHostSpec> = {}): FakeHostSpec => ({
  sockets: ['/var/run/containerd/containerd.sock'],
  ...(crictl === undefined ? {} : { commands: { crictl } }),
  ...more,
});

const changes = (calls: readonly { argv: readonly string[]; opts: { mutates: boolean } }[]) =>
  calls.filter((c) => c.opts.mutates).map((c) => c.argv.slice(5).join(' '));

test('each pod sandbox is stopped then force-removed, as mutations; the count is reported', async () => {
  const host = fakeHost(spec(runtime([pod1, pod2]).crictl));
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await removeContainers(ctx);
  assert.equal(out.stdout(), '');
  assert.equal(out.stderr(), '');
  assert.deepEqual(changes(host.execCalls), [`stopp ${pod1}`, `rmp --force ${pod1}`, `stopp ${pod2}`, `rmp --force ${pod2}`]);
  assert.deepEqual(ctx.report.actions, [{ kind: 'containers-removed', item: '2 pod sandboxes' }]);
  assert.deepEqual(ctx.report.leftovers, []);
});

test('a failing stop is retried; after kubeadm\'s five attempts the sandbox is a leftover and kubeadm\'s warning names it', async () => {
  const flaky = runtime([pod1, pod2], (sub, id, attempt) => (id === pod1 && sub === 'stopp' && attempt < 3) || (id === pod2 && sub === 'rmp'));
  const host = fakeHost(spec(flaky.crictl));
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await removeContainers(ctx);
  const c = changes(host.execCalls);
  assert.deepEqual(c.filter((x) => x.endsWith(pod1)), [`stopp ${pod1}`, `stopp ${pod1}`, `stopp ${pod1}`, `rmp --force ${pod1}`]);
  assert.equal(c.filter((x) => x === `rmp --force ${pod2}`).length, removeContainerAttempts);
  assert.match(out.stderr(), new RegExp(`^\\[reset\\] Failed to remove containers: \\[failed to remove pod ${pod2}: "crictl .* rmp --force ${pod2}" exited with status 1: rpc error`));
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item, l.fix]), [['container', `pod sandbox ${pod2}`, `crictl --runtime-endpoint ${socket} rmp --force ${pod2}`]]);
  assert.deepEqual(ctx.report.actions, [{ kind: 'containers-removed', item: '1 pod sandbox' }]);
});

test('crictl not installed: kubeadm\'s warning, a leftover that says to install it, nothing else', async () => {
  const host = fakeHost(spec(undefined));
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await removeContainers(ctx);
  assert.match(out.stderr(), /^\[reset\] Failed to remove containers: failed to list pod sandboxes: cannot run "crictl --runtime-endpoint unix:\/\/\/var\/run\/containerd\/containerd\.sock pods -q": spawn crictl ENOENT\n$/);
  assert.equal(ctx.report.leftovers.length, 1);
  assert.equal(ctx.report.leftovers[0]?.kind, 'container');
  assert.match(ctx.report.leftovers[0]?.fix ?? '', /^install crictl \(the cri-tools package\), then: crictl --runtime-endpoint \S+ rmp --all --force$/);
  assert.deepEqual(ctx.report.actions, []);
});

test('nothing listens on the socket: the warning says so and crictl is not run', async () => {
  const host = fakeHost({ commands: { crictl: () => assert.fail('crictl ran against a dead socket') } });
  const out = captureOutput();
  const ctx = resetContext({ host, out });
  await removeContainers(ctx);
  assert.equal(out.stderr(), `[reset] Failed to remove containers: cannot connect to the container runtime at ${socket}: connect ENOENT\n`);
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item]), [['container', `pod sandboxes on ${socket}`]]);
  assert.match(ctx.report.leftovers[0]?.fix ?? '', /^start the container runtime, then: crictl/);
});

test('no criSocket and several runtimes found: kubeadm\'s detection message in the warning', async () => {
  const d = defaultResetConfig();
  const cfg: ResetConfig = { ...d, reset: { ...d.reset, criSocket: '' } };
  const host = fakeHost({ sockets: ['/var/run/containerd/containerd.sock', '/var/run/crio/crio.sock'] });
  const out = captureOutput();
  await removeContainers(resetContext({ host, out, cfg }));
  assert.match(out.stderr(), /Failed to remove containers: found multiple CRI endpoints on the host/);
});

test('the images init pulled (journal) are kept and listed as leftovers, once each, with the command that removes them', async () => {
  const pull = (image: string, run = 0): JournalEntry => ({ run, action: 'exec', argv: ['crictl', '--runtime-endpoint', socket, 'pull', image] });
  const journal: HostJournal = {
    apiVersion: 'journal.tskubeadm.io/v1alpha1', kind: 'HostJournal',
    runs: [{ command: 'init', startedAt: '2025-01-01T00:00:00Z', phases: ['preflight'] }],
    snapshot: { takenAt: '2025-01-01T00:00:00Z', dirs: {}, interfaces: [] },
    entries: [
      pull('registry.k8s.io/kube-apiserver:v1.35.0'),
      { run: 0, action: 'exec', argv: ['systemctl', 'restart', 'kubelet'] },
      pull('registry.k8s.io/pause:3.10.1'),
      pull('registry.k8s.io/kube-apiserver:v1.35.0', 1),
    ],
  };
  assert.deepEqual(keptImages(journal).map((i) => i.image), ['registry.k8s.io/kube-apiserver:v1.35.0', 'registry.k8s.io/pause:3.10.1']);
  const host = fakeHost(spec(runtime([]).crictl));
  const ctx = resetContext({ host, journal });
  await removeContainers(ctx);
  assert.deepEqual(ctx.report.leftovers, [
    { kind: 'image', item: 'registry.k8s.io/kube-apiserver:v1.35.0', reason: 'kept: images are reused by the next init and may be shared', fix: `crictl --runtime-endpoint ${socket} rmi registry.k8s.io/kube-apiserver:v1.35.0` },
    { kind: 'image', item: 'registry.k8s.io/pause:3.10.1', reason: 'kept: images are reused by the next init and may be shared', fix: `crictl --runtime-endpoint ${socket} rmi registry.k8s.io/pause:3.10.1` },
  ]);
  assert.deepEqual(ctx.report.actions, [], 'no sandboxes: nothing removed');
});

test('--dry-run: kubeadm\'s "Would remove" line; the sandboxes are listed, their removal recorded, not run', async () => {
  const r = runtime([pod1]);
  const inner = fakeHost(spec((argv, opts) => (opts.mutates ? assert.fail(`the dry run ran ${argv.join(' ')}`) : r.crictl(argv, opts))));
  const host = dryRunHost(inner, '/tmp/dry', { cwd: '/' });
  const out = captureOutput();
  const ctx = resetContext({ host, out, dryRun: true });
  await removeContainers(ctx);
  assert.equal(out.stdout(), '[dryrun] Would remove Kubernetes-managed containers\n');
  assert.deepEqual(host.mutations.map((m) => (m.action === 'exec' ? m.argv.slice(5).join(' ') : m.action)), [`stopp ${pod1}`, `rmp --force ${pod1}`]);
  assert.deepEqual(ctx.report.data(), { apiVersion: 'output.tskubeadm.io/v1alpha1', kind: 'ResetReport', dryRun: true, actions: [{ kind: 'containers-removed', item: '1 pod sandbox' }], leftovers: [] });
});

test('pod IDs: only hex IDs from crictl\'s output', () => {
  assert.deepEqual(podIdsOf(`time="2025" level=debug msg="x"\n${pod1}\n\n${pod2}\n`), [pod1, pod2]);
});
