// The single catch's output: kubeadm's `error:` line, the fix, the stack hint or the stacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatError, stackHint } from '../../src/cli/report-error.js';
import { ConfigError, PhaseError, PreflightError, exitCodeOf, exitCodes } from '../../src/errors.js';

test('a phase failure: kubeadm prefix, the cause fix, the hint; exit code from the cause', () => {
  const err = new PhaseError('preflight', new PreflightError(['Swap', 'NumCPU']));
  assert.equal(
    formatError(err, 0),
    'error: error execution phase preflight: preflight checks failed\n' +
      '  fix: fix the errors above, or make a check non-fatal with --ignore-preflight-errors=Swap,NumCPU\n' +
      `${stackHint}\n`,
  );
  assert.equal(exitCodeOf(err), exitCodes.preflight);
});

test('a config error with several problems keeps one problem per line, indented', () => {
  const err = new ConfigError(
    [
      { file: 'k.yaml', line: 4, column: 3, document: 1, field: 'networking.podSubnet', message: 'couldn\'t parse subnet "x"' },
      { file: 'k.yaml', line: 9, column: 1, document: 1, field: 'foo', message: 'unknown field "foo"' },
    ],
    { fix: 'correct the fields named above' },
  );
  assert.equal(
    formatError(err, 4),
    'error: k.yaml:4:3, document 1, networking.podSubnet: couldn\'t parse subnet "x"\n' +
      '  k.yaml:9:1, document 1, foo: unknown field "foo"\n' +
      '  fix: correct the fields named above\n' +
      `${stackHint}\n`,
  );
  assert.equal(exitCodeOf(err), exitCodes.invalidInput);
});

test('-v 5 prints the stacks along the cause chain instead of the hint', () => {
  const inner = new Error('EACCES: permission denied');
  const text = formatError(new PhaseError('certs/ca', inner), 5);
  assert.match(text, /^error: error execution phase certs\/ca: EACCES: permission denied\nPhaseError: error execution phase certs\/ca/);
  assert.match(text, /\ncaused by: Error: EACCES: permission denied\n {4}at /);
  assert.doesNotMatch(text, /To see the stack trace/);
});

test('a thrown non-Error is still reported', () => {
  assert.equal(formatError('boom', 0), `error: boom\n${stackHint}\n`);
});
