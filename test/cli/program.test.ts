// The commander program in-process: help, phase subcommands and their flags, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodes } from '../../src/errors.js';
import { runCli } from './run-cli.js';

/** Long option names listed under a help section. */
function optionsIn(help: string, section: 'Options' | 'Global Options'): string[] {
  const body = help.split(`\n${section}:\n`)[1]?.split(/\n\n/)[0] ?? '';
  return [...body.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!);
}

test('init phase preflight --help lists only the flags the phase lists, plus the globals', async () => {
  const r = await runCli(['init', 'phase', 'preflight', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: tskubeadm init phase preflight \[options\]\n/);
  assert.deepEqual(optionsIn(r.stdout, 'Options'), ['config', 'cri-socket', 'dry-run', 'ignore-preflight-errors', 'image-repository', 'help']);
  assert.deepEqual(optionsIn(r.stdout, 'Global Options'), ['v', 'rootfs']);
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
  assert.match(r.stdout, /\nThe "init" command executes the following phases:\npreflight {2}Run pre-flight checks\n/);
});

test('reset has kubeadm -f for --force; join takes the API server endpoint argument', async () => {
  assert.match((await runCli(['reset', '--help'])).stdout, /^ {2}-f, --force /m);
  assert.match((await runCli(['join', '--help'])).stdout, /^Usage: tskubeadm join \[options\] \[command\] \[api-server-endpoint\]/m);
  assert.match((await runCli(['join', 'phase', 'preflight', '--help'])).stdout, /^Usage: tskubeadm join phase preflight \[options\] \[api-server-endpoint\]/m);
});

for (const [argv, message] of [
  [['init', 'phase', 'bogus'], 'error: invalid phase name: "bogus"\n  fix: use one of: preflight\n'],
  [['init', 'phase'], 'error: "init phase" needs the name of the phase to run\n  fix: use one of: preflight\n'],
  [['init', '--skip-phases', 'bogus,preflight'], 'error: invalid phase name: "bogus"\n  fix: use one of: preflight\n'],
  [['reset', '--skip-phases=nope'], 'error: invalid phase name: "nope"\n  fix: use one of: preflight\n'],
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

test('help output has no ANSI escapes and no help subcommands below the root', async () => {
  const r = await runCli(['init', 'phase', '--help']);
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stdout, /\u001b\[/);
  assert.doesNotMatch(r.stdout, /^ {2}help /m);
});
