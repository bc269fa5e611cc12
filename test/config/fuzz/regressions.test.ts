// What the config-loader fuzz test found, kept as plain tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadInitConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/errors.js';
import { configHost } from '../config-host.js';
import { aliasBomb } from './arbitraries.js';

test('a YAML alias bomb is a config error naming the cause, not an uncaught ReferenceError from the parser', async () => {
  const host = configHost({ files: { '/k.yaml': aliasBomb(6) } });
  await assert.rejects(loadInitConfig({ host, configPath: '/k.yaml', flags: {}, skipCriDetect: true }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /^\/k\.yaml:1:1, document 1: YAML aliases expand too far \(.+\); write the values out instead of nesting aliases$/);
    return true;
  });
  assert.deepEqual(host.mutations, []);
});
