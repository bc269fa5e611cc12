import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivilegedUser, kubernetesVersion, mem, numCPU, swap } from '../../../src/preflight/checks/system.js';
import { pass } from '../../../src/preflight/check.js';
import { healthyHost, initTargetOf, runOn } from '../healthy-host.js';

const withVersion = (v: string) => initTargetOf((c) => ({ ...c, cluster: { ...c.cluster, kubernetesVersion: v } }));

describe('system checks', () => {
  it('IsPrivilegedUser wants euid 0', async () => {
    assert.deepEqual(await runOn(isPrivilegedUser, healthyHost()), pass);
    const r = await runOn(isPrivilegedUser, healthyHost({ euid: 1000 }));
    assert.deepEqual(r.warnings, []);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /^user is not running as root — /);
  });

  it('NumCPU wants 2 CPUs', async () => {
    assert.deepEqual(await runOn(numCPU, healthyHost({ cpus: 2 })), pass);
    const r = await runOn(numCPU, healthyHost({ cpus: 1 }));
    assert.match(r.errors[0] ?? '', /^the number of available CPUs 1 is less than the required 2 — /);
  });

  it('Mem wants 1700 MB, counted as kubeadm does (MiB, floored)', async () => {
    assert.deepEqual(await runOn(mem, healthyHost({ memoryBytes: 1700 * 1024 * 1024 })), pass);
    const r = await runOn(mem, healthyHost({ memoryBytes: 1700 * 1024 * 1024 - 1 }));
    assert.match(r.errors[0] ?? '', /^the system RAM \(1699 MB\) is less than the minimum 1700 MB — /);
  });

  it('Swap warns when /proc/swaps lists a device, and is quiet without the file', async () => {
    assert.deepEqual(await runOn(swap, healthyHost()), pass);
    assert.deepEqual(await runOn(swap, healthyHost({ kernelFiles: { '/proc/swaps': undefined } })), pass);
    const on = await runOn(swap, healthyHost({
      kernelFiles: { '/proc/swaps': 'Filename\tType\tSize\tUsed\tPriority\n/swap.img file 2097148 0 -2\n' },
    }));
    assert.deepEqual(on.errors, []);
    assert.match(on.warnings[0] ?? '', /^swap is supported for cgroup v2 only\. The kubelet must be properly configured to use swap\. .*or disable swap on the node — /);
  });

  it('KubernetesVersion warns past kubeadm 1.35, pre-releases included, and errors on garbage', async () => {
    assert.deepEqual(await runOn(kubernetesVersion, healthyHost(), withVersion('v1.35.9')), pass);
    assert.deepEqual(await runOn(kubernetesVersion, healthyHost(), withVersion('v1.34.0')), pass);
    for (const v of ['v1.36.0', 'v1.36.0-alpha.1']) {
      const r = await runOn(kubernetesVersion, healthyHost(), withVersion(v));
      assert.deepEqual(r.errors, []);
      assert.match(r.warnings[0] ?? '',
        new RegExp(`^Kubernetes version is greater than kubeadm version\\. Please consider to upgrade kubeadm\\. Kubernetes version: ${v.slice(1).replaceAll('.', '\\.')}\\. Kubeadm version: 1\\.35\\.x — `));
    }
    const bad = await runOn(kubernetesVersion, healthyHost(), withVersion('banana'));
    assert.match(bad.errors[0] ?? '', /^couldn't parse Kubernetes version "banana"/);
  });
});
