// --log-format json end to end, in-process: every stderr line is one event valid against
// docs/schemas/log-event.schema.json; run-start first and run-finish last, with the exit code and the
// error; phase events in order with durations; results stay on stdout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { logFormatIn } from '../../src/cli/globals.js';
import { interruptNotice } from '../../src/cli/run.js';
import { runCli } from '../cli/run-cli.js';
import { node1InitDocument } from '../phases/init/certs-fixture.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';
import { parseEvents, type Event } from './log-stream.js';

const config = `${node1InitDocument}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
encryptionAlgorithm: ECDSA-P256
`;

const certsLeaves = ['ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client', 'etcd-ca', 'etcd-server',
  'etcd-peer', 'etcd-healthcheck-client', 'apiserver-etcd-client', 'sa'].map((p) => `certs/${p}`);

const withoutTime = (e: Event) => {
  const { time: _t, ...rest } = e;
  return rest;
};

describe('--log-format json', () => {
  it('init phase certs all: run-start, one start/finish pair per phase in order with durations, the phase lines as log events, run-finish 0', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), config);
      const r = await runCli(['init', 'phase', 'certs', 'all', '--config', '/kubeadm.yaml', '--log-format', 'json'], { host: tempRootHost(root) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '', 'no progress on stdout');
      const events = parseEvents(r.stderr);
      assert.deepEqual(withoutTime(events[0]!), {
        level: 'info', event: 'run-start', command: 'init phase certs all',
        argv: ['init', 'phase', 'certs', 'all', '--config', '/kubeadm.yaml', '--log-format', 'json'],
      });
      const last = events.at(-1)!;
      assert.equal(last.event, 'run-finish');
      assert.equal(last.command, 'init phase certs all');
      assert.equal(last.exitCode, 0);
      assert.equal(last.error, undefined);
      assert.ok(Number.isInteger(last.durationMs) && (last.durationMs as number) >= 0);

      const phaseEvents = events.filter((e) => e.event.startsWith('phase-'));
      assert.deepEqual(phaseEvents.map((e) => `${e.event} ${String(e.phase)}`),
        ['certs', ...certsLeaves].flatMap((p) => [`phase-start ${p}`, `phase-finish ${p}`]));
      for (const e of phaseEvents.filter((x) => x.event === 'phase-finish')) {
        assert.equal(e.status, 'done');
        assert.ok(Number.isInteger(e.durationMs) && (e.durationMs as number) >= 0, JSON.stringify(e));
      }
      // The ca phase's own line sits between its start and finish.
      const at = (event: string, phase: string) => events.findIndex((e) => e.event === event && e.phase === phase);
      const caLine = events.findIndex((e) => e.event === 'log' && e.msg === '[certs] Generating "ca" certificate and key');
      assert.ok(at('phase-start', 'certs/ca') < caLine && caLine < at('phase-finish', 'certs/ca'), 'ca line inside its phase');
      const times = events.map((e) => Date.parse(e.time));
      assert.deepEqual([...times].sort((a, b) => a - b), times, 'times never go back');
    });
  });

  it('a failing phase ends in phase-error and run-finish with the exit code, message and fix, and no `error:` text', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), config);
      await mkdir(path.join(root, 'etc/kubernetes/pki'), { recursive: true });
      await writeFile(path.join(root, 'etc/kubernetes/pki/ca.crt'), 'not a certificate\n');
      await writeFile(path.join(root, 'etc/kubernetes/pki/ca.key'), 'not a key\n');
      // Given before the command, on the root, this time.
      const r = await runCli(['--log-format', 'json', 'init', 'phase', 'certs', 'all', '--config', '/kubeadm.yaml'], { host: tempRootHost(root) });
      assert.equal(r.code, 3, r.stderr);
      const events = parseEvents(r.stderr);
      const error = events.find((e) => e.event === 'phase-error');
      assert.equal(error?.phase, 'certs/ca');
      const finish = events.at(-1)!;
      assert.equal(finish.event, 'run-finish');
      assert.equal(finish.level, 'error');
      assert.equal(finish.exitCode, 3);
      const info = finish.error as { message: string; fix?: string; exitCode: number; name: string };
      assert.match(info.message, /^error execution phase certs\/ca: /);
      assert.equal(typeof info.fix, 'string');
      assert.equal(info.exitCode, 3);
      assert.equal(info.name, 'CertificateError');
      assert.deepEqual(error?.error, info, 'the phase-error carries the same error');
      assert.equal(events.filter((e) => e.event.startsWith('phase-')).at(-1), error, 'no phase after the failure');
    });
  });

  it('-v 5 adds the stacks to the error', async () => {
    const r = await runCli(['init', 'phase', 'certs', 'all', '--config', '/missing.yaml', '--log-format', 'json', '-v', '5']);
    assert.equal(r.code, 3, r.stderr);
    const finish = parseEvents(r.stderr).at(-1)!;
    assert.match((finish.error as { stack: string }).stack, /\n {4}at /);
  });

  it('a usage error before any command runs is one run-finish line, exit 64, naming the command', async () => {
    const r = await runCli(['init', '--bogus', '--log-format=json']);
    assert.equal(r.code, 64);
    const events = parseEvents(r.stderr).map(withoutTime);
    assert.deepEqual(events.map((e) => ({ ...e, durationMs: 0 })), [{
      level: 'error', event: 'run-finish', command: 'init', exitCode: 64, durationMs: 0,
      error: { message: "unknown option '--bogus'", fix: "see 'tskubeadm init --help'", exitCode: 64, name: 'UsageError' },
    }]);
  });

  it('a missing subcommand: no help text on stderr, one run-finish that says what to type', async () => {
    const r = await runCli(['certs', '--log-format', 'json']);
    assert.equal(r.code, 64);
    assert.deepEqual(parseEvents(r.stderr).map(withoutTime).map((e) => ({ ...e, durationMs: 0 })), [{
      level: 'error', event: 'run-finish', command: 'certs', exitCode: 64, durationMs: 0,
      error: { message: '"tskubeadm certs" needs a subcommand', fix: "see 'tskubeadm certs --help'", exitCode: 64, name: 'UsageError' },
    }]);
  });

  it('plain commands: results stay on stdout untouched, warnings become log events, secrets are not logged', async () => {
    const gen = await runCli(['token', 'generate', '--log-format', 'json']);
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(gen.stdout, /^[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
    assert.deepEqual(parseEvents(gen.stderr).map((e) => e.event), ['run-start', 'run-finish']);

    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'k.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.34.0\n');
      const r = await runCli(['config', 'validate', '--config', '/k.yaml', '--log-format', 'json'], { host: tempRootHost(root) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'ok\n');
      const events = parseEvents(r.stderr);
      // The advertise-address warning comes too when this machine has more than one interface (a test's bridge).
      const kinds = events.map((e) => `${e.event} ${e.level}`);
      assert.deepEqual([kinds[0], kinds.at(-1)], ['run-start info', 'run-finish info']);
      assert.deepEqual([...new Set(kinds.slice(1, -1))], ['log warn']);
      assert.match(String(events[1]!.msg), /^\[config\] WARNING: your configuration file uses a deprecated API spec/);
    });

    // join without an API server fails in its action, after run-start.
    const join = await runCli(['join', '--token', 'abcdef.0123456789abcdef', '--log-format', 'json']);
    assert.notEqual(join.code, 0);
    const start = parseEvents(join.stderr)[0]!;
    assert.deepEqual(start.argv, ['join', '--token', '<redacted>', '--log-format', 'json']);
    assert.doesNotMatch(join.stderr, /0123456789abcdef/);
  });

  it('an unknown format is a usage error, reported as text', async () => {
    const r = await runCli(['init', '--log-format', 'xml']);
    assert.equal(r.code, 64);
    assert.match(r.stderr, /^error: option '--log-format <format>' argument 'xml' is invalid\. Allowed choices are text, json\.\n/);
  });

  it('text stays the default: kubeadm lines, no events', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), config);
      const r = await runCli(['init', 'phase', 'certs', 'ca', '--config', '/kubeadm.yaml'], { host: tempRootHost(root) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '[certs] Generating "ca" certificate and key\n');
      assert.equal(r.stderr, '');
    });
  });

  it('the format is read from argv before parsing: both spellings, the last valid one, never after --', () => {
    assert.equal(logFormatIn(['init', '--log-format', 'json']), 'json');
    assert.equal(logFormatIn(['--log-format=json', 'version']), 'json');
    assert.equal(logFormatIn(['--log-format=json', 'init', '--log-format', 'text']), 'text');
    assert.equal(logFormatIn(['init', '--log-format', 'xml']), 'text');
    assert.equal(logFormatIn(['init', '--', '--log-format', 'json']), 'text');
    assert.equal(logFormatIn(['init', '--log-format']), 'text');
  });

  it('the interrupt notice main.ts prints is an event too', () => {
    const now = () => new Date('2025-01-02T03:04:05.006Z');
    assert.deepEqual(parseEvents(interruptNotice(['init', '--log-format', 'json'], 'SIGTERM', now)).map(withoutTime),
      [{ level: 'warn', event: 'log', msg: 'SIGTERM received: stopping after the current phase (send it again to stop now)' }]);
    assert.equal(interruptNotice(['init'], 'SIGINT', now), '\nSIGINT received: stopping after the current phase (send it again to stop now)\n');
  });
});

describe('--log-format json and the selection', () => {
  it('a phase left out by --skip-phases is a phase-skip event with its reason', async () => {
    await withTempRoot(async (root) => {
      const r = await runCli(['reset', '--force', '--dry-run', '--skip-phases', 'preflight,remove-etcd-member', '--log-format', 'json'], { host: tempRootHost(root) });
      assert.equal(r.code, 0, r.stderr);
      const phases = parseEvents(r.stderr).filter((e) => e.event.startsWith('phase-'));
      assert.deepEqual(phases.map((e) => [e.event, e.phase, e.reason]), [
        ['phase-skip', 'preflight', 'skipped by --skip-phases preflight'],
        ['phase-skip', 'remove-etcd-member', 'skipped by --skip-phases remove-etcd-member'],
        ['phase-start', 'cleanup-node', undefined],
        ['phase-finish', 'cleanup-node', undefined],
      ]);
    });
  });
});
