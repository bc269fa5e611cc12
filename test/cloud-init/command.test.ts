// `tskubeadm config cloud-init` end to end: flags, stdout holding only the document, warnings
// on stderr, typed errors (usage 64, invalid config 3) with nothing printed to stdout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ConfigError, UsageError } from '../../src/errors.js';
import { fakeHost } from '../helpers/fake-host.js';
import { joinConfig } from './configs.js';
import { runCloudInit } from './run-command.js';

const workerConfig = joinConfig();
const host = () => fakeHost({ files: { '/etc/cluster/worker.yaml': workerConfig } });

type Doc = { write_files: { path: string; content: string }[] };
const scriptOf = (doc: Doc) => doc.write_files.find((f) => f.path.endsWith('bootstrap.sh'))?.content ?? '';

test('--config: the file goes into the user-data; stdout is the #cloud-config document alone', async () => {
  const r = await runCloudInit(['--role', 'worker', '--config', '/etc/cluster/worker.yaml'], host());
  assert.equal(r.error, undefined);
  assert.ok(r.stdout.startsWith('#cloud-config\n'));
  const doc = parse(r.stdout, { version: '1.1' }) as Doc;
  assert.equal(doc.write_files[0]?.content, workerConfig);
  assert.equal(r.stderr, '');
});

test('-o json prints the same object as JSON', async () => {
  const yaml = await runCloudInit(['--role', 'worker', '--config', '/etc/cluster/worker.yaml'], host());
  const json = await runCloudInit(['--role', 'worker', '--config', '/etc/cluster/worker.yaml', '-o', 'json'], host());
  assert.deepEqual(JSON.parse(json.stdout), parse(yaml.stdout, { version: '1.1' }));
});

test('--install-from, --install-path and --sentinel reach the bootstrap script', async () => {
  const r = await runCloudInit(
    ['--role', 'worker', '--config', '/etc/cluster/worker.yaml', '--install-from', 'https://example.com/tskubeadm', '--install-path', '/opt/bin/tskubeadm', '--sentinel', '/run/cluster-api/bootstrap-success.complete'],
    host(),
  );
  const script = scriptOf(parse(r.stdout, { version: '1.1' }) as Doc);
  assert.match(script, /^readonly install_from=https:\/\/example\.com\/tskubeadm$/m);
  assert.match(script, /^readonly bin=\/opt\/bin\/tskubeadm$/m);
  assert.match(script, /^readonly sentinel=\/run\/cluster-api\/bootstrap-success\.complete$/m);
  assert.match(r.stdout, /^# Success writes "success" to \/run\/cluster-api\/bootstrap-success\.complete;/m);
});

test('without --config: the role\'s defaults, with the warnings on stderr', async () => {
  const r = await runCloudInit(['--role', 'control-plane-join'], host());
  assert.equal(r.error, undefined);
  assert.match(r.stderr, /^\[config\] WARNING: no --config: discovery\.bootstrapToken\.token/m);
  assert.match(r.stderr, /controlPlane\.certificateKey is not set/);
  assert.doesNotMatch(r.stdout, /WARNING/);
});

test('plain http is allowed with a warning', async () => {
  const r = await runCloudInit(['--role', 'worker', '--config', '/etc/cluster/worker.yaml', '--install-from', 'http://mirror.local/tskubeadm'], host());
  assert.equal(r.error, undefined);
  assert.match(r.stderr, /plain http/);
});

for (const [name, args, pattern] of [
  ['no --role', [], /--role flag is mandatory/],
  ['an unknown role', ['--role', 'etcd'], /unknown role "etcd"/],
  ['a relative --sentinel', ['--role', 'worker', '--sentinel', 'done'], /--sentinel "done" is not an absolute file path/],
  ['a relative --install-path', ['--role', 'worker', '--install-path', 'tskubeadm'], /--install-path/],
  ['an ftp --install-from', ['--role', 'worker', '--install-from', 'ftp://x/tskubeadm'], /uses ftp/],
  ['a non-URL --install-from', ['--role', 'worker', '--install-from', 'tskubeadm'], /is not a URL/],
] as const) {
  test(`${name} is a usage error (exit 64), nothing on stdout`, async () => {
    const r = await runCloudInit(args, host());
    assert.ok(r.error instanceof UsageError, String(r.error));
    assert.equal(r.error.exitCode, 64);
    assert.match(r.error.message, pattern);
    assert.equal(r.stdout, '');
  });
}

test('a config for the wrong role is a ConfigError (exit 3), nothing on stdout', async () => {
  const r = await runCloudInit(['--role', 'control-plane-join', '--config', '/etc/cluster/worker.yaml'], host());
  assert.ok(r.error instanceof ConfigError, String(r.error));
  assert.equal(r.error.exitCode, 3);
  assert.equal(r.stdout, '');
});

test('--rootfs: the --config path is read under it', async () => {
  const made: (string | undefined)[] = [];
  const h = host();
  const r = await runCloudInit(['--rootfs', '/mnt/root', '--role', 'worker', '--config', '/etc/cluster/worker.yaml'], h, made);
  assert.equal(r.error, undefined);
  assert.deepEqual(made, ['/mnt/root']);
});
