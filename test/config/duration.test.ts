import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration } from '../../src/config/duration.js';

test('Go durations parse as time.ParseDuration does', () => {
  assert.equal(parseGoDuration('24h0m0s'), 86_400_000);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('500ms'), 500);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('-5m'), -300_000);
  for (const bad of ['', '24', '1 day', 'h', '.s', '5m 3s', '1d']) assert.equal(parseGoDuration(bad), undefined, bad);
});

test('durations print as Duration.String()', () => {
  assert.equal(formatGoDuration(86_400_000), '24h0m0s');
  assert.equal(formatGoDuration(300_000), '5m0s');
  assert.equal(formatGoDuration(60_000), '1m0s');
  assert.equal(formatGoDuration(1500), '1.5s');
  assert.equal(formatGoDuration(500), '500ms');
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(315_360_000_000), '87600h0m0s');
});
