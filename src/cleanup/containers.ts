// reset's third host step: remove the cluster's Pods from the container runtime through the CRI (crictl), once
// the kubelet is stopped and cannot recreate them. Every pod sandbox the CRI lists is the kubelet's: nothing
// else creates sandboxes, and removing a sandbox removes its containers. Images are kept, as kubeadm keeps them,
// and listed as leftovers. kubeadm: cmd/phases/reset/cleanupnode.go removeContainers, util/runtime/runtime.go.
import { detectCriSocket } from '../config/cri-socket.js';
import { crictlArgv } from '../config/images.js';
import { commandSucceeded as succeeded } from '../host/exec-result.js';
import type { ExecResult, Host } from '../host/host.js';
import type { HostJournal } from '../journal/journal.js';
import { describeFailure } from '../kubelet/kubelet-service.js';
import type { ResetContext } from '../phases/reset/context.js';

/** kubeadm's RemoveContainerRetry: stop-then-remove is tried this many times per sandbox. */
export const removeContainerAttempts = 5;
const retryPauseMs = 1_000;
const listTimeoutMs = 60_000;
/** Stopping a sandbox kills its containers; crictl's own RPC deadline (2 s by default) is raised for slow runtimes. */
const changeTimeoutMs = 90_000;
const crictlChangeDeadline = '60s';
const connectTimeoutMs = 2_000;

export async function removeContainers(ctx: ResetContext): Promise<void> {
  const { out, report } = ctx;
  if (ctx.dryRun) out.info('[dryrun] Would remove Kubernetes-managed containers');
  else out.detail(1, '[reset] Removing Kubernetes-managed containers');
  await removePods(ctx);
  keptImages(await ctx.journal()).forEach((i) => report.left({
    kind: 'image', item: i.image,
    reason: 'kept: images are reused by the next init and may be shared',
    fix: i.socket === undefined ? `crictl rmi ${i.image}` : `crictl --runtime-endpoint ${i.socket} rmi ${i.image}`,
  }));
}

async function removePods(ctx: ResetContext): Promise<void> {
  const { host, out, report } = ctx;
  const fail = (socket: string, err: string, fix: string) => {
    out.warn(`[reset] Failed to remove containers: ${err}`);
    report.left({ kind: 'container', item: `pod sandboxes on ${socket}`, reason: `the container runtime could not be asked: ${err}`, fix });
  };

  const socket = await criSocketOf(ctx);
  if (!socket.ok) {
    fail('the container runtime', socket.message, "set criSocket in the ResetConfiguration (or --cri-socket), then run 'tskubeadm reset phase cleanup-node' again");
    return;
  }
  const s = socket.socket;
  const removeAll = `crictl --runtime-endpoint ${s} rmp --all --force`;
  const reach = await reachable(host, s);
  if (reach !== undefined) {
    fail(s, `cannot connect to the container runtime at ${s}: ${reach}`, `start the container runtime, then: ${removeAll}`);
    return;
  }

  const listArgv = crictlArgv(s, 'pods', '-q');
  const list = await host.exec.run(listArgv, { mutates: false, timeoutMs: listTimeoutMs });
  if (!succeeded(list)) {
    const fix = list.spawnError !== undefined ? `install crictl (the cri-tools package), then: ${removeAll}` : removeAll;
    fail(s, `failed to list pod sandboxes: ${describeFailure(listArgv, list, listTimeoutMs)}`, fix);
    return;
  }
  const pods = podIdsOf(list.stdout);
  const errors: string[] = [];
  let removed = 0;
  for (const id of pods) {
    const err = await removePod(host, s, id);
    if (err === undefined) {
      removed++;
      continue;
    }
    errors.push(err);
    report.left({
      kind: 'container', item: `pod sandbox ${id}`,
      reason: `not removed after ${removeContainerAttempts} attempts: ${err}`,
      fix: `crictl --runtime-endpoint ${s} rmp --force ${id}`,
    });
  }
  if (errors.length > 0) out.warn(`[reset] Failed to remove containers: [${errors.join(', ')}]`);
  if (removed > 0) report.did('containers-removed', `${removed} pod sandbox${removed === 1 ? '' : 'es'}`);
  else if (pods.length === 0) out.detail(1, `[reset] No pod sandboxes on ${s}`);
}

/** Stop then remove, as kubeadm, retried; undefined on success, else the last error. */
async function removePod(host: Host, socket: string, id: string): Promise<string | undefined> {
  let last: string | undefined;
  for (let attempt = 0; attempt < removeContainerAttempts; attempt++) {
    if (attempt > 0) await host.clock.sleep(retryPauseMs);
    const stop = await crictl(host, socket, 'stopp', id);
    if (!succeeded(stop.result)) {
      last = `failed to stop running pod ${id}: ${describeFailure(stop.argv, stop.result, changeTimeoutMs)}`;
      if (stop.result.spawnError !== undefined) return last;
      continue;
    }
    const rm = await crictl(host, socket, 'rmp', '--force', id);
    if (!succeeded(rm.result)) {
      last = `failed to remove pod ${id}: ${describeFailure(rm.argv, rm.result, changeTimeoutMs)}`;
      if (rm.result.spawnError !== undefined) return last;
      continue;
    }
    return undefined;
  }
  return last;
}

async function crictl(host: Host, socket: string, ...args: string[]): Promise<{ argv: string[]; result: ExecResult }> {
  const argv = crictlArgv(socket, '--timeout', crictlChangeDeadline, ...args);
  return { argv, result: await host.exec.run(argv, { mutates: true, timeoutMs: changeTimeoutMs }) };
}

/** `crictl pods -q` prints one sandbox ID per line; anything else (a debug line of a crictl.yaml) is not an ID. */
export function podIdsOf(stdout: string): string[] {
  return stdout.split(/\s+/).filter((w) => /^[0-9a-f]{8,64}$/.test(w));
}

type SocketChoice = { readonly ok: true; readonly socket: string } | { readonly ok: false; readonly message: string };

/** The configured endpoint (the loader fills it in, detected, when unset), or kubeadm's detection. */
async function criSocketOf(ctx: ResetContext): Promise<SocketChoice> {
  if (ctx.cfg.reset.criSocket !== '') return { ok: true, socket: ctx.cfg.reset.criSocket };
  const found = await detectCriSocket(ctx.host);
  return found.ok ? { ok: true, socket: found.socket } : { ok: false, message: found.message };
}

/** Why a unix endpoint refuses connections (ENOENT: nothing there), or undefined when it answers or is not
 *  a unix socket (crictl then says itself). Sockets are the machine's, also under --rootfs. */
async function reachable(host: Host, socket: string): Promise<string | undefined> {
  if (!socket.startsWith('unix://')) return undefined;
  const r = await host.net.connectUnix(socket.slice('unix://'.length), connectTimeoutMs);
  return r.ok ? undefined : `connect ${r.code}`;
}

export interface KeptImage {
  readonly image: string;
  /** The endpoint it was pulled through, when the pull named one. */
  readonly socket?: string;
}

/** The images init and join pulled (journal `crictl … pull <image>` entries), once each, in pull order. */
export function keptImages(journal: HostJournal | undefined): KeptImage[] {
  const seen = new Map<string, KeptImage>();
  for (const e of journal?.entries ?? []) {
    if (e.action !== 'exec' || !(e.argv[0] === 'crictl' || e.argv[0]?.endsWith('/crictl') === true)) continue;
    const pull = e.argv.indexOf('pull');
    const image = pull < 0 ? undefined : e.argv[pull + 1];
    if (image === undefined || seen.has(image)) continue;
    const at = e.argv.indexOf('--runtime-endpoint');
    const socket = at < 0 ? undefined : e.argv[at + 1];
    seen.set(image, socket === undefined ? { image } : { image, socket });
  }
  return [...seen.values()];
}
