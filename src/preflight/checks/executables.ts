// Executables the node needs on PATH. kubeadm: preflight/checks.go (InPathCheck),
// checks_linux.go (addExecChecks).
import lt from 'semver/functions/lt.js';
import valid from 'semver/functions/valid.js';
import { failure, pass, warning, type CheckContext, type CheckResult, type PreflightTarget } from '../check.js';

export interface Executable {
  readonly name: string;
  /** Missing → error (true) or warning (false). */
  readonly mandatory: boolean;
  /** Debian/Ubuntu package, then RHEL/Fedora package when it differs. */
  readonly packages: readonly [string, string?];
  readonly when?: (t: PreflightTarget) => boolean;
}

/**
 * In kubeadm's order. crictl comes first, where kubeadm ≤ 1.30 checked it: kubeadm 1.35 links the CRI
 * client and no longer needs it, but tskubeadm talks to the runtime through crictl (image pulls,
 * runtime status, reset), so for us it is mandatory. conntrack is only checked for Kubernetes < 1.32
 * (kube-proxy stopped needing it then) and only where the version is known, i.e. not on join.
 */
export const executables = Object.freeze([
  { name: 'crictl', mandatory: true, packages: ['cri-tools'] },
  {
    name: 'conntrack', mandatory: true, packages: ['conntrack', 'conntrack-tools'],
    when: (t) => t.kubernetesVersion !== undefined && valid(t.kubernetesVersion) !== null && lt(t.kubernetesVersion, '1.32.0'),
  },
  { name: 'ip', mandatory: true, packages: ['iproute2', 'iproute'] },
  { name: 'iptables', mandatory: true, packages: ['iptables'] },
  { name: 'mount', mandatory: true, packages: ['mount', 'util-linux'] },
  { name: 'nsenter', mandatory: true, packages: ['util-linux'] },
  { name: 'ebtables', mandatory: false, packages: ['ebtables'] },
  { name: 'ethtool', mandatory: false, packages: ['ethtool'] },
  { name: 'socat', mandatory: false, packages: ['socat'] },
  { name: 'tc', mandatory: false, packages: ['iproute2', 'iproute-tc'] },
  { name: 'touch', mandatory: false, packages: ['coreutils'] },
] as const satisfies readonly Executable[]);

function installFix(e: Executable): string {
  const [deb, rpm] = e.packages;
  return rpm === undefined || rpm === deb
    ? `install the ${deb} package`
    : `install the ${deb} package (${rpm} on RHEL/Fedora)`;
}

export function inPath(e: Executable): (ctx: CheckContext) => Promise<CheckResult> {
  return async ({ host }) => {
    if ((await host.exec.which(e.name)) !== undefined) return pass;
    const message = `${e.name} not found in system path`;
    return e.mandatory ? failure(message, installFix(e)) : warning(message, installFix(e));
  };
}
