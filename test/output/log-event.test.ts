// The event encoder, the json Output, argv redaction and errorInfo: one line per event, fields in a
// fixed order, every event valid against docs/schemas/log-event.schema.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, PhaseError, PreflightError, exitCodes } from '../../src/errors.js';
import { encodeLogEvent, errorInfo, redactArgv, wholeMs, type LogEvent } from '../../src/output/log-event.js';
import { jsonLineOutput } from '../../src/output/output.js';
import { parseEvents, schemaErrors } from './log-stream.js';

const at = new Date('2025-03-04T05:06:07.089Z');

test('an event is one line: time, level and event first, newlines escaped, RFC 3339 with milliseconds', () => {
  const line = encodeLogEvent({ msg: 'first\nsecond', event: 'log', level: 'info' } as LogEvent, at);
  assert.equal(line, '{"time":"2025-03-04T05:06:07.089Z","level":"info","event":"log","msg":"first\\nsecond"}\n');
  assert.equal(line.split('\n').length, 2);
  assert.deepEqual(JSON.parse(line), { time: '2025-03-04T05:06:07.089Z', level: 'info', event: 'log', msg: 'first\nsecond' });
});

test('the json Output: info, warn and detail become log events on stderr, each in one write; print stays raw on stdout', () => {
  const writes: string[] = [];
  let stdout = '';
  const out = jsonLineOutput({ stdout: (s) => (stdout += s), stderr: (s) => writes.push(s), verbosity: 2, now: () => at });
  out.info('[certs] Generating "ca" certificate and key');
  out.warn('[WARNING Swap]: swap is supported for cgroup v2 only');
  out.detail(2, '[phase] certs/ca starting');
  out.detail(3, 'not shown at -v 2');
  out.print('{"kind":"InitResult"}\n');
  assert.equal(stdout, '{"kind":"InitResult"}\n');
  assert.equal(writes.length, 3, 'one write per event');
  for (const w of writes) assert.match(w, /^\{.*\}\n$/);
  assert.deepEqual(parseEvents(writes.join('')), [
    { time: at.toISOString(), level: 'info', event: 'log', msg: '[certs] Generating "ca" certificate and key' },
    { time: at.toISOString(), level: 'warn', event: 'log', msg: '[WARNING Swap]: swap is supported for cgroup v2 only' },
    { time: at.toISOString(), level: 'debug', event: 'log', msg: '[phase] certs/ca starting', v: 2 },
  ]);
  assert.equal(out.verbosity, 2);
});

test('errorInfo: the message and fix text mode prints, the exit code, the name of the error that decided it', () => {
  const err = new PhaseError('preflight', new PreflightError(['Swap']));
  assert.deepEqual(errorInfo(err, 0), {
    message: 'error execution phase preflight: preflight checks failed',
    fix: 'fix the errors above, or make a check non-fatal with --ignore-preflight-errors=Swap',
    exitCode: exitCodes.preflight,
    name: 'PreflightError',
  });
  assert.deepEqual(errorInfo(new PhaseError('certs/ca', new Error('EACCES')), 0), {
    message: 'error execution phase certs/ca: EACCES', exitCode: exitCodes.generic, name: 'PhaseError',
  });
  assert.deepEqual(errorInfo('boom', 0), { message: 'boom', exitCode: exitCodes.generic, name: 'Error' });
  const deep = errorInfo(new PhaseError('certs/ca', new ConfigError('bad')), 5);
  assert.match(deep.stack ?? '', /^PhaseError: error execution phase certs\/ca: bad\n {4}at [^]*\ncaused by: ConfigError: bad\n {4}at /);
  assert.equal(errorInfo(err, 4).stack, undefined, 'stacks only from -v 5');
});

test('run-start argv: token, certificate key and join string values are redacted, other arguments kept', () => {
  const key = 'a'.repeat(64);
  assert.deepEqual(
    redactArgv(['join', '10.0.0.1:6443', '--token', 'abcdef.0123456789abcdef', `--certificate-key=${key}`,
      '--discovery-token-ca-cert-hash', 'sha256:' + 'b'.repeat(64), '--join-string', 'tskj1.xyz', '-v', '5']),
    ['join', '10.0.0.1:6443', '--token', '<redacted>', '--certificate-key=<redacted>',
      '--discovery-token-ca-cert-hash', 'sha256:' + 'b'.repeat(64), '--join-string', '<redacted>', '-v', '5'],
  );
  assert.deepEqual(redactArgv(['token', 'create', 'abcdef.0123456789abcdef', '--ttl', '1h']), ['token', 'create', '<redacted>', '--ttl', '1h']);
  assert.deepEqual(redactArgv(['init', '--upload-certs', '--certificate-key', key]), ['init', '--upload-certs', '--certificate-key', '<redacted>']);
  assert.deepEqual(redactArgv(['join', '--discovery-token=abcdef.0123456789abcdef', '--tls-bootstrap-token', 'x']),
    ['join', '--discovery-token=<redacted>', '--tls-bootstrap-token', '<redacted>']);
});

test('the schema accepts each event kind and refuses what breaks the contract', () => {
  const time = at.toISOString();
  const err = { message: 'm', exitCode: 3, name: 'ConfigError' };
  for (const ok of [
    { time, level: 'info', event: 'run-start', command: 'init', argv: ['init'] },
    { time, level: 'info', event: 'phase-start', phase: 'certs/ca' },
    { time, level: 'info', event: 'phase-finish', phase: 'certs/ca', status: 'done', durationMs: 12 },
    { time, level: 'info', event: 'phase-finish', phase: 'certs/ca', status: 'verified', durationMs: 0, reason: 'r' },
    { time, level: 'info', event: 'phase-skip', phase: 'etcd/local', reason: 'r', durationMs: 0 },
    { time, level: 'error', event: 'phase-error', phase: 'certs/ca', durationMs: 3, error: err },
    { time, level: 'debug', event: 'log', msg: 'x', v: 1 },
    { time, level: 'info', event: 'run-finish', command: 'init', exitCode: 0, durationMs: 5 },
    { time, level: 'error', event: 'run-finish', command: '', exitCode: 3, durationMs: 5, error: err },
  ]) assert.equal(schemaErrors(ok), undefined, JSON.stringify(ok));
  for (const bad of [
    { time: '2025-03-04T05:06:07Z', level: 'info', event: 'phase-start', phase: 'x' },
    { time, level: 'info', event: 'phase-start', phase: 'x', extra: 1 },
    { time, level: 'info', event: 'phase-finish', phase: 'x', status: 'skipped', durationMs: 1 },
    { time, level: 'info', event: 'phase-finish', phase: 'x', status: 'done', durationMs: 1.5 },
    { time, level: 'info', event: 'run-finish', command: 'init', exitCode: 3, durationMs: 5 },
    { time, level: 'info', event: 'run-finish', command: 'init', exitCode: 0, durationMs: 5, error: err },
    { time, level: 'error', event: 'phase-error', phase: 'x', durationMs: 1, error: { message: 'm', exitCode: 3 } },
    { time, level: 'info', event: 'made-up' },
  ]) assert.notEqual(schemaErrors(bad), undefined, JSON.stringify(bad));
});

test('durations are whole, non-negative milliseconds', () => {
  assert.equal(wholeMs(12.6), 13);
  assert.equal(wholeMs(-0.2), 0);
});
