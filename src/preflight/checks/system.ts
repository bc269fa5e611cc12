// Checks on the machine itself: privileges, CPUs, memory, swap, and whether this
// tskubeadm knows the Kubernetes version it is asked to deploy.
// kubeadm: preflight/checks.go (NumCPUCheck, SwapCheck, KubernetesVersionCheck),
// checks_linux.go (MemCheck), checks_unix.go (IsPrivilegedUserCheck).
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';
import { failure, pass, warning, type CheckContext, type CheckResult } from '../check.js';
import { controlPlaneMinCPUs, controlPlaneMinMemoryMB, kubeadmMinor } from '../constants.js';

export async function isPrivilegedUser({ host }: CheckContext): Promise<CheckResult> {
  if (host.system.euid() === 0) return pass;
  return failure('user is not running as root', 'run it as root, e.g. with sudo');
}

export async function numCPU({ host }: CheckContext): Promise<CheckResult> {
  const n = host.system.cpuCount();
  if (n >= controlPlaneMinCPUs) return pass;
  return failure(
    `the number of available CPUs ${n} is less than the required ${controlPlaneMinCPUs}`,
    `give this machine at least ${controlPlaneMinCPUs} CPUs (a control plane needs them)`,
  );
}

export async function mem({ host }: CheckContext): Promise<CheckResult> {
  const mb = Math.floor(host.system.totalMemoryBytes() / 1024 / 1024);
  if (mb >= controlPlaneMinMemoryMB) return pass;
  return failure(
    `the system RAM (${mb} MB) is less than the minimum ${controlPlaneMinMemoryMB} MB`,
    `give this machine at least ${controlPlaneMinMemoryMB} MB of RAM`,
  );
}

export async function swap({ host }: CheckContext): Promise<CheckResult> {
  const text = await host.system.readKernelFile('/proc/swaps');
  if (text === undefined) return pass; // no /proc/swaps: nothing to warn about, as kubeadm
  const lines = text.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1));
  if (lines.length <= 1) return pass;
  return warning(
    'swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. ' +
      'Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node',
    "to disable it: swapoff -a, and remove the swap entries from /etc/fstab; to keep it: set failSwapOn: false and memorySwap in the KubeletConfiguration",
  );
}

/** Kubernetes' version.String(): no `v`. */
function plain(v: string): string {
  return v.replace(/^v/, '');
}

export async function kubernetesVersion({ target }: CheckContext): Promise<CheckResult> {
  const wanted = target.kubernetesVersion;
  if (wanted === undefined) return pass;
  const v = parse(wanted);
  if (v === null) {
    return failure(`couldn't parse Kubernetes version "${wanted}": illegal version string "${wanted}"`,
      'set kubernetesVersion to a version such as v1.35.0');
  }
  // The first version this kubeadm does not know: its minor + 1, every pre-release included.
  const firstUnsupported = `1.${kubeadmMinor + 1}.0-0`;
  if (compare(v, firstUnsupported) < 0) return pass;
  return warning(
    `Kubernetes version is greater than kubeadm version. Please consider to upgrade kubeadm. ` +
      `Kubernetes version: ${plain(v.version)}. Kubeadm version: 1.${kubeadmMinor}.x`,
    `use kubernetesVersion v1.${kubeadmMinor}.x or older, or a tskubeadm built for ${plain(v.version).split('.').slice(0, 2).join('.')}`,
  );
}
