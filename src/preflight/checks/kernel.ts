// The kernel validator of SystemVerification: release and build options.
// kubeadm: k8s.io/system-validators validators/kernel_validator.go and types_unix.go (1.35 line).
import { gunzipSync } from 'node:zlib';
import type { Host } from '../../host/host.js';
import { withFix } from '../check.js';

export interface ValidatorResult {
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
  /** `KEY: value` lines, as system-validators' reporter prints them (without colours). */
  readonly report: readonly string[];
}

interface KernelConfig {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description?: string;
}

// system-validators DefaultSysSpec.KernelSpec (Linux).
const supportedReleases = [/^5\.4.*$/, /^5\.10.*$/, /^5\.15.*$/, /^([6-9]|[1-9][0-9]+)\.([0-9]+)\.([0-9]+).*$/];
const releasesNote =
  'Supported LTS versions from the 5.x series are 5.4, 5.10 and 5.15. Any 6.x version is also supported. ' +
  'For cgroups v2 support, the recommended version is 5.10 or newer';

const required: readonly KernelConfig[] = [
  { name: 'NAMESPACES' }, { name: 'NET_NS' }, { name: 'PID_NS' }, { name: 'IPC_NS' }, { name: 'UTS_NS' },
  { name: 'CPUSETS' }, { name: 'MEMCG' }, { name: 'INET' }, { name: 'EXT4_FS' }, { name: 'PROC_FS' },
  { name: 'NETFILTER_XT_TARGET_REDIRECT', aliases: ['IP_NF_TARGET_REDIRECT'] },
  { name: 'NETFILTER_XT_MATCH_COMMENT' }, { name: 'FAIR_GROUP_SCHED' },
];
const requiredCgroupsV1: readonly KernelConfig[] = [
  { name: 'CGROUPS', description: 'Required for cgroups.' },
  { name: 'CGROUP_CPUACCT', description: 'Required for cpuacct controller, used in simple CPU accounting controller.' },
  { name: 'CGROUP_DEVICE', description: 'Required for device controller.' },
  { name: 'CGROUP_FREEZER', description: 'Required for freezer controller.' },
  { name: 'CGROUP_PIDS', description: 'Required for PIDs controller.' },
  { name: 'CGROUP_SCHED', description: 'Required for CPU controller.' },
];
const requiredCgroupsV2: readonly KernelConfig[] = [
  { name: 'CGROUPS', description: 'Required for cgroups.' },
  { name: 'CGROUP_BPF', description: 'Required for eBPF programs attached to cgroups, used in device controller.' },
  { name: 'CGROUP_PIDS', description: 'Required for PIDs controller.' },
  { name: 'CGROUP_SCHED', description: 'Required for CPU controller.' },
];
const optional: readonly KernelConfig[] = [
  { name: 'OVERLAY_FS', aliases: ['OVERLAYFS_FS'], description: 'Required for overlayfs.' },
  { name: 'AUFS_FS', description: 'Required for aufs.' },
  { name: 'BLK_DEV_DM', description: 'Required for devicemapper.' },
  { name: 'CFS_BANDWIDTH', description: 'Required for CPU quota.' },
  { name: 'SECCOMP', description: 'Required for seccomp.' },
  { name: 'SECCOMP_FILTER', description: 'Required for seccomp mode 2.' },
];

/** [major, minor] of a release such as `6.1.0-13-amd64`; undefined when it does not start with numbers. */
export function releaseNumbers(release: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

/** The release must be 3.10 or newer (our floor: older kernels lack what containers need), and is
 *  expected to match system-validators' list (a warning, as in kubeadm 1.35). */
export function validateKernelRelease(release: string): ValidatorResult {
  const report = [`KERNEL_VERSION: ${release}`];
  if (supportedReleases.some((r) => r.test(release))) return { warnings: [], errors: [], report };
  const message = `kernel release ${release} is unsupported. ${releasesNote}`;
  const n = releaseNumbers(release);
  if (n === undefined || n[0] < 3 || (n[0] === 3 && n[1] < 10)) {
    return { warnings: [], errors: [withFix(message, 'Kubernetes needs Linux 3.10 or newer: upgrade the kernel (5.10 or newer is recommended)')], report };
  }
  return { warnings: [withFix(message, 'an LTS kernel (5.10, 5.15 or 6.x) is recommended')], errors: [], report };
}

/** Where system-validators looks for the kernel's build configuration, in order. */
function kernelConfigPaths(release: string): string[] {
  return [
    '/proc/config.gz',
    `/boot/config-${release}`,
    `/usr/src/linux-${release}/.config`,
    '/usr/src/linux/.config',
    `/usr/lib/modules/${release}/config`,
    `/usr/lib/ostree-boot/config-${release}`,
    `/usr/lib/kernel/config-${release}`,
    `/usr/src/linux-headers-${release}/.config`,
    `/lib/modules/${release}/build/.config`,
  ];
}

/** `CONFIG_X=y|m|n` lines → map of X-with-prefix → option letter. */
export function parseKernelConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^(CONFIG_[A-Z0-9_]+)=([myn])/.exec(line);
    if (m !== null) out.set(m[1] ?? '', m[2] ?? '');
  }
  return out;
}

/** The first candidate that exists, decompressed. /proc/config.gz is binary, so every candidate is
 *  read as bytes through host.fs (kubeadm, chrooted by --rootfs, reads them the same way). We never
 *  `modprobe configs` as kubeadm does when none is found: preflight changes nothing on the host. */
async function readKernelConfig(host: Host, release: string): Promise<string | undefined> {
  for (const path of kernelConfigPaths(release)) {
    let bytes: Buffer | undefined;
    try {
      bytes = await host.fs.read(path);
    } catch {
      continue;
    }
    if (bytes === undefined) continue;
    if (!path.endsWith('.gz')) return bytes.toString('utf8');
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch {
      continue; // a corrupt config.gz: try the files on disk
    }
  }
  return undefined;
}

function checkOptions(config: Map<string, string>, cgroupsV2: boolean): ValidatorResult {
  const report: string[] = [];
  const bad: string[] = [];
  const check = (c: KernelConfig, isRequired: boolean): void => {
    let name = '';
    let opt: string | undefined;
    for (const n of [c.name, ...(c.aliases ?? [])]) {
      name = `CONFIG_${n}`;
      opt = config.get(name);
      if (opt !== undefined) break;
    }
    const good = opt === 'y' || opt === 'm';
    const state = opt === undefined ? 'not set' : opt === 'y' ? 'enabled' : opt === 'm' ? 'enabled (as module)' : 'disabled';
    report.push(`${name}: ${state}${!good && c.description !== undefined ? ` - ${c.description}` : ''}`);
    if (!good && isRequired) bad.push(name);
  };
  for (const c of required) check(c, true);
  for (const c of cgroupsV2 ? requiredCgroupsV2 : requiredCgroupsV1) check(c, true);
  for (const c of optional) check(c, false);
  const errors = bad.length === 0 ? [] : [withFix(`unexpected kernel config: ${bad.join(' ')}`,
    'this kernel was built without options containers need: use a distribution kernel')];
  return { warnings: [], errors, report };
}

export async function validateKernel(host: Host, cgroupsV2: boolean): Promise<ValidatorResult> {
  const release = host.system.kernelRelease().trim();
  const version = validateKernelRelease(release);
  const text = await readKernelConfig(host, release);
  if (text === undefined) {
    // kubeadm fails here; containers and some clouds ship no kernel config, and the options it
    // would verify are exercised by the cgroup and runtime checks anyway, so we only warn.
    const warning = withFix(
      `failed to parse kernel config: no config path in [${kernelConfigPaths(release).join(' ')}] is available`,
      'the kernel options were not verified; load the "configs" module (modprobe configs) to let tskubeadm read /proc/config.gz',
    );
    return { warnings: [...version.warnings, warning], errors: version.errors, report: version.report };
  }
  const options = checkOptions(parseKernelConfig(text), cgroupsV2);
  return {
    warnings: version.warnings,
    errors: [...version.errors, ...options.errors],
    report: [...version.report, ...options.report],
  };
}
