// `tskubeadm version`: kubeadm's shapes, our version numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultKubernetesVersion } from '../../src/config/kubernetes-versions.js';
import { exitCodes } from '../../src/errors.js';
import { runCli } from './run-cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('version -o short prints only the git version', async () => {
  const r = await runCli(['version', '-o', 'short']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `v${pkg.version}\n`);
  assert.equal(r.stderr, '');
});

test('version -o json has kubeadm clientVersion fields plus the default Kubernetes version', async () => {
  const r = await runCli(['version', '--output=json']);
  assert.equal(r.code, 0);
  const doc = JSON.parse(r.stdout) as { clientVersion: Record<string, string> };
  const [major, minor] = pkg.version.split('.');
  assert.deepEqual(Object.keys(doc), ['clientVersion']);
  assert.equal(doc.clientVersion.major, major);
  assert.equal(doc.clientVersion.minor, minor);
  assert.equal(doc.clientVersion.gitVersion, `v${pkg.version}`);
  assert.equal(doc.clientVersion.kubernetesVersion, defaultKubernetesVersion);
  assert.match(doc.clientVersion.platform!, /^[a-z0-9]+\/[a-z0-9]+$/);
  for (const k of ['gitCommit', 'gitTreeState', 'buildDate', 'nodeVersion']) assert.equal(typeof doc.clientVersion[k], 'string', k);
  assert.match(r.stdout, /^\{\n {2}"clientVersion": \{\n {4}"major"/, 'two-space indentation as kubeadm');
});

test('version -o yaml is the same document in YAML with sorted keys', async () => {
  const json = JSON.parse((await runCli(['version', '-o', 'json'])).stdout) as unknown;
  const r = await runCli(['version', '-o', 'yaml']);
  assert.equal(r.code, 0);
  assert.deepEqual(parse(r.stdout), json);
  assert.match(r.stdout, /^clientVersion:\n {2}buildDate: /);
});

test('version without -o prints the version.Info line', async () => {
  const r = await runCli(['version']);
  assert.match(r.stdout, new RegExp(`^tskubeadm version: &version\\.Info\\{Major:"\\d+", Minor:"\\d+", GitVersion:"v${pkg.version.replaceAll('.', '\\.')}", `));
  assert.match(r.stdout, new RegExp(`KubernetesVersion:"${defaultKubernetesVersion}"\\}\\n$`));
});

test('version -o with an unknown format is a usage error', async () => {
  const r = await runCli(['version', '-o', 'xml']);
  assert.equal(r.code, exitCodes.usage);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: option '-o, --output <format>' argument 'xml' is invalid\. Allowed choices are short, json, yaml\.\n {2}fix: see 'tskubeadm version --help'\n/);
});
