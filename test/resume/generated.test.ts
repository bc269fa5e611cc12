// Generated values: the token init made when the configuration gave none is reused by a re-run; a token the user
// gave always wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstTokenGiven, withGeneratedToken } from '../../src/resume/generated.js';
import { fakeHost } from '../helpers/fake-host.js';
import { initConfig } from '../preflight/healthy-host.js';

const initDoc = (tokens: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n${tokens}---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n`;

test('firstTokenGiven: --token, or bootstrapTokens[0].token in the InitConfiguration', async () => {
  const host = fakeHost({
    files: {
      '/given.yaml': initDoc('bootstrapTokens:\n- token: abcdef.0123456789abcdef\n'),
      '/ttl-only.yaml': initDoc('bootstrapTokens:\n- ttl: 1h\n'),
      '/none.yaml': initDoc(''),
    },
  });
  assert.equal(await firstTokenGiven(host, undefined, 'abcdef.0123456789abcdef'), true);
  assert.equal(await firstTokenGiven(host, undefined, undefined), false);
  assert.equal(await firstTokenGiven(host, '/given.yaml', undefined), true);
  assert.equal(await firstTokenGiven(host, '/ttl-only.yaml', undefined), false);
  assert.equal(await firstTokenGiven(host, '/none.yaml', undefined), false);
});

test('withGeneratedToken: the earlier run\'s token replaces a generated one; a given one is kept and not recorded', () => {
  const cfg = initConfig();
  const generatedNow = cfg.init.bootstrapTokens[0]!.token;
  const now = new Date('2030-01-01T00:00:00Z');
  const first = withGeneratedToken(cfg, undefined, false, now);
  assert.equal(first.cfg, cfg);
  assert.equal(first.bootstrapToken, generatedNow);
  assert.equal(first.bootstrapTokenExpires, '2030-01-02T00:00:00Z', 'the default 24 h time to live, from this run');
  const reused = withGeneratedToken(cfg, { bootstrapToken: 'zzzzzz.zzzzzzzzzzzzzzzz' }, false, now);
  assert.equal(reused.cfg.init.bootstrapTokens[0]!.token, 'zzzzzz.zzzzzzzzzzzzzzzz');
  assert.deepEqual({ ...reused.cfg.init.bootstrapTokens[0], token: '' }, { ...cfg.init.bootstrapTokens[0], token: '' });
  assert.equal(reused.bootstrapToken, 'zzzzzz.zzzzzzzzzzzzzzzz');
  const given = withGeneratedToken(cfg, { bootstrapToken: 'zzzzzz.zzzzzzzzzzzzzzzz' }, true, now);
  assert.equal(given.cfg, cfg);
  assert.equal(given.bootstrapToken, undefined);
});

test('withGeneratedToken: an earlier generated token is reused until its time to live ends, then a new one is made', () => {
  const cfg = initConfig();
  const earlier = { bootstrapToken: 'zzzzzz.zzzzzzzzzzzzzzzz', bootstrapTokenExpires: '2030-01-02T00:00:00Z' };
  const within = withGeneratedToken(cfg, earlier, false, new Date('2030-01-01T23:00:00Z'));
  assert.equal(within.bootstrapToken, 'zzzzzz.zzzzzzzzzzzzzzzz');
  assert.equal(within.bootstrapTokenExpires, '2030-01-02T00:00:00Z', 'the first expiry is kept');
  const after = withGeneratedToken(cfg, earlier, false, new Date('2030-01-02T00:00:01Z'));
  assert.equal(after.cfg, cfg);
  assert.equal(after.bootstrapToken, cfg.init.bootstrapTokens[0]!.token);
  assert.equal(after.bootstrapTokenExpires, '2030-01-03T00:00:01Z');
});
