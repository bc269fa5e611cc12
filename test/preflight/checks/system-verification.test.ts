import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { pass } from '../../../src/preflight/check.js';
import { cgroupV1Warning } from '../../../src/preflight/checks/cgroups.js';
import { parseKernelConfig, validateKernelRelease } from '../../../src/preflight/checks/kernel.js';
import { systemVerification, systemVerificationFailedHeader } from '../../../src/preflight/checks/system-verification.js';
import { healthyHost, initTargetOf, kernelRelease, runOn } from '../healthy-host.js';

const bootConfig = `/boot/config-${kernelRelease}`;
const v1Mounts = 'tmpfs /sys/fs/cgroup tmpfs ro 0 0\ncgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n';
const procCgroups = [
  '#subsys_name\thierarchy\tnum_cgroups\tenabled',
  ...['cpuset', 'cpu', 'cpuacct', 'blkio', 'memory', 'devices', 'freezer', 'pids', 'hugetlb'].map((c, i) => `${c}\t${i + 1}\t1\t1`),
].join('\n');
const v1 = (kubelet: string) => ({
  kernelFiles: {
    '/proc/mounts': v1Mounts, '/proc/cgroups': `${procCgroups}\n`, '/sys/fs/cgroup/memory/memory.limit_in_bytes': '0',
    '/sys/fs/cgroup/cgroup.controllers': undefined, '/sys/fs/cgroup/init.scope/cgroup.freeze': undefined,
  },
  commands: { 'kubelet --version': { stdout: `Kubernetes ${kubelet}` } },
});

describe('SystemVerification: kernel', () => {
  it('accepts LTS and 6.x releases, warns for other releases from 3.10, refuses older', () => {
    for (const r of ['6.1.0-13-amd64', '5.15.0-91-generic', '5.4.0', '10.0.1']) assert.deepEqual(validateKernelRelease(r).warnings, [], r);
    const w = validateKernelRelease('4.19.0-26-amd64');
    assert.deepEqual(w.errors, []);
    assert.match(w.warnings[0] ?? '', /^kernel release 4\.19\.0-26-amd64 is unsupported\. Supported LTS versions from the 5\.x series are 5\.4, 5\.10 and 5\.15\./);
    assert.equal(validateKernelRelease('3.10.0-1160.el7.x86_64').errors.length, 0);
    const old = validateKernelRelease('3.9.11');
    assert.equal(old.warnings.length, 0);
    assert.match(old.errors[0] ?? '', /^kernel release 3\.9\.11 is unsupported\. .* — Kubernetes needs Linux 3\.10 or newer/);
  });

  it('parses kernel config lines', () => {
    assert.deepEqual([...parseKernelConfig('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m\nCONFIG_D=n\nCONFIG_E="x"\n')],
      [['CONFIG_A', 'y'], ['CONFIG_C', 'm'], ['CONFIG_D', 'n']]);
  });

  it('reads /proc/config.gz first and reports missing required options with the full report', async () => {
    const config = gzipSync(Buffer.from('CONFIG_NAMESPACES=y\nCONFIG_IP_NF_TARGET_REDIRECT=m\n'));
    const r = await runOn(systemVerification, healthyHost({ files: { '/proc/config.gz': config } }));
    assert.equal(r.errors.length, 1);
    const missing = (r.errors[0] ?? '').split(' — ')[0]?.split(' ') ?? [];
    assert.ok(missing.includes('CONFIG_NET_NS') && missing.includes('CONFIG_CGROUP_BPF'));
    assert.ok(!missing.includes('CONFIG_NAMESPACES') && !missing.includes('CONFIG_NETFILTER_XT_TARGET_REDIRECT'));
    assert.ok(!missing.includes('CONFIG_OVERLAY_FS'), 'optional options are reported, not failed');
    const report = r.report ?? [];
    assert.equal(report[0], systemVerificationFailedHeader);
    assert.equal(report[1], `KERNEL_VERSION: ${kernelRelease}`);
    assert.ok(report.includes('CONFIG_NAMESPACES: enabled'));
    assert.ok(report.includes('CONFIG_IP_NF_TARGET_REDIRECT: enabled (as module)'));
    // As system-validators: an option missing under every name is reported under its last alias.
    assert.ok(report.includes('CONFIG_OVERLAYFS_FS: not set - Required for overlayfs.'));
    assert.ok(report.includes('OS: Linux'));
    assert.ok(report.includes('CGROUPS_CPU: enabled'));
  });

  it('only warns when no kernel config can be found', async () => {
    const r = await runOn(systemVerification, healthyHost({ files: { [bootConfig]: undefined } }));
    assert.deepEqual(r.errors, []);
    assert.match(r.warnings[0] ?? '', /^failed to parse kernel config: no config path in \[\/proc\/config\.gz \/boot\/config-6\.1\.0-13-amd64 /);
  });
});

describe('SystemVerification: OS and cgroups', () => {
  it('passes on a healthy cgroup v2 machine, without a report', async () => {
    assert.deepEqual(await runOn(systemVerification, healthyHost()), pass);
  });

  it('refuses a non-Linux OS', async () => {
    const r = await runOn(systemVerification, healthyHost({ osType: 'Darwin' }));
    assert.deepEqual(r.errors, ['unsupported operating system: Darwin']);
  });

  it('v2: missing required and optional controllers', async () => {
    const r = await runOn(systemVerification, healthyHost({ kernelFiles: { '/sys/fs/cgroup/cgroup.controllers': 'cpu memory pids\n' } }));
    assert.match(r.errors[0] ?? '', /^missing required cgroups: cpuset — /);
    assert.deepEqual(r.warnings, ['missing optional cgroups: hugetlb io']);
    assert.ok((r.report ?? []).includes('CGROUPS_CPUSET: missing'));
  });

  it('v2: freezer comes from an existing cgroup.freeze, else from the kernel release (5.2+)', async () => {
    const noFreeze = { '/sys/fs/cgroup/init.scope/cgroup.freeze': undefined };
    assert.deepEqual(await runOn(systemVerification, healthyHost({ kernelFiles: noFreeze })), pass);
    const old = await runOn(systemVerification, healthyHost({
      kernelFiles: noFreeze, kernelRelease: '5.1.0', files: { '/boot/config-5.1.0': 'x' },
    }));
    assert.ok(old.errors.some((e) => e.startsWith('missing required cgroups: freezer')), JSON.stringify(old.errors));
  });

  it("v1 with a kubelet before 1.35: kubeadm's maintenance-mode warning", async () => {
    const r = await runOn(systemVerification, healthyHost(v1('v1.34.2')));
    assert.deepEqual(r.errors, []);
    assert.equal(r.warnings.length, 1);
    assert.ok(r.warnings[0]?.startsWith(`${cgroupV1Warning} — `));
    assert.equal(cgroupV1Warning, 'cgroups v1 support is in maintenance mode, please migrate to cgroups v2');
  });

  it('v1 with a 1.35 kubelet is an error unless the kubelet config sets failCgroupV1: false', async () => {
    const r = await runOn(systemVerification, healthyHost(v1('v1.35.0')));
    assert.match(r.errors[0] ?? '', /^cgroups v1 support is deprecated and will be removed in a future release\./);
    const allowed = initTargetOf((c) => ({ ...c, kubelet: { kind: 'KubeletConfiguration', failCgroupV1: false } }));
    const ok = await runOn(systemVerification, healthyHost(v1('v1.35.0')), allowed);
    assert.deepEqual(ok.errors, []);
    assert.ok(ok.warnings[0]?.startsWith(cgroupV1Warning));
  });

  it('is an error when no cgroup filesystem is mounted', async () => {
    const r = await runOn(systemVerification, healthyHost({ kernelFiles: { '/proc/mounts': 'proc /proc proc rw 0 0\n' } }));
    assert.ok(r.errors.includes('cannot get a cgroup mount point: cannot get a cgroupfs mount point from "/proc/mounts"'));
  });
});
