// pflag's --flag=true|false for booleans, rewritten for commander.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeBooleanFlags } from '../../src/cli/argv.js';
import { exitCodes } from '../../src/errors.js';
import { runCli } from './run-cli.js';

const flags = { names: new Set(['dry-run', 'force', 'plain']), negatable: new Set(['dry-run', 'force']) };

test('normalizeBooleanFlags: ParseBool spellings, only for boolean flags, not after --', () => {
  assert.deepEqual(
    normalizeBooleanFlags(
      ['--dry-run=true', '--force=False', '--dry-run=1', '--force=f', '--config=a=b', '--plain=false', '--dry-run=yes', '--', '--dry-run=true'],
      flags,
    ),
    ['--dry-run', '--no-force', '--dry-run', '--no-force', '--config=a=b', '--plain=false', '--dry-run=yes', '--', '--dry-run=true'],
  );
});

test('--skip-phases=bogus and --dry-run=true parse like kubeadm (rejected before anything runs)', async () => {
  const r = await runCli(['init', '--dry-run=true', '--skip-phases=bogus']);
  assert.equal(r.code, exitCodes.usage);
  assert.match(r.stderr, /^error: invalid phase name: "bogus"\n/);
});

test('-v=5 is read as pflag reads it (-v5), and only for a single-letter option', async () => {
  assert.deepEqual(normalizeBooleanFlags(['-v=5', '-f=x', '--v=3', '--', '-v=1'], flags), ['-v5', '-fx', '--v=3', '--', '-v=1']);
  const r = await runCli(['-v=1', 'version', '-o', 'short']);
  assert.equal(r.code, exitCodes.ok, r.stderr);
});
