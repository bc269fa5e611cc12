import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pass } from '../../../src/preflight/check.js';
import { executables, inPath } from '../../../src/preflight/checks/executables.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { initTargetOf, joinTargetOf, runOn } from '../healthy-host.js';

const byName = (n: string) => {
  const e = executables.find((x) => x.name === n);
  assert.ok(e !== undefined, n);
  return e;
};

describe('executable checks', () => {
  it('passes when the executable is on PATH', async () => {
    assert.deepEqual(await runOn(inPath(byName('iptables')), fakeHost({ path: ['iptables'] })), pass);
  });

  it('mandatory ones are errors, with the package to install', async () => {
    const r = await runOn(inPath(byName('nsenter')), fakeHost());
    assert.deepEqual(r, { warnings: [], errors: ['nsenter not found in system path — install the util-linux package'] });
    const crictl = await runOn(inPath(byName('crictl')), fakeHost());
    assert.deepEqual(crictl.errors, ['crictl not found in system path — install the cri-tools package']);
  });

  it('optional ones are warnings', async () => {
    const r = await runOn(inPath(byName('socat')), fakeHost());
    assert.deepEqual(r, { warnings: ['socat not found in system path — install the socat package'], errors: [] });
  });

  it('asks for conntrack only below Kubernetes 1.32, and never on join', () => {
    const conntrack = byName('conntrack');
    assert.ok('when' in conntrack);
    const at = (v: string) => initTargetOf((c) => ({ ...c, cluster: { ...c.cluster, kubernetesVersion: v } }));
    assert.equal(conntrack.when(at('v1.31.9')), true);
    assert.equal(conntrack.when(at('v1.32.0')), false);
    assert.equal(conntrack.when(joinTargetOf()), false);
  });

  it('lists them in kubeadm order, mandatory first', () => {
    assert.deepEqual(executables.map((e) => e.name),
      ['crictl', 'conntrack', 'ip', 'iptables', 'mount', 'nsenter', 'ebtables', 'ethtool', 'socat', 'tc', 'touch']);
    assert.deepEqual(executables.map((e) => e.mandatory), [true, true, true, true, true, true, false, false, false, false, false]);
  });
});
