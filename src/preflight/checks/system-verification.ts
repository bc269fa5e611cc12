// SystemVerification: kernel, OS and cgroups validators, in kubeadm's order.
// kubeadm: preflight/checks.go (SystemVerificationCheck), checks_linux.go (addOSValidator).
import type { SemVer } from 'semver';
import type { CheckContext, CheckResult } from '../check.js';
import { cgroupMount, validateCgroups } from './cgroups.js';
import { validateKernel, type ValidatorResult } from './kernel.js';
import { readKubeletVersion } from './kubelet.js';

export const systemVerificationFailedHeader =
  '[preflight] The system verification failed. Printing the output from the verification:';

function validateOS(osType: string): ValidatorResult {
  const report = [`OS: ${osType}`];
  if (osType === 'Linux') return { warnings: [], errors: [], report };
  return { warnings: [], errors: [`unsupported operating system: ${osType}`], report };
}

export async function systemVerification({ host, target }: CheckContext): Promise<CheckResult> {
  const mount = await cgroupMount(host);
  const v2 = typeof mount !== 'string' && mount.v2;
  // Only a cgroup v1 host needs the kubelet's version (1.35+ refuses v1 by default).
  let kubeletVersion: SemVer | undefined;
  if (typeof mount !== 'string' && !mount.v2) {
    const got = await readKubeletVersion(host);
    if ('version' in got) kubeletVersion = got.version;
  }
  const results = [
    await validateKernel(host, v2),
    validateOS(host.system.osType()),
    await validateCgroups(host, mount, { kubeletVersion, kubeletConfig: target.kubeletConfig }),
  ];
  const errors = results.flatMap((r) => r.errors);
  const warnings = results.flatMap((r) => r.warnings);
  // kubeadm prints the validators' report only when the verification failed.
  if (errors.length === 0) return { warnings, errors };
  return { warnings, errors, report: [systemVerificationFailedHeader, ...results.flatMap((r) => r.report)] };
}
