// Every kubeconfig file init writes for a control plane, as data: the `kubeconfig` phases,
// `certs renew`, `certs check-expiration` and `certs generate-csr` are rendered from this table.
// kubeadm: cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go (getKubeConfigSpecsBase).

/**
 * Which API server address a file points at. `control-plane-endpoint`: controlPlaneEndpoint when set,
 * else this node's advertise address. `local`: always this node's advertise address, so the component
 * keeps working while a load balancer in front of the control plane is down.
 */
export type ServerRule = 'control-plane-endpoint' | 'local';

export interface KubeconfigProfile {
  /** The phase name (`init phase kubeconfig <name>`). */
  readonly name: string;
  /** File name under the kubeconfig directory; also the `certs renew` target. */
  readonly file: string;
  readonly short: string;
  /** The user name and client-certificate CommonName; `node` makes `system:node:<node name>`. */
  readonly user: string | { readonly from: 'node' };
  /** Client-certificate Organizations (groups). */
  readonly groups: readonly string[];
  readonly server: ServerRule;
  /** Also written when a control plane joins (the kubelet's comes from its TLS bootstrap there, super-admin from init only). */
  readonly onJoiningControlPlane: boolean;
}

const profiles = [
  {
    name: 'admin',
    file: 'admin.conf',
    short: 'Generate a kubeconfig file for the admin to use and for tskubeadm itself',
    user: 'kubernetes-admin',
    // Bound to cluster-admin by a ClusterRoleBinding, so it can be revoked (unlike system:masters).
    groups: ['kubeadm:cluster-admins'],
    server: 'control-plane-endpoint',
    onJoiningControlPlane: true,
  },
  {
    name: 'super-admin',
    file: 'super-admin.conf',
    short: 'Generate a kubeconfig file for the super-admin, a break-glass identity outside RBAC',
    user: 'kubernetes-super-admin',
    groups: ['system:masters'],
    server: 'control-plane-endpoint',
    onJoiningControlPlane: false,
  },
  {
    name: 'kubelet',
    file: 'kubelet.conf',
    short: 'Generate a kubeconfig file for the kubelet to use *only* for cluster bootstrapping purposes',
    user: { from: 'node' },
    groups: ['system:nodes'],
    // On the node that runs init the kubelet talks to its own API server (kubeadm >= 1.31 does the same).
    server: 'local',
    onJoiningControlPlane: false,
  },
  {
    name: 'controller-manager',
    file: 'controller-manager.conf',
    short: 'Generate a kubeconfig file for the controller manager to use',
    user: 'system:kube-controller-manager',
    groups: [],
    server: 'local',
    onJoiningControlPlane: true,
  },
  {
    name: 'scheduler',
    file: 'scheduler.conf',
    short: 'Generate a kubeconfig file for the scheduler to use',
    user: 'system:kube-scheduler',
    groups: [],
    server: 'local',
    onJoiningControlPlane: true,
  },
] as const satisfies readonly KubeconfigProfile[];

/** In kubeadm's order of writing. */
export const kubeconfigProfiles: readonly KubeconfigProfile[] = Object.freeze(profiles.map((p) => Object.freeze(p)));
