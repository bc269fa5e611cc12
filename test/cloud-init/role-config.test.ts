// The config a role's machine boots with: checked by our loader as that machine's command
// reads it (on a stand-in for the target, never probing this machine), kept as written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { defaultRoleConfig, roleConfigFromFile } from '../../src/cloud-init/role-config.js';
import { roles, type Role } from '../../src/cloud-init/roles.js';
import { fakeHost } from '../helpers/fake-host.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';
import { joinConfig } from './configs.js';

const join = joinConfig;

const init = (extra = '') => `# the first control plane
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
${extra}---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controlPlaneEndpoint: lb.example.com:6443
`;

async function fromText(role: Role, text: string) {
  // An empty hostname, no default route, no CRI: the rendering machine's facts must not matter.
  const host = fakeHost({ files: { '/cfg.yaml': text }, hostname: '' });
  const result = await roleConfigFromFile(host, role, '/cfg.yaml');
  return { result, host };
}

async function rejected(role: Role, text: string): Promise<ConfigError> {
  try {
    await fromText(role, text);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.exitCode, 3);
    return err;
  }
  assert.fail(`${role} accepted the config`);
}

test('the file text is kept byte for byte, comments included', async () => {
  const text = init();
  assert.equal((await fromText('control-plane', text)).result.text, text);
  assert.equal((await fromText('worker', join())).result.text, join());
});

test('validation never runs a process or writes on the rendering machine', async () => {
  const { host } = await fromText('control-plane', init());
  assert.deepEqual(host.execCalls, []);
  assert.deepEqual(host.mutations, []);
});

test('init uploads certificates only when the config sets a certificateKey', async () => {
  assert.equal((await fromText('control-plane', init())).result.uploadCerts, false);
  assert.equal((await fromText('control-plane', init(`certificateKey: ${'0f'.repeat(32)}\n`))).result.uploadCerts, true);
});

test('a worker config must not set controlPlane, a control-plane-join config must', async () => {
  const cp = join('controlPlane:\n  certificateKey: ' + '0f'.repeat(32) + '\n');
  assert.equal((await fromText('control-plane-join', cp)).result.text, cp);
  const e = await rejected('worker', cp);
  assert.match(e.message, /\/cfg\.yaml:8:1, document 1 \(JoinConfiguration\), controlPlane: controlPlane is set/);
  assert.match(e.fix ?? '', /--role control-plane-join/);
  const e2 = await rejected('control-plane-join', join());
  assert.match(e2.message, /controlPlane is not set/);
  assert.match(e2.fix ?? '', /--role worker/);
});

test('the role decides which kinds must be there', async () => {
  assert.match((await rejected('worker', init())).message, /no JoinConfiguration found/);
  assert.match((await rejected('control-plane', join())).message, /no InitConfiguration or ClusterConfiguration/);
});

test('invalid fields are reported with their place in the file', async () => {
  const e = await rejected('control-plane', init().replace('lb.example.com:6443', 'lb.example.com:99999'));
  assert.match(e.message, /^\/cfg\.yaml:\d+:\d+, document 2 \(ClusterConfiguration\), controlPlaneEndpoint/);
});

test('a missing --config file is a ConfigError', async () => {
  await assert.rejects(roleConfigFromFile(fakeHost(), 'worker', '/nope.yaml'), (e) => e instanceof ConfigError && /no such file/.test(e.message));
});

test('file discovery: accepted though the file is not here, with a warning that the machine needs it', async () => {
  const text = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ndiscovery:\n  file:\n    kubeConfigPath: /etc/kubernetes/discovery.conf\n  tlsBootstrapToken: abcdef.0123456789abcdef\n';
  const { result } = await fromText('worker', text);
  assert.ok(result.warnings.some((w) => w.includes('/etc/kubernetes/discovery.conf') && w.includes('must exist on the machine')));
});

test('defaults: each role\'s defaults load back; init\'s leave the node\'s own values to the machine', async () => {
  for (const role of roles) {
    const d = await defaultRoleConfig(fakeHost({ hostname: 'laptop' }), role);
    assert.ok(d.warnings.length > 0, `${role} warns`);
    assert.doesNotMatch(d.text, /laptop/, 'the rendering machine\'s hostname is not the node name');
    await fromText(role, d.text);
  }
  const cp = await defaultRoleConfig(fakeHost(), 'control-plane');
  assert.doesNotMatch(cp.text, /1\.2\.3\.4|abcdef\.0123456789abcdef|name: node/);
  const worker = await defaultRoleConfig(fakeHost(), 'worker');
  assert.match(worker.warnings.join('\n'), /placeholders that must be replaced/);
  assert.doesNotMatch(worker.text, /^controlPlane:/m);
  assert.match((await defaultRoleConfig(fakeHost(), 'control-plane-join')).text, /controlPlane:\n {2}localAPIEndpoint:\n {4}bindPort: 6443/);
});

interface CorpusEntry {
  readonly file: string;
  readonly kinds: readonly string[];
  readonly observed?: { readonly exitCode: number };
}

// Where tskubeadm's own loader, which the machine runs, knowingly differs from kubeadm's observed validate.
const corpusExceptions: Readonly<Record<string, string>> = {
  // init reads only Init/ClusterConfiguration; the file's invalid JoinConfiguration is not init's business.
  '007-yuweisung-v1beta4-join-without-discovery.yaml': 'valid',
  // The discovery file lives on the target; kubeadm stat()ed it on the validating host.
  '055-kudig-v1beta3-join-file-discovery.yaml': 'valid',
};

test('corpus: accepted exactly where kubeadm accepted the file (role from its kinds)', { skip: skipWithoutShared('corpus/manifest.json') }, async () => {
  const manifest = JSON.parse(readFileSync(sharedPath('corpus/manifest.json'), 'utf8')) as CorpusEntry[];
  let checked = 0;
  for (const e of manifest) {
    if (e.observed === undefined) continue;
    const text = readFileSync(sharedPath(`corpus/${e.file}`), 'utf8');
    const role: Role | undefined = e.kinds.includes('InitConfiguration') || e.kinds.includes('ClusterConfiguration')
      ? 'control-plane'
      : e.kinds.includes('JoinConfiguration') ? (/^\s*controlPlane:/m.test(text) ? 'control-plane-join' : 'worker') : undefined;
    if (role === undefined) continue;
    const want = corpusExceptions[e.file] ?? (e.observed.exitCode === 0 ? 'valid' : 'invalid');
    let got = 'valid';
    try {
      const { result } = await fromText(role, text);
      assert.equal(result.text, text);
    } catch (err) {
      assert.ok(err instanceof ConfigError, `${e.file}: ${String(err)}`);
      got = 'invalid';
    }
    assert.equal(got, want, `${e.file} as ${role}`);
    checked++;
  }
  assert.ok(checked >= 40, `only ${checked} corpus files checked`);
});
