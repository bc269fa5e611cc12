// The compact join string: round trips, what it refuses (damage, truncation, another version), how
// `join --join-string` takes it and refuses mixing, and how `token create` offers it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ApiClient } from '../../src/api/client.js';
import { loadJoinConfig } from '../../src/config/load.js';
import { ConfigError, exitCodeOf, exitCodes, UsageError } from '../../src/errors.js';
import { decodeJoinString, encodeJoinString, type JoinStringContent } from '../../src/tokens/join-string.js';
import { configHost } from '../config/config-host.js';
import { fakeHost } from '../helpers/fake-host.js';
import { memoryApi } from '../helpers/memory-api.js';
import { openssl } from '../helpers/openssl.js';
import { runCli } from '../cli/run-cli.js';

const pinA = `sha256:${createHash('sha256').update('a').digest('hex')}`;
const pinB = `sha256:${createHash('sha256').update('b').digest('hex')}`;
const content: JoinStringContent = { endpoint: '192.168.10.5:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [pinA] };

function refused(text: string): ConfigError {
  try {
    decodeJoinString(text);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(exitCodeOf(err), exitCodes.invalidInput);
    assert.match(err.message, /^--join-string: /);
    return err;
  }
  assert.fail(`"${text}" was accepted`);
}

describe('join string', () => {
  test('round trip; versioned prefix; URL- and shell-safe characters only', () => {
    const s = encodeJoinString(content);
    assert.match(s, /^tskj1\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeJoinString(s), content);
    assert.deepEqual(decodeJoinString(`  ${s}\n`), content, 'surrounding white space from copy and paste is ignored');
  });

  test('an IPv6 endpoint, a DNS name, several pins (upper-case hex comes back lower-case)', () => {
    for (const c of [
      { endpoint: '[fd00:10::5]:6443', token: 'zzzzzz.0123456789abcdef', caCertHashes: [pinA, pinB] },
      { endpoint: 'cp.example.test:443', token: 'a1b2c3.d4e5f6a7b8c9d0e1', caCertHashes: [pinB, pinA, pinB] },
    ]) assert.deepEqual(decodeJoinString(encodeJoinString(c)), c);
    assert.deepEqual(decodeJoinString(encodeJoinString({ ...content, caCertHashes: [pinA.toUpperCase().replace('SHA256', 'sha256')] })).caCertHashes, [pinA]);
  });

  test('every single-character change and every truncation is refused, never decoded to other values', () => {
    const s = encodeJoinString(content);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 'tskj1.'.length; i < s.length; i++) {
      const other = alphabet[(alphabet.indexOf(s[i]!) + 1) % alphabet.length]!;
      const changed = s.slice(0, i) + other + s.slice(i + 1);
      // The last character may carry only padding bits, which base64url ignores: then the bytes are the same.
      if (Buffer.from(changed.slice(6), 'base64url').equals(Buffer.from(s.slice(6), 'base64url'))) continue;
      assert.match(refused(changed).message, /damaged or incomplete/);
    }
    for (let n = 'tskj1.'.length + 1; n < s.length; n++) refused(s.slice(0, n));
  });

  test('another version, another value, stray characters: each its own message', () => {
    const s = encodeJoinString(content);
    const v2 = assert.throws(() => decodeJoinString(s.replace('tskj1.', 'tskj2.')), (e: unknown) => e instanceof ConfigError && /join string version 2 is not supported/.test(e.message));
    void v2;
    assert.match(refused('abcdef.0123456789abcdef').message, /not a tskubeadm join string/);
    assert.match(refused(`${s.slice(0, 20)}+${s.slice(21)}`).message, /not base64url/);
  });

  test('encode refuses what it cannot carry', () => {
    assert.throws(() => encodeJoinString({ ...content, caCertHashes: [] }), RangeError);
    assert.throws(() => encodeJoinString({ ...content, caCertHashes: ['sha256:abc'] }), RangeError);
    assert.throws(() => encodeJoinString({ ...content, token: 'nope' }), RangeError);
  });
});

describe('join --join-string', () => {
  const flags = { 'node-name': 'node-2', 'cri-socket': 'unix:///var/run/containerd/containerd.sock' };
  const s = encodeJoinString({ ...content, caCertHashes: [pinA, pinB] });

  test('supplies the endpoint, the token (discovery and TLS bootstrap) and all pins', async () => {
    const cfg = await loadJoinConfig({ host: configHost(), flags: { ...flags, 'join-string': s } });
    assert.deepEqual(cfg.join.discovery.bootstrapToken, {
      token: content.token, apiServerEndpoint: content.endpoint, caCertHashes: [pinA, pinB], unsafeSkipCAVerification: false,
    });
    assert.equal(cfg.join.discovery.tlsBootstrapToken, content.token);
  });

  const mixes: [string, Record<string, string | boolean | string[]>, string | undefined, RegExp][] = [
    ['the endpoint argument', {}, '10.0.0.1:6443', /the API server endpoint argument/],
    ['--token', { token: content.token }, undefined, /--token/],
    ['--discovery-token-ca-cert-hash', { 'discovery-token-ca-cert-hash': [pinA] }, undefined, /--discovery-token-ca-cert-hash/],
    ['--discovery-file', { 'discovery-file': '/d.yaml' }, undefined, /--discovery-file/],
    ['--discovery-token', { 'discovery-token': content.token }, undefined, /--discovery-token\b/],
  ];
  for (const [what, extra, endpoint, message] of mixes) {
    test(`with ${what}: a usage error (exit 64)`, async () => {
      const err = await loadJoinConfig({ host: configHost(), flags: { ...flags, ...extra, 'join-string': s }, ...(endpoint === undefined ? {} : { endpoint }) })
        .then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof UsageError, String(err));
      assert.equal(exitCodeOf(err), exitCodes.usage);
      assert.match(err.message, /--join-string cannot be used with/);
      assert.match(err.message, message);
    });
  }

  test('with --config: kubeadm\'s mixing rule refuses it', async () => {
    const host = configHost({ files: { '/j.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n' } });
    const err = await loadJoinConfig({ host, configPath: '/j.yaml', flags: { config: '/j.yaml', 'join-string': s } }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof UsageError, String(err));
    assert.match(err.message, /can not mix '--config' with arguments \[join-string\]/);
  });

  test('a damaged value: exit 3, nothing else tried', async () => {
    const err = await loadJoinConfig({ host: configHost(), flags: { ...flags, 'join-string': s.slice(0, -3) } }).then(() => undefined, (e: unknown) => e);
    assert.equal(exitCodeOf(err), exitCodes.invalidInput);
    assert.match(String((err as Error).message), /damaged or incomplete/);
  });
});

describe('token create offers the join string', () => {
  const token = 'abcdef.0123456789abcdef';
  const caPem = openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=kubernetes', '-days', '1']);
  const adminConf = 'apiVersion: v1\nkind: Config\nclusters:\n- name: kubernetes\n  cluster:\n' +
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}\n    server: https://[fd00::10]:6443\n` +
    'contexts:\n- name: a@kubernetes\n  context:\n    cluster: kubernetes\n    user: a\ncurrent-context: a@kubernetes\nusers:\n- name: a\n  user: {}\n';
  const run = (argv: string[]) => {
    const api = memoryApi();
    const host = fakeHost({ now: new Date('2025-01-01T00:00:00Z'), files: { '/etc/kubernetes/admin.conf': adminConf } });
    return runCli(['token', 'create', token, ...argv], { host, connectApi: () => (): Promise<ApiClient> => Promise.resolve(api) });
  };

  test('--print-join-command alone is unchanged; --print-join-string adds the value on its own line; alone it prints just the value', async () => {
    const command = await run(['--print-join-command']);
    assert.equal(command.code, 0, command.stderr);
    assert.equal(command.stdout.split('\n').length, 2, 'one line, as kubeadm');
    const both = await run(['--print-join-command', '--print-join-string']);
    const [line, value, rest] = both.stdout.split('\n');
    assert.equal(`${line}\n`, command.stdout);
    assert.equal(rest, '');
    const decoded = decodeJoinString(value!);
    assert.equal(decoded.endpoint, '[fd00::10]:6443');
    assert.equal(decoded.token, token);
    assert.ok(line!.includes(`--discovery-token-ca-cert-hash ${decoded.caCertHashes[0]!} `), 'the same pin as the command');
    const alone = await run(['--print-join-string']);
    assert.equal(alone.stdout, `${value!}\n`);
  });

  test('-o json: a joinString field beside joinCommand', async () => {
    const r = await run(['--print-join-command', '-o', 'json']);
    const obj = JSON.parse(r.stdout) as { joinCommand: string; joinString: string };
    assert.match(obj.joinCommand, /^tskubeadm join \[fd00::10\]:6443 --token /);
    assert.equal(decodeJoinString(obj.joinString).token, token);
  });
});
