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
  const first = withGeneratedToken(cfg, undefined, false);
  assert.equal(first.cfg, cfg);
  assert.equal(first.bootstrapToken, generatedNow);
  const reused = withGeneratedToken(cfg, { bootstrapToken: 'zzzzzz.zzzzzzzzzzzzzzzz' }, false);
  assert.equal(reused.cfg.init.bootstrapTokens[0]!.token, 'zzzzzz.zzzzzzzzzzzzzzzz');
  assert.deepEqual({ ...reused.cfg.init.bootstrapTokens[0], token: '' }, { ...cfg.init.bootstrapTokens[0], token: '' });
  assert.equal(reused.bootstrapToken, 'zzzzzz.zzzzzzzzzzzzzzzz');
  const given = withGeneratedToken(cfg, { bootstrapToken: 'zzzzzz.zzzzzzzzzzzzzzzz' }, true);
  assert.equal(given.cfg, cfg);
  assert.equal(given.bootstrapToken, undefined);
});
