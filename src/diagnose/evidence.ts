// What a diagnosis collects when the control plane does not come up: plain data, so the cause table
// (causes.ts) can be tested on canned evidence and the support file (report.ts) printed from it.
import type { UnixConnectResult } from '../host/host.js';
import type { ProbeResult } from '../wait/health.js';

/** One read-only command and what it printed; `missing` when the program is not installed. */
export interface CommandRun {
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing: boolean;
  readonly timedOut: boolean;
}

/** A row of `crictl ps -a`. */
export interface ContainerRow {
  readonly id: string;
  readonly image: string;
  readonly created: string;
  /** Running, Exited, Created or Unknown. */
  readonly state: string;
  readonly name: string;
  /** How many times the kubelet restarted it: above 0 means it exited before. */
  readonly attempt: number;
  readonly podId: string;
  readonly pod?: string;
}

export interface ContainerLogs {
  readonly container: ContainerRow;
  readonly run: CommandRun;
}

export interface ProbeEvidence {
  readonly name: string;
  readonly url: string;
  readonly result: ProbeResult;
}

export interface PortEvidence {
  readonly port: number;
  /** The component that should hold it. */
  readonly owner: string;
  /** Whether something already listens there. */
  readonly inUse: boolean;
}

export type CgroupDriver = 'systemd' | 'cgroupfs';

export interface Evidence {
  readonly collectedAt: Date;
  /** What did not become healthy in time: "kubelet", "kube-apiserver"… */
  readonly unhealthy: readonly string[];
  readonly kubelet: {
    /** Whether a kubelet executable is on PATH. */
    readonly installed: boolean;
    readonly isActive: CommandRun;
    readonly status: CommandRun;
    readonly journal: CommandRun;
    /** The cgroup driver its configuration asks for. */
    readonly cgroupDriver: string;
    /** failSwapOn from its configuration (the kubelet's default is true). */
    readonly failSwapOn: boolean;
  };
  readonly runtime: {
    /** nodeRegistration.criSocket, with its scheme. */
    readonly endpoint: string;
    /** The unix socket behind it and whether something accepts connections there; undefined for other schemes. */
    readonly socket?: { readonly path: string; readonly result: UnixConnectResult };
    readonly info: CommandRun;
    /** The runtime's cgroup driver when `crictl info` or its config file says; undefined when unknown. */
    readonly cgroupDriver?: CgroupDriver;
    /** Where cgroupDriver was read. */
    readonly cgroupDriverSource?: string;
  };
  readonly containers: {
    readonly list: CommandRun;
    readonly rows: readonly ContainerRow[];
    /** Log tails of the exited control-plane containers (the newest of each component). */
    readonly logs: readonly ContainerLogs[];
  };
  readonly probes: readonly ProbeEvidence[];
  readonly swap: {
    /** /proc/swaps as read; undefined when unreadable. */
    readonly text?: string;
    /** Active swap devices and files. */
    readonly devices: readonly string[];
  };
  readonly ports: readonly PortEvidence[];
}

/** The static Pods tskubeadm writes, whose containers a diagnosis looks at. */
export const controlPlaneContainers = Object.freeze(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const);

/** Everything a command printed, stdout then stderr. */
export function outputOf(run: CommandRun): string {
  return run.stderr === '' ? run.stdout : run.stdout === '' ? run.stderr : `${run.stdout}\n${run.stderr}`;
}
