// The commander program in-process: help, phase subcommands and their flags, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodes } from '../../src/errors.js';
import { initPhases } from '../../src/phases/init/tree.js';
import { phaseNames } from '../../src/workflow/tree.js';
import { runCli } from './run-cli.js';

// The candidates an unknown init phase name is answered with: every path of the tree
// (the listing test below pins the tree itself).
const initNames = phaseNames(initPhases).join(', ');

/** Long option names listed under a help section. */
function optionsIn(help: string, section: 'Options' | 'Global Options'): string[] {
  const body = help.split(`\n${section}:\n`)[1]?.split(/\n\n/)[0] ?? '';
  return [...body.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!);
}

test('init phase preflight --help lists only the flags the phase lists, plus the globals', async () => {
  const r = await runCli(['init', 'phase', 'preflight', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: tskubeadm init phase preflight \[options\]\n/);
  assert.deepEqual(optionsIn(r.stdout, 'Options'), ['config', 'cri-socket', 'dry-run', 'ignore-preflight-errors', 'image-repository', 'lock-timeout', 'help']);
  assert.deepEqual(optionsIn(r.stdout, 'Global Options'), ['v', 'rootfs', 'log-format']);
  assert.doesNotMatch(r.stdout, /pod-network-cidr|skip-phases/);
  assert.equal(r.hostsMade.length, 0);
});

test('a phase subcommand refuses flags its phase does not list (init flags are not inherited)', async () => {
  const r = await runCli(['init', 'phase', 'preflight', '--pod-network-cidr', '10.244.0.0/16']);
  assert.equal(r.code, exitCodes.usage);
  assert.equal(
    r.stderr,
    "error: unknown option '--pod-network-cidr'\n  fix: see 'tskubeadm init phase preflight --help'\n" +
      'To see the stack trace of this error execute with --v=5 or higher\n',
  );
  assert.equal(r.hostsMade.length, 0);
});

test('init --help shows the flags and appends the phase listing', async () => {
  const r = await runCli(['init', '--help']);
  assert.equal(r.code, 0);
  const opts = optionsIn(r.stdout, 'Options');
  for (const f of ['config', 'dry-run', 'skip-phases', 'ignore-preflight-errors', 'upload-certs', 'skip-token-print', 'skip-certificate-key-print', 'pod-network-cidr']) {
    assert.ok(opts.includes(f), `init --help lists --${f}`);
  }
  assert.ok(!opts.includes('kubeconfig-dir'), 'phase-only flags stay off the main command');
  const listing = r.stdout.split('\nThe "init" command executes the following phases:\n')[1];
  assert.ok(listing !== undefined, r.stdout);
  // kubeadm's order; `all` children are not listed (kubeadm hides RunAllSiblings phases).
  assert.deepEqual(listing.trimEnd().split('\n').map((l) => l.split(/ {2,}/)[l.startsWith('  ') ? 1 : 0]), [
    'preflight',
    'certs', '/ca', '/apiserver', '/apiserver-kubelet-client', '/front-proxy-ca', '/front-proxy-client',
    '/etcd-ca', '/etcd-server', '/etcd-peer', '/etcd-healthcheck-client', '/apiserver-etcd-client', '/sa',
    'kubeconfig', '/admin', '/super-admin', '/kubelet', '/controller-manager', '/scheduler',
    'etcd', '/local',
    'control-plane', '/apiserver', '/controller-manager', '/scheduler',
    'kubelet-start',
    'wait-control-plane',
    'upload-config', '/kubeadm', '/kubelet',
    'upload-certs',
    'mark-control-plane',
    'bootstrap-token',
    'kubelet-finalize', '/enable-client-cert-rotation',
    'addon', '/coredns', '/kube-proxy',
    'show-join-command',
  ]);
  assert.match(listing, /^preflight {2,}Run pre-flight checks$/m);
  assert.match(listing, /^ {2}\/ca {2,}Generate the self-signed Kubernetes CA to provision identities for other Kubernetes components$/m);
});

test('reset has kubeadm -f for --force; join takes the API server endpoint argument', async () => {
  assert.match((await runCli(['reset', '--help'])).stdout, /^ {2}-f, --force /m);
  assert.match((await runCli(['join', '--help'])).stdout, /^Usage: tskubeadm join \[options\] \[command\] \[api-server-endpoint\]/m);
  assert.match((await runCli(['join', 'phase', 'preflight', '--help'])).stdout, /^Usage: tskubeadm join phase preflight \[options\] \[api-server-endpoint\]/m);
});

test('the candidates for an unknown init phase are every path a user may type, in tree order', () => {
  assert.match(initNames, /^preflight, certs, certs\/all, certs\/ca, certs\/apiserver, /);
  assert.match(initNames, /, certs\/sa, kubeconfig, kubeconfig\/all, kubeconfig\/admin, /);
  assert.ok(initNames.endsWith(', kubeconfig/scheduler') || initNames.includes(', kubeconfig/scheduler, '), initNames);
});

for (const [argv, message] of [
  [['init', 'phase', 'bogus'], `error: invalid phase name: "bogus"\n  fix: use one of: ${initNames}\n`],
  [['init', 'phase'], `error: "init phase" needs the name of the phase to run\n  fix: use one of: ${initNames}\n`],
  [['init', '--skip-phases', 'bogus,preflight'], `error: invalid phase name: "bogus"\n  fix: use one of: ${initNames}\n`],
  [['reset', '--skip-phases=nope'], 'error: invalid phase name: "nope"\n  fix: use one of: preflight, remove-etcd-member, cleanup-node\n'],
  [['init', '--bogus'], "error: unknown option '--bogus'\n  fix: see 'tskubeadm init --help'\n"],
  [['init', '--dry-runn'], "error: unknown option '--dry-runn'\n  fix: Did you mean --dry-run? see 'tskubeadm init --help'\n"],
  [['bogus'], "error: unknown command 'bogus'\n  fix: see 'tskubeadm --help'\n"],
  [['init', '--config'], "error: option '--config <string>' argument missing\n  fix: see 'tskubeadm init --help'\n"],
  [['init', '--v', 'x'], "error: option '-v, --v <level>' argument 'x' is invalid. the log level must be a whole number of 0 or more.\n  fix: see 'tskubeadm init --help'\n"],
  [['init', '--dry-run=maybe'], "error: unknown option '--dry-run=maybe'\n  fix: see 'tskubeadm init --help'\n"],
] as const) {
  test(`usage error before anything runs: ${argv.join(' ')}`, async () => {
    const r = await runCli(argv);
    assert.equal(r.code, exitCodes.usage);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${message}To see the stack trace of this error execute with --v=5 or higher\n`);
    assert.deepEqual(r.hostsMade, [], 'no host was built, so nothing ran');
  });
}

test('no command at all prints the help on stderr and exits with the usage code', async () => {
  const r = await runCli([]);
  assert.equal(r.code, exitCodes.usage);
  assert.match(r.stderr, /^Usage: tskubeadm \[options\] \[command\]/);
  assert.match(r.stderr, /^ {2}init \[options\] +Set up a Kubernetes control-plane node$/m);
});

/** The command names the root help lists, in its order (the `help` command left out). */
function rootCommands(help: string): string[] {
  const body = help.split('\nCommands:\n')[1] ?? '';
  return [...body.matchAll(/^ {2}([\w-]+)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
}

test('root help lists every command, certs with kubeadm\'s alias "certificates"', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.deepEqual([...rootCommands(r.stdout)].sort(), ['certs', 'completion', 'config', 'init', 'join', 'kubeconfig', 'reset', 'token', 'version']);
  assert.match(r.stdout, /^ {2}certs\|certificates \[options\] +\S/m);
  assert.match(r.stdout, /^ {2}kubeconfig \[options\] +Kubeconfig file utilities/m);
});

test('root help lists the commands alphabetically, as kubeadm\'s (cobra sorts them)', async () => {
  const listed = rootCommands((await runCli(['--help'])).stdout);
  assert.deepEqual(listed, [...listed].sort());
});

test('help output has no ANSI escapes and no help subcommands below the root', async () => {
  const r = await runCli(['init', 'phase', '--help']);
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stdout, /\u001b\[/);
  assert.doesNotMatch(r.stdout, /^ {2}help /m);
});
