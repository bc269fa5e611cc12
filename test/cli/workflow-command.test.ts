// bindWorkflow (kubeadm's BindToCommand) on a small tree: phase commands, `all`, aliases,
// hidden phases, per-phase flags, parent phases that run nothing by themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import type { CliFlag } from '../../src/cli/flag-options.js';
import { forEachCommand } from '../../src/cli/program.js';
import { bindWorkflow, type WorkflowCall } from '../../src/cli/workflow-command.js';
import { UsageError } from '../../src/errors.js';
import type { Phase } from '../../src/workflow/phase.js';

const flag = (name: string, kind: CliFlag['kind'] = 'string'): CliFlag => ({ name, kind, description: name, allowedWithConfig: true, target: 'config' });

const tree: Phase<unknown>[] = [
  { name: 'preflight', short: 'Checks', flags: ['config'] },
  {
    name: 'certs',
    short: 'Certificates',
    phases: [
      { name: 'all', short: 'All certificates', selectsParent: true },
      { name: 'ca', short: 'The CA', flags: ['cert-dir'] },
      { name: 'apiserver', short: 'The API server certificate', flags: ['cert-dir', 'apiserver-cert-extra-sans'] },
    ],
  },
  { name: 'cleanup-node', short: 'Clean up', aliases: ['cleanupnode'], flags: ['dry-run', 'not-a-flag'] },
  { name: 'secret', short: 'Hidden', hidden: true },
];

function bound(): { root: Command; calls: WorkflowCall[] } {
  const calls: WorkflowCall[] = [];
  const root = new Command('x');
  bindWorkflow(root, {
    tree,
    flags: [flag('config'), flag('cert-dir'), flag('apiserver-cert-extra-sans', 'list'), flag('dry-run', 'boolean'), flag('pod-network-cidr')],
    argument: { name: 'endpoint', description: 'where' },
    run: async (call) => void calls.push(call),
  });
  forEachCommand(root, (c) => c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} }));
  return { root, calls };
}

const find = (root: Command, path: string) =>
  path.split(' ').reduce<Command | undefined>((c, n) => c?.commands.find((s) => s.name() === n), root);
const longFlags = (c: Command | undefined) => (c?.options ?? []).filter((o) => !o.negate).map((o) => o.long);

test('the main command runs the whole workflow with the flags the user set, kubeadm list semantics', async () => {
  const { root, calls } = bound();
  await root.parseAsync(['--apiserver-cert-extra-sans', 'a,b', '--apiserver-cert-extra-sans=c', '--dry-run', 'host:6443'], { from: 'user' });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.only, undefined);
  assert.deepEqual(calls[0]!.set, { 'apiserver-cert-extra-sans': ['a', 'b', 'c'], 'dry-run': true });
  assert.deepEqual(calls[0]!.args, ['host:6443']);
});

test('one command per visible phase, each with only its own flags (and the argument on leaves)', () => {
  const { root } = bound();
  assert.deepEqual(find(root, 'phase')!.commands.map((c) => c.name()), ['preflight', 'certs', 'cleanup-node']);
  assert.deepEqual(find(root, 'phase certs')!.commands.map((c) => c.name()), ['all', 'ca', 'apiserver']);
  assert.deepEqual(longFlags(find(root, 'phase preflight')), ['--config']);
  assert.deepEqual(longFlags(find(root, 'phase certs ca')), ['--cert-dir']);
  assert.deepEqual(longFlags(find(root, 'phase certs all')), ['--cert-dir', '--apiserver-cert-extra-sans'], 'all takes its siblings\' flags');
  assert.deepEqual(longFlags(find(root, 'phase cleanup-node')), ['--dry-run'], 'unknown names are dropped');
  assert.deepEqual(find(root, 'phase certs ca')!.registeredArguments.map((a) => a.name()), ['endpoint']);
  assert.deepEqual(longFlags(root).includes('--skip-phases'), true);
});

test('phase commands select their path; all selects the parent; aliases work', async () => {
  const { root, calls } = bound();
  await root.parseAsync(['phase', 'certs', 'ca', '--cert-dir', '/pki'], { from: 'user' });
  await root.parseAsync(['phase', 'certs', 'all'], { from: 'user' });
  await root.parseAsync(['phase', 'cleanupnode'], { from: 'user' });
  await root.parseAsync(['phase', 'secret'], { from: 'user' }).catch(() => {});
  assert.deepEqual(calls.map((c) => c.only), ['certs/ca', 'certs', 'cleanup-node']);
  assert.deepEqual(calls[0]!.set, { 'cert-dir': '/pki' });
});

test('a parent phase or the phase command alone runs nothing and says what to type', async () => {
  const { root, calls } = bound();
  await assert.rejects(root.parseAsync(['phase', 'certs'], { from: 'user' }), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, 'phase "certs" only groups other phases and runs nothing by itself');
    assert.equal(e.fix, 'run "x phase certs all" to run all of them, or use one of: certs/all, certs/ca, certs/apiserver');
    return true;
  });
  await assert.rejects(root.parseAsync(['phase', 'certs', 'bogus'], { from: 'user' }), { message: 'invalid phase name: "certs/bogus"' });
  await assert.rejects(root.parseAsync(['phase'], { from: 'user' }), {
    message: '"x phase" needs the name of the phase to run',
    fix: 'use one of: preflight, certs, certs/all, certs/ca, certs/apiserver, cleanup-node',
  });
  assert.equal(calls.length, 0);
});
