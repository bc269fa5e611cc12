// Reading what the container runtime's tools print: `crictl ps -a` rows, the cgroup driver in
// `crictl info` or containerd's config file, and swap devices from /proc/swaps.
import type { CgroupDriver, ContainerRow } from './evidence.js';

// CONTAINER  IMAGE  CREATED (free text: "About a minute ago")  STATE  NAME  ATTEMPT  POD ID  [POD]  [NAMESPACE]
const rowPattern = /^([0-9a-f]{6,64})\s+(\S+)\s+(.+?)\s+(Running|Exited|Created|Unknown)\s+(\S+)\s+(\d+)\s+(\S+)(?:\s+(\S+))?/;

/** The rows of `crictl ps -a` (table output, any crictl since 1.19); the header and warnings are skipped. */
export function parseContainerTable(text: string): ContainerRow[] {
  const rows: ContainerRow[] = [];
  for (const line of text.split('\n')) {
    const m = rowPattern.exec(line.trim());
    if (m === null) continue;
    const [, id, image, created, state, name, attempt, podId, pod] = m as unknown as [string, string, string, string, string, string, string, string, string | undefined];
    rows.push({ id, image, created, state, name, attempt: Number(attempt), podId, ...(pod === undefined ? {} : { pod }) });
  }
  return rows;
}

/** The runc SystemdCgroup option as `crictl info` (containerd's CRI config) or /etc/containerd/config.toml shows it. */
export function runtimeCgroupDriver(text: string): CgroupDriver | undefined {
  const m = /"SystemdCgroup"\s*:\s*(true|false)/.exec(text) ?? /^\s*SystemdCgroup\s*=\s*(true|false)\s*$/m.exec(text);
  if (m !== null) return m[1] === 'true' ? 'systemd' : 'cgroupfs';
  // CRI-O prints its cgroup manager when asked (`crio config`, also in some crictl info outputs).
  const crio = /cgroup_manager\s*=\s*"(systemd|cgroupfs)"/.exec(text) ?? /"cgroupManager"\s*:\s*"(systemd|cgroupfs)"/.exec(text);
  return crio === null ? undefined : (crio[1] as CgroupDriver);
}

/** The socket path of a unix:// CRI endpoint (or a bare path); undefined for tcp:// and npipe://. */
export function unixSocketPath(endpoint: string): string | undefined {
  if (endpoint.startsWith('unix://')) return endpoint.slice('unix://'.length);
  return endpoint.startsWith('/') ? endpoint : undefined;
}

/** Active swap areas from /proc/swaps (its header line skipped). */
export function swapDevices(procSwaps: string | undefined): string[] {
  if (procSwaps === undefined) return [];
  return procSwaps.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0] ?? '').filter((d) => d !== '');
}
