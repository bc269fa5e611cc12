// The container runtime: its CRI socket answers and reports RuntimeReady, and the
// control-plane images get pulled through it. kubeadm links a CRI gRPC client
// (util/runtime/runtime.go: IsRunning, PullImage); we have no gRPC, so we ask crictl,
// which performs the same Status and PullImage RPCs.
import { crictlArgv, pullImage } from '../../config/images.js';
import type { ExecResult, Host } from '../../host/host.js';
import { failure, pass, withFix, type CheckContext, type CheckResult } from '../check.js';
import { timeouts } from '../constants.js';

const startRuntimeFix =
  'start the container runtime (e.g. systemctl enable --now containerd), or point nodeRegistration.criSocket / --cri-socket at its socket';

/** The filesystem path of a `unix://` endpoint; undefined for other schemes. */
export function socketPath(endpoint: string): string | undefined {
  if (endpoint.startsWith('unix://')) return endpoint.slice('unix://'.length);
  if (endpoint.startsWith('/')) return endpoint;
  return undefined;
}

/** Status calls answer fast or not at all: crictl's own --timeout bounds them (never a pull). */
function crictlStatus(socket: string, ...args: string[]): string[] {
  return crictlArgv(socket, '--timeout', `${timeouts.cri / 1000}s`, ...args);
}

function firstLine(r: ExecResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return text === '' ? `exit status ${r.exitCode}` : text;
}

interface RuntimeCondition {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
}

/** The RuntimeReady condition from `crictl info` JSON, if it says false. NetworkReady is ignored on purpose, as kubeadm does. */
function runtimeNotReady(stdout: string): RuntimeCondition | undefined {
  let info: unknown;
  try {
    info = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const conditions = (info as { status?: { conditions?: unknown } } | null)?.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  return (conditions as RuntimeCondition[]).find((c) => c.type === 'RuntimeReady' && c.status === false);
}

/** Go's wording for a failed unix dial, as kubeadm's CRI client reports it. */
const dialErrors: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ECONNREFUSED: 'connection refused',
  EACCES: 'permission denied',
  ENOTSOCK: 'socket operation on non-socket',
  ETIMEDOUT: 'i/o timeout',
};

/** Undefined when the runtime's socket accepts a connection, else kubeadm's dial error text. */
async function dialRuntime(host: Host, path: string): Promise<string | undefined> {
  const r = await host.net.connectUnix(path, timeouts.cri);
  return r.ok ? undefined : `dial unix ${path}: connect: ${dialErrors[r.code] ?? r.code}`;
}

export async function criReady({ host, target }: CheckContext): Promise<CheckResult> {
  const endpoint = target.criSocket;
  const path = socketPath(endpoint);
  if (path === undefined) {
    return failure(`could not connect to the container runtime: unsupported CRI endpoint "${endpoint}"`,
      'use a unix socket, e.g. unix:///var/run/containerd/containerd.sock');
  }
  const dial = await dialRuntime(host, path);
  if (dial !== undefined) return failure(`could not connect to the container runtime: ${dial}`, startRuntimeFix);
  // Without crictl we only know the socket accepts connections; FileExisting-crictl reports the missing tool.
  if ((await host.exec.which('crictl')) === undefined) return pass;
  const r = await host.exec.run(crictlStatus(endpoint, 'info'), { mutates: false, timeoutMs: timeouts.cri + timeouts.exec });
  if (r.spawnError !== undefined || r.exitCode !== 0) {
    return failure(`container runtime is not running: ${firstLine(r)}`, startRuntimeFix);
  }
  const notReady = runtimeNotReady(r.stdout);
  if (notReady === undefined) return pass;
  return failure(
    `container runtime condition is not true: condition "RuntimeReady", reason: ${String(notReady.reason ?? '')}, message: ${String(notReady.message ?? '')}`,
    'look at the runtime\'s logs (e.g. journalctl -u containerd) and restart it',
  );
}

const pullFix =
  "check that this node reaches the registry (proxy, DNS, firewall) and that imageRepository is right; " +
  "'tskubeadm config images pull' pulls them beforehand";

/** `ImagePull`: a mutating check, run only for real (not in dry-run). */
export async function imagePull({ host, target }: CheckContext): Promise<CheckResult> {
  const spec = target.imagePull;
  if (spec === undefined) return pass;
  if (spec.policy === 'Never') return pass;
  if (spec.policy !== 'Always' && spec.policy !== 'IfNotPresent') {
    return failure(`unsupported pull policy "${spec.policy}"`, 'set nodeRegistration.imagePullPolicy to Always, IfNotPresent or Never');
  }
  const endpoint = target.criSocket;
  // Without crictl or a runtime socket every pull fails the same way: say it once, not per image.
  if ((await host.exec.which('crictl')) === undefined) {
    return failure(`cannot pull the ${spec.images.length} control-plane images: crictl not found in system path`,
      'install the cri-tools package, or pre-load the images and set nodeRegistration.imagePullPolicy: Never');
  }
  const path = socketPath(endpoint);
  const dial = path === undefined ? undefined : await dialRuntime(host, path);
  if (dial !== undefined) {
    return failure(`cannot pull the ${spec.images.length} control-plane images: the container runtime does not answer: ${dial}`, startRuntimeFix);
  }
  const policy = spec.policy;
  const one = async (image: string): Promise<string | undefined> => {
    const r = await pullImage(host, endpoint, image, policy);
    return r.ok ? undefined : withFix(`failed to pull image ${image}: ${firstLine(r.last)}`, pullFix);
  };
  const errors: string[] = [];
  if (spec.serial) {
    for (const image of spec.images) {
      const e = await one(image);
      if (e !== undefined) errors.push(e);
    }
  } else {
    for (const e of await Promise.all(spec.images.map(one))) if (e !== undefined) errors.push(e);
  }
  return { warnings: [], errors };
}
