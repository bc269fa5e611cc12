// The files `tskubeadm init` writes with the phases built so far (certs, kubeconfig), in write
// order, with kubeadm's modes: keys, sa.pub and kubeconfigs 0600, certificates 0644 (what a real
// kubeadm left on disk, /work/shared/reference/kubeadm-observed/README.md). Written out by hand,
// not derived from pki/, so a test fails when the program writes something else.

export interface ExpectedFile {
  /** Host path, as the node sees it. */
  readonly path: string;
  readonly mode: number;
}

const pkiPairs = [
  'ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client',
  'etcd/ca', 'etcd/server', 'etcd/peer', 'etcd/healthcheck-client', 'apiserver-etcd-client',
];
const kubeconfigFiles = ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf'];

/** Every file a full `init` writes today, in the order it writes them (key before certificate). */
export const initFiles: readonly ExpectedFile[] = Object.freeze([
  ...pkiPairs.flatMap((base) => [
    { path: `/etc/kubernetes/pki/${base}.key`, mode: 0o600 },
    { path: `/etc/kubernetes/pki/${base}.crt`, mode: 0o644 },
  ]),
  { path: '/etc/kubernetes/pki/sa.key', mode: 0o600 },
  // kubeadm writes the public key with keyutil.WriteKey, so 0600 like the private key.
  { path: '/etc/kubernetes/pki/sa.pub', mode: 0o600 },
  ...kubeconfigFiles.map((f) => ({ path: `/etc/kubernetes/${f}`, mode: 0o600 })),
]);

/** The dry-run plan line of one write, without the size (key sizes vary by a few bytes). */
export const plannedWrite = /^\[dryrun\] Would write file "([^"]+)" \(mode (0[0-7]{3}), \d+ bytes\)$/;

/** `0600` for 0o600, as the plan prints modes. */
export function octalMode(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
