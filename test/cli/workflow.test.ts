// init, join and reset end to end in-process, on a fake host: the run's frame (start lines,
// dry-run directory, plan, skip handling, confirmation, cancellation) and the error → exit code
// mapping of the single catch. What each phase checks is tested with the phases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodes } from '../../src/errors.js';
import { initPhases } from '../../src/phases/init/tree.js';
import { phaseNames } from '../../src/workflow/tree.js';
import { fakeHost, type FakeHostSpec } from '../helpers/fake-host.js';
import { expectedPlan, initPlan, plannedChanges } from './init-files.js';
import { runCli } from './run-cli.js';

const node: FakeHostSpec = {
  hostname: 'node-1',
  euid: 0,
  interfaces: [{ name: 'eth0', address: '192.0.2.10', family: 4, internal: false, prefix: 24 }],
  defaultRoute: { 4: 'eth0' },
};
const ansi = /\u001b\[/;

test('init --dry-run: dry-run directory line, [init] start line, a plan of every file; only the directory is written to', async () => {
  const host = fakeHost(node);
  const r = await runCli(['init', '--dry-run', '--ignore-preflight-errors=all'], { host });
  assert.equal(r.code, 0, r.stderr);
  const dir = /^Using dry-run directory (\/etc\/kubernetes\/tmp\/tskubeadm-init-dryrun\d+)\. To override it, set the environment variable TSKUBEADM_INIT_DRYRUN_DIR$/m.exec(r.stderr)?.[1];
  assert.ok(dir, r.stderr);
  assert.equal((await host.fs.stat(dir))?.mode, 0o700);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], '[init] Using Kubernetes version: v1.35.0');
  assert.equal(lines[1], '[preflight] Running pre-flight checks');
  assert.ok(lines.includes('[certs] Generating "ca" certificate and key'), r.stdout);
  assert.ok(lines.includes('[kubeconfig] Writing "admin.conf" kubeconfig file'), r.stdout);

  // The plan: one line per file and folder, in order, with its mode; the manifests and kubelet files in full;
  // then where the files went. This fake host has no init system, so no service command is planned.
  const planAt = lines.indexOf('[dryrun] Planned changes to this host, none of which were made:');
  assert.ok(planAt > 0, r.stdout);
  assert.deepEqual(plannedChanges(lines.slice(planAt + 1)), expectedPlan());
  assert.doesNotMatch(r.stdout, /Would run:/);
  assert.ok(lines.includes('[dryrun] Would write file "/etc/kubernetes/manifests/kube-apiserver.yaml" with content:'), r.stdout);
  assert.ok(lines.includes('[dryrun] Would write file "/var/lib/kubelet/config.yaml" with content:'), r.stdout);
  assert.ok(!lines.some((l) => /Would write file "[^"]+\.(key|crt|conf)" with content/.test(l)), 'secrets are never shown');
  assert.equal(lines.at(-1), `[dryrun] The files it would write are in ${dir}`);

  // On the host: the dry-run directory, and the files inside it; /etc/kubernetes itself is untouched.
  const written = host.mutations.map((m) => ('path' in m ? m.path : m.action));
  assert.deepEqual(written.slice(0, 2), ['/etc/kubernetes/tmp', dir]);
  assert.deepEqual(written.slice(2), initPlan.map((f) => `${dir}${f.path}`));
  assert.equal(await host.fs.stat('/etc/kubernetes/pki'), undefined);
  assert.equal(await host.fs.stat('/etc/kubernetes/admin.conf'), undefined);
  for (const f of initPlan) assert.equal((await host.fs.stat(`${dir}${f.path}`))?.mode, f.mode, f.path);

  assert.doesNotMatch(r.stdout + r.stderr, ansi, 'non-TTY output has no ANSI escapes');
  assert.deepEqual(r.hostsMade, [undefined]);
});

test('init --dry-run names the folders the files really go to, as kubeadm does', async () => {
  const r = await runCli(['init', '--dry-run', '--skip-phases=preflight'], { host: fakeHost(node), env: { TSKUBEADM_INIT_DRYRUN_DIR: '/var/tmp/plan' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\[certs\] Using certificateDir folder "\/var\/tmp\/plan\/etc\/kubernetes\/pki"$/m);
  assert.match(r.stdout, /^\[kubeconfig\] Using kubeconfig folder "\/var\/tmp\/plan\/etc\/kubernetes"$/m);
});

test('init --dry-run honours TSKUBEADM_INIT_DRYRUN_DIR, silently, as kubeadm its KUBEADM_ variable', async () => {
  const host = fakeHost(node);
  const r = await runCli(['init', '--dry-run', '--skip-phases=preflight'], { host, env: { TSKUBEADM_INIT_DRYRUN_DIR: '/var/tmp/plan' } });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /Using dry-run directory/);
  assert.equal((await host.fs.stat('/var/tmp/plan'))?.kind, 'directory');
});

test('--rootfs reaches the host factory; -v 1 adds phase timing and skip lines on stderr', async () => {
  const r = await runCli(['init', '--dry-run', '--skip-phases', 'preflight', '--rootfs', '/srv/root', '-v', '1'], { host: fakeHost(node) });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.hostsMade, ['/srv/root']);
  assert.match(r.stderr, /^\[phase\] preflight skipped by --skip-phases preflight$/m);
  assert.match(r.stderr, /^\[phase\] certs\/ca done in \d+(\.\d+)?m?s$/m);
  assert.match(r.stderr, /^\[phase\] kubeconfig\/scheduler done in \d+(\.\d+)?m?s$/m);
  assert.match(r.stdout, /^\[init\] Using Kubernetes version: v1\.35\.0\n\[certs\] Using certificateDir folder /);
  assert.doesNotMatch(r.stdout, /\[preflight\]|\[phase\]/, 'skipped phases print nothing; timings go to stderr');

  const timed = await runCli(['reset', '--force', '--v=1'], { host: fakeHost(node) });
  assert.equal(timed.code, 0, timed.stderr);
  assert.match(timed.stderr, /^\[phase\] preflight done in \d+ms$/m);
});

test('init phase preflight: no [init] start line; a failed check exits 2 with kubeadm\'s error line and changes nothing', async () => {
  const host = fakeHost({ ...node, euid: 1000 });
  const r = await runCli(['init', 'phase', 'preflight'], { host });
  assert.equal(r.code, exitCodes.preflight);
  assert.doesNotMatch(r.stdout, /\[init\]/);
  assert.match(r.stdout, /^\[preflight\] Running pre-flight checks\n/);
  assert.match(r.stderr, /\nerror: error execution phase preflight: preflight checks failed\n {2}fix: .*--ignore-preflight-errors=/);
  assert.match(r.stderr, /To see the stack trace of this error execute with --v=5 or higher\n$/);
  // The host lock was taken and given back; nothing else changed.
  assert.deepEqual(host.mutations.map((m) => `${m.action} ${'path' in m ? m.path : ''}`), ['write /run/tskubeadm.lock', 'remove /run/tskubeadm.lock', 'remove /run']);
  assert.deepEqual(Object.keys(host.files()), []);
});

test('config errors exit 3: a bad file, a bad skipPhases entry (before the dry-run directory is made), a --config mix', async () => {
  const host = fakeHost({
    ...node,
    files: {
      '/bad.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nfoo: 1\n',
      '/skip.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nskipPhases: [bogus]\n',
    },
  });
  const bad = await runCli(['init', '--config', '/bad.yaml'], { host });
  assert.equal(bad.code, exitCodes.invalidInput);
  assert.match(bad.stderr, /^error: \/bad\.yaml:3:1, document 1 \(ClusterConfiguration\), foo: unknown field "foo"\n {2}fix: /);

  const skip = await runCli(['init', '--config', '/skip.yaml', '--dry-run'], { host });
  assert.equal(skip.code, exitCodes.invalidInput);
  assert.match(skip.stderr, /^error: \/skip\.yaml, skipPhases: invalid phase name: "bogus"\n {2}fix: use one of: preflight, certs, /);
  assert.ok(skip.stderr.includes(`fix: use one of: ${phaseNames(initPhases).join(', ')}\n`), skip.stderr);
  assert.equal(skip.stdout, '');
  assert.deepEqual(host.mutations, [], 'nothing was written, not even the dry-run directory');

  const mixed = await runCli(['init', '--config', '/skip.yaml', '--pod-network-cidr', '10.244.0.0/16'], { host });
  assert.equal(mixed.code, exitCodes.usage);
  assert.match(mixed.stderr, /^error: can not mix '--config' with arguments \[pod-network-cidr\]\n/);
});

test('--skip-phases on the command line wins over the config file, and is checked before the file is read', async () => {
  const host = fakeHost({ ...node, files: { '/skip.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nskipPhases: [bogus]\n' } });
  const r = await runCli(['init', '--config', '/skip.yaml', '--skip-phases', 'preflight', '--dry-run'], { host });
  assert.equal(r.code, 0, r.stderr);
  const early = await runCli(['init', '--config', '/missing.yaml', '--skip-phases', 'nope'], { host });
  assert.equal(early.code, exitCodes.usage);
  assert.match(early.stderr, /^error: invalid phase name: "nope"\n/);
});

test('reset asks before it runs preflight: no terminal → usage error; "no" → exit 1; "y", --force and --dry-run proceed', async () => {
  const noTerminal = await runCli(['reset'], { host: fakeHost(node) });
  assert.equal(noTerminal.code, exitCodes.usage);
  assert.equal(
    noTerminal.stderr,
    "[reset] WARNING: Changes made to this host by 'tskubeadm init' or 'tskubeadm join' will be reverted.\n" +
      'error: error execution phase preflight: reset asks for confirmation, and there is no terminal to ask on\n' +
      '  fix: pass --force (-f) to reset without a prompt\n' +
      'To see the stack trace of this error execute with --v=5 or higher\n',
  );
  assert.equal(noTerminal.stdout, '');

  const asked: string[] = [];
  const declined = await runCli(['reset'], { host: fakeHost(node), confirm: async (q) => (asked.push(q), false) });
  assert.equal(declined.code, exitCodes.generic);
  assert.deepEqual(asked, ['[reset] Are you sure you want to proceed?']);
  assert.match(declined.stderr, /^error: error execution phase preflight: won't proceed; the user didn't answer \(Y\|y\) in order to continue\n/m);

  const accepted = await runCli(['reset'], { host: fakeHost(node), confirm: async () => true });
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(accepted.stdout, /^\[preflight\] Running pre-flight checks\n\[reset\] Deleting contents of directories: /);

  for (const argv of [['reset', '-f'], ['reset', '--force=true'], ['reset', '--dry-run'], ['reset', 'phase', 'preflight', '--force']]) {
    const r = await runCli(argv, { host: fakeHost(node) });
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /will be reverted/, argv.join(' '));
  }
});

test('reset --dry-run ends with the plan and makes no directory', async () => {
  const host = fakeHost(node);
  const r = await runCli(['reset', '--dry-run'], { host });
  assert.equal(r.code, 0, r.stderr);
  // Nothing was set up on this host: no journal, no kubeadm file, so nothing would be deleted or run.
  assert.match(r.stdout, /^\[preflight\] Running pre-flight checks\n[\s\S]*\[dryrun\] Would delete files: \[\/etc\/kubernetes\/admin\.conf [^\n]*\]\n\[dryrun\] No changes would be made to this host\n\ntskubeadm reset would leave /);
  assert.deepEqual(host.mutations, []);
});

test('join takes the endpoint argument to the config loader, and on to discovery', async () => {
  // Nothing answers at the endpoint on the fake host (its clock is virtual): discovery names it and gives up.
  const r = await runCli(
    ['join', '192.0.2.1:6443', '--token', 'abcdef.0123456789abcdef', '--discovery-token-unsafe-skip-ca-verification', '--skip-phases', 'preflight', '--dry-run'],
    { host: fakeHost(node) },
  );
  assert.equal(r.code, exitCodes.discovery, r.stderr);
  assert.match(r.stderr, /https:\/\/192\.0\.2\.1:6443\//);
  const missing = await runCli(['join', '--skip-phases', 'preflight'], { host: fakeHost(node) });
  assert.equal(missing.code, exitCodes.invalidInput, missing.stderr);
});

test('an aborted run stops before the next phase and exits 130', async () => {
  const ac = new AbortController();
  ac.abort(new Error('received SIGINT'));
  const r = await runCli(['reset', '--force'], { host: fakeHost(node), signal: ac.signal });
  assert.equal(r.code, 130);
  assert.match(r.stderr, /^error: interrupted before phase preflight; the phases before it completed\n/);
  assert.equal(r.stdout, '');
});

test('on a terminal the run is a task list and still reports errors through the single catch', async () => {
  const r = await runCli(['init', 'phase', 'preflight'], { host: fakeHost({ ...node, euid: 1000 }), isTTY: true, columns: 100 });
  assert.equal(r.code, exitCodes.preflight);
  assert.match(r.stdout, /preflight: Run pre-flight checks/);
  assert.match(r.stderr, /^error: error execution phase preflight: preflight checks failed$/m);
});

test('a terminal without a size (script, docker -t) gets plain lines, not a task list wrapped at 0 columns', async () => {
  const r = await runCli(['init', 'phase', 'preflight'], { host: fakeHost({ ...node, euid: 1000 }), isTTY: true });
  assert.equal(r.code, exitCodes.preflight);
  assert.doesNotMatch(r.stdout, /preflight: Run pre-flight checks/);
  assert.match(r.stdout, /^\[preflight\] Running pre-flight checks$/m);
  assert.match(r.stderr, /^\t\[ERROR IsPrivilegedUser\]: user is not running as root/m);
});

test('a valid config with a disabled addon runs init (the addon is not turned into a phase name)', async () => {
  const host = fakeHost({ files: { '/dns-off.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ndns:\n  disabled: true\n' } });
  const r = await runCli(['init', '--config', '/dns-off.yaml', '--ignore-preflight-errors', 'all', '--dry-run'], { host });
  assert.equal(r.code, exitCodes.ok, r.stderr);
});

test('config warnings are marked the same way by every command: init as config validate', async () => {
  const file = { '/old.yaml': 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n' };
  const warning = /^\[config\] WARNING: your configuration file uses a deprecated API spec: "kubeadm\.k8s\.io\/v1beta3"/m;
  const init = await runCli(['init', 'phase', 'control-plane', 'all', '--config', '/old.yaml', '--dry-run'], { host: fakeHost({ ...node, files: file }) });
  assert.equal(init.code, exitCodes.ok, init.stderr);
  assert.match(init.stderr, warning);
  const validate = await runCli(['config', 'validate', '--config', '/old.yaml'], { host: fakeHost({ ...node, files: file }) });
  assert.match(validate.stderr, warning);
});

test('every reset run that can change the host asks, not only one that runs preflight; with --config the fix names force: true', async () => {
  const host = fakeHost({ ...node, files: { '/etc/kubernetes/admin.conf': 'x', '/reset.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\n' } });
  const phaseOnly = await runCli(['reset', 'phase', 'cleanup-node'], { host });
  assert.equal(phaseOnly.code, exitCodes.usage);
  assert.match(phaseOnly.stderr, /^error: error execution phase cleanup-node: reset asks for confirmation, and there is no terminal to ask on\n {2}fix: pass --force \(-f\) to reset without a prompt\n/m);
  const skipped = await runCli(['reset', '--skip-phases', 'preflight'], { host });
  assert.equal(skipped.code, exitCodes.usage);
  const withConfig = await runCli(['reset', '--config', '/reset.yaml'], { host });
  assert.equal(withConfig.code, exitCodes.usage);
  assert.match(withConfig.stderr, /fix: set force: true in the ResetConfiguration \(--force cannot be mixed with --config\) to reset without a prompt\n/);
  assert.equal(await host.fs.readText('/etc/kubernetes/admin.conf'), 'x', 'nothing was removed');
});
