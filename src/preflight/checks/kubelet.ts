// The kubelet: installed, in the supported version skew, and enabled in the init system.
// kubeadm: preflight/checks.go (KubeletVersionCheck, ServiceCheck), preflight/utils.go
// (GetKubeletVersion), util/initsystem/initsystem_unix.go.
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';
import type { SemVer } from 'semver';
import type { ExecResult, Host } from '../../host/host.js';
import { initSystemOf, noInitSystem } from './init-system.js';
import { failure, pass, warning, type CheckContext, type CheckResult } from '../check.js';
import { kubeadmMinor, minimumKubeletVersion, timeouts } from '../constants.js';

const kubeletVersionLine = /^\s*Kubernetes v((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_.+]*)?)\s*$/;

/** How Go's os/exec describes a failed run, so messages read as kubeadm's. */
function goExecError(r: ExecResult): string {
  if (r.spawnError !== undefined) {
    if (r.spawnError.includes('ENOENT')) return 'executable file not found in $PATH';
    if (r.spawnError.includes('EACCES')) return 'permission denied';
    return r.spawnError;
  }
  if (r.timedOut === true) return 'signal: killed';
  return `exit status ${r.exitCode}`;
}

export type KubeletVersionResult = { readonly version: SemVer } | { readonly error: string };

/** `kubelet --version`, parsed as kubeadm does. */
export async function readKubeletVersion(host: Host): Promise<KubeletVersionResult> {
  const r = await host.exec.run(['kubelet', '--version'], { mutates: false, timeoutMs: timeouts.exec });
  if (r.spawnError !== undefined || r.exitCode !== 0 || r.timedOut === true) {
    return { error: `cannot execute 'kubelet --version': ${goExecError(r)}` };
  }
  const out = r.stdout.trim();
  const m = kubeletVersionLine.exec(out);
  const v = m?.[1] === undefined ? null : parse(m[1]);
  if (v === null) return { error: `Unable to parse output from Kubelet: ${JSON.stringify(out)}` };
  return { version: v };
}

const supportedRange = `v${minimumKubeletVersion.replace(/\.0$/, '')} to v1.${kubeadmMinor}`;

export async function kubeletVersion({ host, target }: CheckContext): Promise<CheckResult> {
  const got = await readKubeletVersion(host);
  if ('error' in got) {
    return failure(`couldn't get kubelet version: ${got.error}`, `install the kubelet package (${supportedRange}) and make sure it is on PATH`);
  }
  const kubelet = got.version;
  if (compare(kubelet, minimumKubeletVersion) < 0) {
    return failure(
      `Kubelet version "${kubelet.version}" is lower than kubeadm can support. Please upgrade kubelet`,
      `install a kubelet from ${supportedRange}`,
    );
  }
  if (target.kubernetesVersion === undefined) return pass;
  const cp = parse(target.kubernetesVersion);
  if (cp === null) {
    return failure(`couldn't parse Kubernetes version "${target.kubernetesVersion}"`, 'set kubernetesVersion to a version such as v1.35.0');
  }
  // kubeadm compares major and minor separately (a 2.0 kubelet with a 1.35 control plane passes there); compare them as a pair.
  if (kubelet.major > cp.major || (kubelet.major === cp.major && kubelet.minor > cp.minor)) {
    return failure(
      'the kubelet version is higher than the control plane version. This is not a supported version skew and may lead to a malfunctional cluster. ' +
        `Kubelet version: "${kubelet.version}" Control plane version: "${cp.version}"`,
      `install a kubelet of v${cp.major}.${cp.minor} (or up to three minors older), or deploy a newer control plane`,
    );
  }
  return pass;
}

/** What the service check found, per init system. */
interface ServiceState {
  readonly exists: boolean;
  readonly enabled: boolean;
  readonly enableCommand: string;
}

async function systemdState(host: Host, service: string): Promise<ServiceState> {
  const r = await host.exec.run(['systemctl', 'is-enabled', service], { mutates: false, timeoutMs: timeouts.exec });
  // `is-enabled` prints the state on stdout; an unknown unit prints nothing there and complains on stderr.
  // (kubeadm reads `systemctl status` for "Loaded: not-found", which misses units that were never installed.)
  const exists = r.exitCode === 0 || r.stdout.trim() !== '' || !/no such file|not found|does not exist/i.test(r.stderr);
  return { exists, enabled: r.exitCode === 0, enableCommand: `systemctl enable ${service}.service` };
}

async function openrcState(host: Host, service: string): Promise<ServiceState> {
  const status = await host.exec.run(['rc-service', service, 'status'], { mutates: false, timeoutMs: timeouts.exec });
  const runlevel = await host.exec.run(['rc-update', 'show', 'default'], { mutates: false, timeoutMs: timeouts.exec });
  return {
    exists: !`${status.stdout}${status.stderr}`.includes('does not exist'),
    enabled: runlevel.stdout.includes(service),
    enableCommand: `rc-update add ${service} default`,
  };
}

/** `Service-kubelet`: exists and enabled (active is not required: kubeadm starts it later). */
export function serviceEnabled(service: string): (ctx: CheckContext) => Promise<CheckResult> {
  return async ({ host }) => {
    const init = await initSystemOf(host);
    if (init === undefined) return warning(noInitSystem, `make sure ${service} is started at boot by your init system`);
    const state = init === 'systemd' ? await systemdState(host, service) : await openrcState(host, service);
    if (!state.exists) return warning(`${service} service does not exist`, `install the ${service} package, which provides the service`);
    if (!state.enabled) return warning(`${service} service is not enabled, please run '${state.enableCommand}'`);
    return pass;
  };
}
