// Token Secrets both ways: token-secret.ts builds what kubeadm stores (compared with the Secret a real
// kubeadm created in ../shared's init dry run), token-parse.ts reads it back as kubeadm's
// BootstrapTokenFromSecret does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import type { BootstrapToken } from '../../src/config/types.js';
import { ConfigError, exitCodeOf, exitCodes } from '../../src/errors.js';
import { parseRFC3339 } from '../../src/config/rfc3339.js';
import { parseTokenOrId, parseTokenSecret } from '../../src/tokens/token-parse.js';
import { bootstrapTokenSecret, defaultNodeTokenGroup } from '../../src/tokens/token-secret.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';

const token: BootstrapToken = {
  token: 'abcdef.0123456789abcdef',
  ttlMs: 24 * 3600_000,
  usages: ['signing', 'authentication'],
  groups: [defaultNodeTokenGroup],
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The object attached to kubeadm's dry-run CREATE of the token Secret. */
function observedSecret(): KubeObject {
  const lines = readFileSync(sharedPath('reference/kubeadm-observed/init-dry-run.txt'), 'utf8').split('\n');
  const create = lines.findIndex((l, i) => l.includes('CREATE on resource "secrets"') && lines[i - 2]?.includes('bootstrap-token-abcdef'));
  assert.ok(create > 0, 'the dry run creates the token Secret');
  const start = create + 2;
  const end = lines.indexOf('', start);
  return parse(lines.slice(start, end).join('\n')) as KubeObject;
}

describe('the Secret kubeadm created for abcdef.0123456789abcdef (init-dry-run.txt)', { skip: skipWithoutShared('reference/kubeadm-observed/init-dry-run.txt') }, () => {
  test('ours has the same type, name and base64 data for the same token and expiration', () => {
    const observed = observedSecret();
    const expiration = Buffer.from((observed.data as Record<string, string>).expiration!, 'base64').toString();
    const now = new Date(Date.parse(expiration) - 24 * 3600_000);
    assert.deepEqual(bootstrapTokenSecret(token, now), observed);
  });

  test('it reads back as the token with its expiration, usages (sorted) and group', () => {
    const parsed = parseTokenSecret(observedSecret());
    assert.ok('token' in parsed, JSON.stringify(parsed));
    assert.deepEqual(parsed.token, {
      token: 'abcdef.0123456789abcdef', id: 'abcdef', description: '',
      expires: new Date('2026-11-26T13:15:47Z'), usages: ['authentication', 'signing'], groups: [defaultNodeTokenGroup],
    });
  });
});

describe('parseTokenSecret', () => {
  const now = new Date('2030-01-02T03:04:05Z');
  const secretWith = (edit: (data: Record<string, string>) => void, name = 'bootstrap-token-abcdef'): KubeObject => {
    const s = bootstrapTokenSecret({ ...token, description: 'for CI' }, now);
    const data = { ...(s.data as Record<string, string>) };
    edit(data);
    return { ...s, metadata: { ...s.metadata, name }, data };
  };

  test('encode then parse gives the token back', () => {
    const parsed = parseTokenSecret(bootstrapTokenSecret({ ...token, description: 'for CI', groups: ['system:bootstrappers:a', 'system:bootstrappers:b'] }, now));
    assert.ok('token' in parsed);
    assert.deepEqual(parsed.token, {
      token: token.token, id: 'abcdef', description: 'for CI', expires: new Date('2030-01-03T03:04:05Z'),
      usages: ['authentication', 'signing'], groups: ['system:bootstrappers:a', 'system:bootstrappers:b'],
    });
  });

  test('a token that never expires, with no usages and no groups', () => {
    const parsed = parseTokenSecret(bootstrapTokenSecret({ token: token.token, ttlMs: 0, usages: [], groups: [] }, now));
    assert.ok('token' in parsed);
    assert.equal(parsed.token.expires, undefined);
    assert.deepEqual(parsed.token.usages, []);
    assert.deepEqual(parsed.token.groups, []);
  });

  test('only usage keys whose value is exactly "true" count, sorted', () => {
    const parsed = parseTokenSecret(secretWith((d) => {
      d['usage-bootstrap-signing'] = b64('True');
      d['usage-bootstrap-extra'] = b64('true');
      d['x-usage-bootstrap-other'] = b64('true');
      d['usage-bootstrap-aaa'] = b64('true');
    }));
    assert.ok('token' in parsed);
    assert.deepEqual(parsed.token.usages, ['aaa', 'authentication', 'extra'], 'sorted');
  });

  const problems: [string, KubeObject, RegExp][] = [
    ['no token-id', secretWith((d) => delete d['token-id']), /^bootstrap Token Secret has no token-id data: bootstrap-token-abcdef$/],
    ['a name that is not bootstrap-token-<id>', secretWith(() => {}, 'bootstrap-token-zzzzzz'),
      /^bootstrap token name is not of the form 'bootstrap-token-\(token-id\)'\. Actual: "bootstrap-token-zzzzzz"\. Expected: "bootstrap-token-abcdef"$/],
    ['no token-secret', secretWith((d) => delete d['token-secret']), /has no token-secret data: bootstrap-token-abcdef$/],
    ['a malformed secret half', secretWith((d) => (d['token-secret'] = b64('SHORT'))), /is invalid and couldn't be parsed/],
    ['an expiration that is not RFC 3339', secretWith((d) => (d.expiration = b64('tomorrow'))), /can't parse expiration time of bootstrap token "bootstrap-token-abcdef"/],
  ];
  for (const [what, secret, message] of problems) {
    test(`a Secret with ${what} is reported, not parsed`, () => {
      const parsed = parseTokenSecret(secret);
      assert.ok('problem' in parsed, `expected a problem, got ${JSON.stringify(parsed)}`);
      assert.match(parsed.problem, message);
      assert.ok(!parsed.problem.includes('0123456789abcdef'), 'the secret half is never printed');
    });
  }
});

test('parseRFC3339 takes what Go time.Parse(RFC3339) takes', () => {
  assert.deepEqual(parseRFC3339('2026-11-26T13:15:47Z'), new Date('2026-11-26T13:15:47Z'));
  assert.deepEqual(parseRFC3339('2026-11-26T15:15:47.5+02:00'), new Date('2026-11-26T13:15:47.500Z'));
  for (const bad of ['2026-11-26', '2026-11-26 13:15:47Z', '2026-02-30T00:00:00Z', '2026-11-26T24:00:00Z', 'x']) {
    assert.equal(parseRFC3339(bad), undefined, bad);
  }
});

test('parseTokenOrId takes an ID or a whole token, and refuses anything else without repeating it', () => {
  assert.equal(parseTokenOrId('abcdef'), 'abcdef');
  assert.equal(parseTokenOrId('abcdef.0123456789abcdef'), 'abcdef');
  for (const bad of ['ABCDEF', 'abcde', 'abcdef.0123456789abcde', 'abcdef.0123456789abcdefX', '']) {
    assert.throws(() => parseTokenOrId(bad), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(exitCodeOf(err), exitCodes.invalidInput);
      assert.match(err.message, /^given token didn't match pattern ".*" or ".*"$/);
      if (bad !== '') assert.ok(!err.message.includes(bad), 'the argument is not echoed');
      return true;
    }, bad);
  }
});
