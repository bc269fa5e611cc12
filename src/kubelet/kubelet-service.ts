// The kubelet service through the host's init system: stop it while its files are rewritten, (re)start it
// afterwards, and ask whether a service is active. Every command goes through host.exec, mutating ones
// marked so (a --dry-run host records them instead of running them). Shared by init and join kubelet-start,
// reset (stop) and upgrade (restart). kubeadm: phases/kubelet/kubelet.go, util/initsystem/initsystem_unix.go.
import { componentConfigDefaults } from '../config/encode-component-configs.js';
import { commandSucceeded as succeeded } from '../host/exec-result.js';
import type { ExecResult, Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import { initSystemOf, type InitSystem } from '../preflight/checks/init-system.js';

export const serviceTimeouts = Object.freeze({
  /** start/stop/restart: systemd's own default start timeout, so a slow unit is not cut short. */
  controlMs: 90_000,
  /** status queries. */
  queryMs: 10_000,
});

export type ServiceAction = 'start' | 'stop' | 'restart';

/** The commands one action runs, in order. systemd reloads its units before a start or restart, so an
 *  edited drop-in (kubeadm-flags.env is read through one) takes effect; OpenRC has no such step. */
export function serviceCommands(init: InitSystem, service: string, action: ServiceAction): string[][] {
  if (init === 'openrc') return [['rc-service', service, action]];
  const reload = ['systemctl', 'daemon-reload'];
  return action === 'stop' ? [['systemctl', 'stop', service]] : [reload, ['systemctl', action, service]];
}

/** How to find out why a service did not start, per init system. */
export function troubleshootCommands(init: InitSystem, service: string): string[] {
  return init === 'systemd'
    ? [`systemctl status ${service}`, `journalctl -xeu ${service}`]
    : [`rc-service ${service} status`, `tail /var/log/${service}/${service}.log`];
}

export interface ServiceFailure {
  readonly argv: readonly string[];
  readonly result: ExecResult;
  /** One line: which command failed and how. */
  readonly message: string;
}

/** What an action did. No init system, or systemctl without a running systemd (a container, a chroot):
 *  nothing ran. Otherwise `exists` is the unit check done first (the action is tried anyway, as kubeadm
 *  does) and `failure` the first command that failed. */
export type ServiceOutcome =
  | { readonly initSystem: undefined }
  | { readonly initSystem: 'systemd'; readonly systemdNotRunning: true }
  | { readonly initSystem: InitSystem; readonly systemdNotRunning?: undefined; readonly exists: boolean; readonly failure: ServiceFailure | undefined };

/** systemctl's answer when PID 1 is not systemd (kubeadm tries anyway and reports each command failing). */
const systemdNotBooted = /has not been booted with systemd|Failed to connect to bus/;

export async function controlService(host: Host, service: string, action: ServiceAction): Promise<ServiceOutcome> {
  const init = await initSystemOf(host);
  if (init === undefined) return { initSystem: undefined };
  if (init === 'systemd') {
    const r = await host.exec.run(['systemctl', 'is-system-running'], { mutates: false, timeoutMs: serviceTimeouts.queryMs });
    if (systemdNotBooted.test(`${r.stdout}\n${r.stderr}`) || r.stdout.trim() === 'offline') return { initSystem: init, systemdNotRunning: true };
  }
  const exists = await serviceExists(host, init, service);
  for (const argv of serviceCommands(init, service, action)) {
    const result = await host.exec.run(argv, { mutates: true, timeoutMs: serviceTimeouts.controlMs });
    if (!succeeded(result)) {
      return { initSystem: init, exists, failure: { argv, result, message: describeFailure(argv, result, serviceTimeouts.controlMs) } };
    }
  }
  return { initSystem: init, exists, failure: undefined };
}

/** Whether the init system knows the service. systemd: kubeadm looks for "Loaded: not-found" in `systemctl
 *  status`; a unit that was never installed prints nothing there and exits 4 instead, which is read too. */
export async function serviceExists(host: Host, init: InitSystem, service: string): Promise<boolean> {
  if (init === 'systemd') {
    const r = await host.exec.run(['systemctl', 'status', service], { mutates: false, timeoutMs: serviceTimeouts.queryMs });
    return !(r.exitCode === 4 || r.stdout.includes('Loaded: not-found') || /could not be found/.test(r.stderr));
  }
  const r = await host.exec.run(['rc-service', service, 'status'], { mutates: false, timeoutMs: serviceTimeouts.queryMs });
  return !`${r.stdout}${r.stderr}`.includes('does not exist');
}

/** Whether a service is running or trying to (systemd's "activating": a crash-looping kubelet counts);
 *  undefined when there is no init system to ask. */
export async function serviceIsActive(host: Host, service: string): Promise<boolean | undefined> {
  const init = await initSystemOf(host);
  if (init === undefined) return undefined;
  if (init === 'systemd') {
    const r = await host.exec.run(['systemctl', 'is-active', service], { mutates: false, timeoutMs: serviceTimeouts.queryMs });
    const state = r.stdout.trim();
    return state === 'active' || state === 'activating';
  }
  const r = await host.exec.run(['rc-service', service, 'status'], { mutates: false, timeoutMs: serviceTimeouts.queryMs });
  const text = `${r.stdout}${r.stderr}`;
  return r.spawnError === undefined && !text.includes('stopped') && !text.includes('does not exist');
}

/** systemd-resolved's resolv.conf when that service is active (the host's /etc/resolv.conf then points at a
 *  127.0.0.53 stub that pods cannot reach); undefined otherwise. kubeadm: componentconfigs/kubelet.go Default(). */
export async function kubeletResolvConf(host: Host): Promise<string | undefined> {
  return (await serviceIsActive(host, 'systemd-resolved')) === true ? componentConfigDefaults.systemdResolvConf : undefined;
}

const kubelet = 'kubelet';

// kubeadm's wording, shared by the stop and restart helpers.
const whileConfiguring = 'not running for a short period of time while setting up configuration for it.';
const noInitSystemWhileConfiguring = `[kubelet-start] No supported init system detected, won't make sure the kubelet ${whileConfiguring}`;
const noUnitWhileConfiguring = `[kubelet-start] Couldn't detect a kubelet service, can't make sure the kubelet ${whileConfiguring}`;

const howToSee = (init: InitSystem) => troubleshootCommands(init, kubelet).map((c) => `'${c}'`).join(' and ');

/** kubeadm's TryStopKubelet: stop the kubelet while its files are rewritten; problems are warnings. */
export async function tryStopKubelet(host: Host, out: Output): Promise<ServiceOutcome> {
  const o = await controlService(host, kubelet, 'stop');
  if (o.initSystem === undefined) {
    out.warn(noInitSystemWhileConfiguring);
    return o;
  }
  if (o.systemdNotRunning) return o; // said once, when starting it

  if (!o.exists) out.warn(noUnitWhileConfiguring);
  if (o.failure !== undefined) out.warn(`[kubelet-start] WARNING: unable to stop the kubelet service momentarily: [${o.failure.message}]`);
  return o;
}

/** kubeadm's TryStartKubelet: (re)start the kubelet so it reads its new files. A failure is a warning and the
 *  run carries on (the kubelet health check that follows reports a kubelet that is not up). */
export async function tryStartKubelet(host: Host, out: Output): Promise<ServiceOutcome> {
  const o = await controlService(host, kubelet, 'restart');
  if (o.initSystem === undefined) {
    out.warn("[kubelet-start] No supported init system detected, won't make sure the kubelet is running properly.");
    return o;
  }
  if (o.systemdNotRunning) {
    out.warn('[kubelet-start] WARNING: systemctl is installed but systemd is not running here (PID 1 is not systemd), so the kubelet ' +
      'cannot be started: start it by other means with the files above, or run tskubeadm on a node booted with systemd.');
    return o;
  }
  if (!o.exists) out.warn("[kubelet-start] Couldn't detect a kubelet service, can't make sure the kubelet is running properly.");
  if (o.failure !== undefined) {
    out.warn(`[kubelet-start] WARNING: unable to start the kubelet service: [${o.failure.message}]`);
    out.info('[kubelet-start] Please ensure kubelet is reloaded and running manually.');
    out.warn(`[kubelet-start] To see why it did not start: ${howToSee(o.initSystem)}`);
  }
  return o;
}

/** e.g. `"systemctl restart kubelet" exited with status 5: Unit kubelet.service not found.` */
export function describeFailure(argv: readonly string[], r: ExecResult, timeoutMs: number): string {
  const cmd = `"${argv.join(' ')}"`;
  if (r.spawnError !== undefined) return `cannot run ${cmd}: ${r.spawnError}`;
  if (r.timedOut === true) return `${cmd} did not finish within ${Math.round(timeoutMs / 1000)}s`;
  const said = (r.stderr.trim() || r.stdout.trim()).split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
  return `${cmd} exited with status ${r.exitCode}${said === '' ? '' : `: ${said}`}`;
}
