// A fake machine on which every init and join check passes, and targets built from the
// observed defaults; each test breaks exactly one thing on top of it.
import { defaultInitConfig, defaultJoinConfig } from '../../src/config/default-configs.js';
import type { InitConfig, JoinConfig } from '../../src/config/types.js';
import type { CheckContext, CheckResult, PreflightTarget } from '../../src/preflight/check.js';
import { initTarget, joinTarget } from '../../src/preflight/target.js';
import { fakeHost, type FakeHost, type FakeHostSpec } from '../helpers/fake-host.js';

export const criSocket = 'unix:///var/run/containerd/containerd.sock';
export const kernelRelease = '6.1.0-13-amd64';

/** `crictl … <args>` exactly as the checks run it, joined as the fake process table keys it. */
export function crictlKey(...args: string[]): string {
  return ['crictl', '--runtime-endpoint', criSocket, '--timeout', '2s', ...args].join(' ');
}

/** Image calls carry no crictl --timeout (it would cut a pull short). */
export function crictlImageKey(...args: string[]): string {
  return ['crictl', '--runtime-endpoint', criSocket, ...args].join(' ');
}

const kernelConfig = [
  'NAMESPACES', 'NET_NS', 'PID_NS', 'IPC_NS', 'UTS_NS', 'CPUSETS', 'MEMCG', 'INET', 'EXT4_FS', 'PROC_FS',
  'NETFILTER_XT_TARGET_REDIRECT', 'NETFILTER_XT_MATCH_COMMENT', 'FAIR_GROUP_SCHED', 'CGROUPS', 'CGROUP_BPF',
  'CGROUP_PIDS', 'CGROUP_SCHED', 'CGROUP_CPUACCT', 'CGROUP_DEVICE', 'CGROUP_FREEZER', 'OVERLAY_FS', 'BLK_DEV_DM',
  'CFS_BANDWIDTH', 'SECCOMP', 'SECCOMP_FILTER',
].map((n) => `CONFIG_${n}=y`).join('\n');

export const readyInfo = JSON.stringify({
  status: { conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }, { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni not initialized' }] },
});

export function healthySpec(): FakeHostSpec {
  return {
    euid: 0,
    cpus: 2,
    memoryBytes: 4 * 1024 ** 3,
    kernelRelease,
    osType: 'Linux',
    hostname: 'node-1',
    files: {
      [`/boot/config-${kernelRelease}`]: `# generated\n${kernelConfig}\n# CONFIG_AUFS_FS is not set\n`,
    },
    sockets: ['/var/run/containerd/containerd.sock'],
    kernelFiles: {
      '/proc/swaps': 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n',
      '/proc/mounts': 'sysfs /sys sysfs rw 0 0\ncgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n',
      '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
      '/sys/fs/cgroup/init.scope/cgroup.freeze': '0\n',
      '/proc/sys/net/ipv4/ip_forward': '1\n',
      '/proc/sys/net/ipv6/conf/default/forwarding': '1\n',
      '/proc/sys/net/bridge/bridge-nf-call-iptables': '1\n',
      '/proc/sys/net/bridge/bridge-nf-call-ip6tables': '1\n',
    },
    path: ['crictl', 'conntrack', 'ip', 'iptables', 'mount', 'nsenter', 'ebtables', 'ethtool', 'socat', 'tc', 'touch', 'systemctl', 'kubelet'],
    commands: {
      'kubelet --version': { stdout: 'Kubernetes v1.35.0\n' },
      'systemctl is-enabled kubelet': { stdout: 'enabled\n' },
      'systemctl is-active firewalld': { exitCode: 3, stdout: 'inactive\n' },
      [crictlKey('info')]: { stdout: readyInfo },
    },
    lookup: { 'node-1': ['192.0.2.10'] },
    env: {},
  };
}

/** Record-valued parts of a patch may map a key to undefined, which deletes it from the healthy spec. */
type Deletable<T> = T extends readonly unknown[] ? T : T extends Readonly<Record<string, infer V>> ? Readonly<Record<string, V | undefined>> : T;
type Patch = {
  [K in keyof FakeHostSpec]?: Deletable<FakeHostSpec[K]>;
};

/** The healthy machine with some parts replaced; record-valued parts are merged key by key (undefined deletes). */
export function healthyHost(patch: Patch = {}): FakeHost {
  const base = healthySpec();
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = (base as Record<string, unknown>)[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && b !== null && typeof b === 'object' && !Array.isArray(b)) {
      const m: Record<string, unknown> = { ...(b as Record<string, unknown>) };
      for (const [kk, vv] of Object.entries(v as Record<string, unknown>)) {
        if (vv === undefined) delete m[kk];
        else m[kk] = vv;
      }
      merged[k] = m;
    } else {
      merged[k] = v;
    }
  }
  return fakeHost(merged as FakeHostSpec);
}

export function initConfig(edit: (c: InitConfig) => InitConfig = (c) => c): InitConfig {
  return edit(defaultInitConfig({ advertiseAddress: '192.0.2.10', nodeName: 'node-1', token: 'abcdef.0123456789abcdef' }));
}

export function joinConfig(edit: (c: JoinConfig) => JoinConfig = (c) => c): JoinConfig {
  return edit(defaultJoinConfig({ nodeName: 'node-1', apiServerEndpoint: '192.0.2.10:6443', token: 'abcdef.0123456789abcdef' }));
}

export function initTargetOf(edit?: (c: InitConfig) => InitConfig, dryRun = false): PreflightTarget {
  return initTarget(initConfig(edit), { dryRun, images: ['registry.k8s.io/kube-apiserver:v1.35.0', 'registry.k8s.io/pause:3.10.1'] });
}

export function joinTargetOf(edit?: (c: JoinConfig) => JoinConfig): PreflightTarget {
  return joinTarget(joinConfig(edit), { dryRun: false });
}

/** Runs one check function against a host and (by default) the init target. */
export function runOn(
  run: (ctx: CheckContext) => Promise<CheckResult>, host: FakeHost, target: PreflightTarget = initTargetOf(),
): Promise<CheckResult> {
  return run({ host, target });
}
