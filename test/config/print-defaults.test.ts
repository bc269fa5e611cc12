import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  detectResolvConf, parseComponentConfigKinds, printInitDefaults, printJoinDefaults, printResetDefaults, printUpgradeDefaults,
} from '../../src/config/print-defaults.js';
import { UsageError } from '../../src/errors.js';
import { fakeHost } from '../helpers/fake-host.js';
import { assertGolden } from '../helpers/golden.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';



// The observed kubeadm v1.35 output; join-defaults ran on a host named "vm".
const cases: ReadonlyArray<readonly [string, () => string]> = [
  ['init-defaults.yaml', () => printInitDefaults()],
  ['init-defaults-cc.yaml', () => printInitDefaults({ componentConfigs: ['KubeletConfiguration', 'KubeProxyConfiguration'] })],
  ['join-defaults.yaml', () => printJoinDefaults({ nodeName: 'vm' })],
  ['reset-defaults.yaml', () => printResetDefaults()],
  ['upgrade-defaults.yaml', () => printUpgradeDefaults()],
];

for (const [name, print] of cases) {
  test(`${name} matches the in-repo golden file`, () => assertGolden(`config/${name}`, print()));

  const observed = `reference/kubeadm-observed/${name}`;
  test(`${name} is byte-identical to what kubeadm printed`, { skip: skipWithoutShared(observed) }, () => {
    assert.equal(print(), readFileSync(sharedPath(observed), 'utf8'));
  });
}

test('component configs print in the order asked, after the kubeadm documents', () => {
  const out = printInitDefaults({ componentConfigs: ['KubeProxyConfiguration', 'KubeletConfiguration'] });
  const kinds = [...out.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
  assert.deepEqual(kinds, ['InitConfiguration', 'ClusterConfiguration', 'KubeProxyConfiguration', 'KubeletConfiguration']);
});

test('the kubelet gets systemd-resolved\'s resolv.conf when it is active', () => {
  const out = printInitDefaults({ componentConfigs: ['KubeletConfiguration'], resolvConf: '/run/systemd/resolve/resolv.conf' });
  assert.match(out, /\nresolvConf: \/run\/systemd\/resolve\/resolv\.conf\nrotateCertificates: true\n/);
  assert.doesNotMatch(printInitDefaults({ componentConfigs: ['KubeletConfiguration'] }), /resolvConf/);
});

test('detectResolvConf asks systemctl, read-only', async () => {
  const active = fakeHost({ commands: { 'systemctl is-active systemd-resolved': { stdout: 'active\n' } } });
  assert.equal(await detectResolvConf(active), '/run/systemd/resolve/resolv.conf');
  assert.equal(active.execCalls[0]?.opts.mutates, false);
  const inactive = fakeHost({ commands: { 'systemctl is-active systemd-resolved': { exitCode: 3, stdout: 'inactive\n' } } });
  assert.equal(await detectResolvConf(inactive), undefined);
  assert.equal(await detectResolvConf(fakeHost()), undefined); // no systemctl at all
});

test('join-defaults lower-cases the host name as kubeadm does', () => {
  assert.match(printJoinDefaults({ nodeName: ' Worker-1 ' }), /\n {2}name: worker-1\n/);
});

test('--component-configs accepts only the two kinds, with kubeadm\'s message', () => {
  assert.deepEqual(parseComponentConfigKinds(['KubeletConfiguration']), ['KubeletConfiguration']);
  assert.throws(() => parseComponentConfigKinds(['KubeletConfiguration', 'Foo']), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, '--component-configs needs to contain some of [KubeletConfiguration KubeProxyConfiguration]');
    return true;
  });
});
