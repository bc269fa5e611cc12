// Collects the evidence of a failed wait, through the host only: read-only commands with bounded run
// times (each tool optional), the CRI socket, /proc/swaps, a fresh probe of each health endpoint, and
// whether the control-plane ports are taken. Independent reads run concurrently.
import { crictlArgv } from '../config/images.js';
import type { Host } from '../host/host.js';
import { probeHealth, type HealthEndpoint } from '../wait/health.js';
import { controlPlaneContainers, type CommandRun, type ContainerLogs, type ContainerRow, type Evidence } from './evidence.js';
import { parseContainerTable, runtimeCgroupDriver, swapDevices, unixSocketPath } from './runtime-facts.js';

export interface DiagnosisInput {
  /** nodeRegistration.criSocket. */
  readonly criSocket: string;
  /** What did not become healthy in time. */
  readonly unhealthy: readonly string[];
  /** The kubelet's and the components' health endpoints, probed once more. */
  readonly endpoints: readonly HealthEndpoint[];
  /** Ports the control plane needs, with the component that should hold each. */
  readonly ports: readonly { readonly port: number; readonly owner: string }[];
  /** The kubelet's (defaulted) configuration: its cgroup driver and failSwapOn. */
  readonly kubeletConfig: Readonly<Record<string, unknown>>;
}

/** Bounds, so a hung tool cannot hold up the failure report. */
export const collectLimits = Object.freeze({
  commandMs: 10_000,
  probeMs: 3_000,
  socketMs: 2_000,
  journalLines: 100,
  logLines: 50,
});

const containerdConfig = '/etc/containerd/config.toml';

export async function collectEvidence(host: Host, input: DiagnosisInput): Promise<Evidence> {
  const collectedAt = host.clock.now();
  const run = (...argv: string[]) => runReadOnly(host, argv);
  const crictl = (...args: string[]) => run(...crictlArgv(input.criSocket, ...args));
  const socketPath = unixSocketPath(input.criSocket);

  const [installed, isActive, status, journal, list, info, socket, swapText, probes, ports] = await Promise.all([
    host.exec.which('kubelet').then((p) => p !== undefined),
    run('systemctl', 'is-active', 'kubelet'),
    run('systemctl', 'status', 'kubelet', '--no-pager', '-l'),
    run('journalctl', '-u', 'kubelet', '-n', String(collectLimits.journalLines), '--no-pager'),
    crictl('ps', '-a'),
    crictl('info'),
    socketPath === undefined ? undefined : host.net.connectUnix(socketPath, collectLimits.socketMs).then((result) => ({ path: socketPath, result })),
    host.system.readKernelFile('/proc/swaps').catch(() => undefined),
    Promise.all(input.endpoints.map(async (ep) => ({ name: ep.name, url: ep.url, result: await probeHealth(host.net, ep, collectLimits.probeMs) }))),
    Promise.all(input.ports.map(async (p) => ({ ...p, inUse: !(await host.net.canListen(p.port)) }))),
  ]);

  const rows = list.exitCode === 0 ? parseContainerTable(list.stdout) : [];
  const logs = await Promise.all(exitedControlPlane(rows).map(async (container): Promise<ContainerLogs> => ({
    container, run: await crictl('logs', '--tail', String(collectLimits.logLines), container.id),
  })));

  let cgroupDriver = info.exitCode === 0 ? runtimeCgroupDriver(info.stdout) : undefined;
  let cgroupDriverSource = cgroupDriver === undefined ? undefined : 'crictl info';
  if (cgroupDriver === undefined) {
    const toml = await host.fs.readText(containerdConfig).catch(() => undefined);
    cgroupDriver = toml === undefined ? undefined : runtimeCgroupDriver(toml);
    if (cgroupDriver !== undefined) cgroupDriverSource = containerdConfig;
  }

  const k = input.kubeletConfig;
  return {
    collectedAt,
    unhealthy: [...input.unhealthy],
    kubelet: {
      installed, isActive, status, journal,
      cgroupDriver: typeof k['cgroupDriver'] === 'string' && k['cgroupDriver'] !== '' ? k['cgroupDriver'] : 'systemd',
      failSwapOn: k['failSwapOn'] !== false,
    },
    runtime: {
      endpoint: input.criSocket,
      ...(socket === undefined ? {} : { socket }),
      info,
      ...(cgroupDriver === undefined ? {} : { cgroupDriver, cgroupDriverSource: cgroupDriverSource ?? '' }),
    },
    containers: { list, rows, logs },
    probes,
    swap: { ...(swapText === undefined ? {} : { text: swapText }), devices: swapDevices(swapText) },
    ports,
  };
}

/** The newest container of each control-plane component that is not running: its log says why it stopped. */
function exitedControlPlane(rows: readonly ContainerRow[]): ContainerRow[] {
  const out = new Map<string, ContainerRow>();
  for (const r of rows) {
    if (!(controlPlaneContainers as readonly string[]).includes(r.name) || out.has(r.name)) continue;
    if (r.state === 'Exited' || r.state === 'Unknown') out.set(r.name, r);
  }
  return [...out.values()];
}

async function runReadOnly(host: Host, argv: readonly string[]): Promise<CommandRun> {
  try {
    const r = await host.exec.run(argv, { mutates: false, timeoutMs: collectLimits.commandMs });
    return {
      argv, exitCode: r.exitCode, stdout: r.stdout, stderr: r.spawnError ?? r.stderr,
      missing: r.spawnError !== undefined, timedOut: r.timedOut === true,
    };
  } catch (err) {
    // A diagnosis never fails for one tool: what went wrong becomes the evidence.
    return { argv, exitCode: -1, stdout: '', stderr: err instanceof Error ? err.message : String(err), missing: false, timedOut: false };
  }
}
