// What `tskubeadm init` writes with the phases built so far, in write order, with kubeadm's modes:
// keys, sa.pub, kubeconfigs and manifests 0600, certificates and the kubelet's files 0644, the
// manifest and kubelet folders 0700 (what a real kubeadm left on disk,
// /work/shared/reference/kubeadm-observed/README.md). Written out by hand, not derived from pki/
// or the phases, so a test fails when the program writes something else.

export interface ExpectedFile {
  /** Host path, as the node sees it. */
  readonly path: string;
  readonly mode: number;
}

/** One write or directory creation of the dry-run plan (commands it would run are checked apart). */
export interface PlannedChange extends ExpectedFile {
  readonly action: 'write' | 'mkdir';
}

const pkiPairs = [
  'ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client',
  'etcd/ca', 'etcd/server', 'etcd/peer', 'etcd/healthcheck-client', 'apiserver-etcd-client',
];
const kubeconfigFiles = ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf'];
const manifests = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const kubeletFiles = ['kubeadm-flags.env', 'instance-config.yaml', 'config.yaml'];

const write = (path: string, mode: number): PlannedChange => ({ action: 'write', path, mode });
const mkdir = (path: string): PlannedChange => ({ action: 'mkdir', path, mode: 0o700 });

/** The files and folders `init` makes, in order (phases certs, kubeconfig, etcd, control-plane, kubelet-start).
 *  /var/lib/etcd is made by the etcd phase outside --dry-run only. */
export const initPlan: readonly PlannedChange[] = Object.freeze([
  ...pkiPairs.flatMap((base) => [write(`/etc/kubernetes/pki/${base}.key`, 0o600), write(`/etc/kubernetes/pki/${base}.crt`, 0o644)]),
  write('/etc/kubernetes/pki/sa.key', 0o600),
  // kubeadm writes the public key with keyutil.WriteKey, so 0600 like the private key.
  write('/etc/kubernetes/pki/sa.pub', 0o600),
  ...kubeconfigFiles.map((f) => write(`/etc/kubernetes/${f}`, 0o600)),
  mkdir('/etc/kubernetes/manifests'),
  ...manifests.map((m) => write(`/etc/kubernetes/manifests/${m}.yaml`, 0o600)),
  mkdir('/var/lib/kubelet'),
  ...kubeletFiles.map((f) => write(`/var/lib/kubelet/${f}`, 0o644)),
]);

/** Every file a full `init` writes, in write order. */
export const initFiles: readonly ExpectedFile[] = Object.freeze(
  initPlan.filter((c) => c.action === 'write').map(({ path, mode }) => ({ path, mode })),
);

/** A write or mkdir line of the dry-run plan, without the size (key sizes vary by a few bytes). */
const plannedLine = /^\[dryrun\] Would (write file|create directory) "([^"]+)" \(mode (0[0-7]{3})(?:, \d+ bytes)?\)$/;

/** The writes and mkdirs of a dry-run plan, as `write /path 0600`; other lines are left out. */
export function plannedChanges(lines: readonly string[]): string[] {
  return lines.flatMap((l) => {
    const m = plannedLine.exec(l);
    return m ? [`${m[1] === 'write file' ? 'write' : 'mkdir'} ${m[2]} ${m[3]}`] : [];
  });
}

/** initPlan in the form plannedChanges gives. */
export function expectedPlan(): string[] {
  return initPlan.map((c) => `${c.action} ${c.path} ${octalMode(c.mode)}`);
}

/** `0600` for 0o600, as the plan prints modes. */
export function octalMode(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
