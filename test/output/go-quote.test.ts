import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote } from '../../src/output/go-quote.js';

// Expected values are what Go's strconv.Quote returns for the same strings.
test('goQuote escapes as strconv.Quote does', () => {
  const cases: [string, string][] = [
    ['', '""'],
    ['--a=b --c=d', '"--a=b --c=d"'],
    ['unix:///var/run/containerd/containerd.sock', '"unix:///var/run/containerd/containerd.sock"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\k', '"C:\\\\k"'],
    ['a\nb\tc\rd', '"a\\nb\\tc\\rd"'],
    ['\x07\b\f\v', '"\\a\\b\\f\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['nœud-é', '"nœud-é"'],
    ['\u200b', '"\\u200b"'],
    ['\u00a0', '"\\u00a0"'],
    ['🙂', '"🙂"'],
    ['\u{10ffff}', '"\\U0010ffff"'],
  ];
  for (const [input, want] of cases) assert.equal(goQuote(input), want, JSON.stringify(input));
});
