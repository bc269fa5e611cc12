// The cgroups validator of SystemVerification: which hierarchy is mounted and whether the
// controllers the kubelet needs are there. kubeadm: k8s.io/system-validators
// validators/cgroup_validator_linux.go and types_unix.go.
import compare from 'semver/functions/compare.js';
import type { SemVer } from 'semver';
import type { ComponentConfig } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import { withFix } from '../check.js';
import { releaseNumbers, type ValidatorResult } from './kernel.js';

const defaultMount = '/sys/fs/cgroup';

const requiredV1 = ['cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'pids'];
const optionalV1 = ['hugetlb', 'blkio'];
const requiredV2 = ['cpu', 'cpuset', 'devices', 'freezer', 'memory', 'pids'];
const optionalV2 = ['hugetlb', 'io'];

/** What the observed kubeadm 1.35 prints on a cgroup v1 host. */
export const cgroupV1Warning = 'cgroups v1 support is in maintenance mode, please migrate to cgroups v2';

/** system-validators' text once the kubelet (1.35+) refuses cgroup v1 by default (failCgroupV1: true). */
const cgroupV1Error =
  'cgroups v1 support is deprecated and will be removed in a future release. Please migrate to cgroups v2. ' +
  "To explicitly enable cgroups v1 support for kubelet v1.35 or newer, you must set the kubelet configuration option 'FailCgroupV1' to 'false'. " +
  'You must also explicitly skip this validation. For more information, see https://git.k8s.io/enhancements/keps/sig-node/5573-remove-cgroup-v1';

export interface CgroupMount {
  readonly path: string;
  readonly v2: boolean;
}

/** system-validators' getUnifiedMountpoint over the text of /proc/mounts. */
export async function cgroupMount(host: Host): Promise<CgroupMount | string> {
  const mounts = await host.system.readKernelFile('/proc/mounts');
  if (mounts === undefined) return 'open /proc/mounts: no such file or directory';
  let v1Mount: string | undefined;
  for (const line of mounts.split('\n')) {
    if (!line.includes('cgroup')) continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 3) continue;
    const [, where, type] = f as [string, string, string];
    if (where === defaultMount) {
      // A tmpfs there is the v1 (or hybrid) layout when it holds a memory hierarchy.
      if (type === 'tmpfs') return { path: defaultMount, v2: (await host.system.listKernelDir(`${defaultMount}/memory`)) === undefined };
      return { path: defaultMount, v2: type === 'cgroup2' };
    }
    if (type === 'cgroup2') return { path: where, v2: true };
    if (type === 'cgroup' && v1Mount === undefined) v1Mount = where;
  }
  if (v1Mount !== undefined) return { path: v1Mount, v2: false };
  return `cannot get a cgroupfs mount point from "/proc/mounts"`;
}

/** Controllers enabled in /proc/cgroups (v1): the fourth column is `enabled`. */
function v1Controllers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.trim().split(/\s+/);
    if (f.length >= 4 && f[3] !== '0') out.push(f[0] ?? '');
  }
  return out;
}

/**
 * Whether the v2 freezer exists. system-validators creates a child cgroup to look for
 * `cgroup.freeze`; preflight must not change the host, so we look for that file in the cgroups
 * that already exist and otherwise go by the kernel that introduced it (5.2).
 */
async function v2FreezerSupported(host: Host, mount: string): Promise<boolean> {
  const children = (await host.system.listKernelDir(mount)) ?? [];
  for (const child of children.filter((c) => !c.startsWith('cgroup.')).slice(0, 16)) {
    if ((await host.system.readKernelFile(`${mount}/${child}/cgroup.freeze`)) !== undefined) return true;
  }
  const n = releaseNumbers(host.system.kernelRelease());
  return n !== undefined && (n[0] > 5 || (n[0] === 5 && n[1] >= 2));
}

/** The wanted controllers that are not there; one report line each. */
function missing(wanted: readonly string[], have: readonly string[], report: string[]): string[] {
  const out: string[] = [];
  for (const c of wanted) {
    const found = have.includes(c);
    report.push(`CGROUPS_${c.toUpperCase()}: ${found ? 'enabled' : 'missing'}`);
    if (!found) out.push(c);
  }
  return out;
}

export interface CgroupInputs {
  /** The installed kubelet's version, when known: 1.35+ refuses cgroup v1 unless told otherwise. */
  readonly kubeletVersion: SemVer | undefined;
  readonly kubeletConfig: ComponentConfig | undefined;
}

export async function validateCgroups(host: Host, mount: CgroupMount | string, inputs: CgroupInputs): Promise<ValidatorResult> {
  if (typeof mount === 'string') return { warnings: [], errors: [`cannot get a cgroup mount point: ${mount}`], report: [] };
  const warnings: string[] = [];
  let errors: string[] = [];
  const report: string[] = [];
  let have: string[];
  let wanted: readonly string[];
  let optional: readonly string[];
  if (mount.v2) {
    const controllers = await host.system.readKernelFile(`${mount.path}/cgroup.controllers`);
    if (controllers === undefined) {
      return { warnings: [], errors: [`failed to get cgroups v2 subsystems: open ${mount.path}/cgroup.controllers: no such file or directory`], report };
    }
    // devices is implicit in v2 (an eBPF program since 4.15); freezer has no controller entry.
    have = ['devices', ...((await v2FreezerSupported(host, mount.path)) ? ['freezer'] : []), ...controllers.trim().split(/\s+/)];
    wanted = requiredV2;
    optional = optionalV2;
  } else {
    const kubeletRefusesV1 = inputs.kubeletVersion !== undefined && compare(inputs.kubeletVersion, '1.35.0-0') >= 0 &&
      inputs.kubeletConfig?.['failCgroupV1'] !== false;
    if (kubeletRefusesV1) {
      errors.push(withFix(cgroupV1Error, 'boot with cgroup v2 (systemd.unified_cgroup_hierarchy=1), or set failCgroupV1: false in the KubeletConfiguration and ignore SystemVerification'));
    } else {
      warnings.push(withFix(cgroupV1Warning, 'boot with systemd.unified_cgroup_hierarchy=1 on the kernel command line'));
    }
    const table = await host.system.readKernelFile('/proc/cgroups');
    if (table === undefined) {
      return { warnings, errors: [...errors, 'failed to get cgroups v1 subsystems: open /proc/cgroups: no such file or directory'], report };
    }
    have = v1Controllers(table);
    wanted = requiredV1;
    optional = optionalV1;
  }
  const missingRequired = missing(wanted, have, report);
  const missingOptional = missing(optional, have, report);
  // As system-validators: a missing required controller replaces earlier errors.
  if (missingRequired.length > 0) {
    errors = [withFix(`missing required cgroups: ${missingRequired.join(' ')}`,
      'enable them on the kernel command line (e.g. cgroup_enable=cpuset cgroup_enable=memory) or use a kernel built with them')];
  }
  // Optional (huge pages, I/O throttling): kubeadm's words, nothing to fix for most clusters.
  if (missingOptional.length > 0) warnings.push(`missing optional cgroups: ${missingOptional.join(' ')}`);
  return { warnings, errors, report };
}
