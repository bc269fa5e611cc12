// The RBAC objects of the bootstrap-token phase, in kubeadm's order, each step with the line kubeadm
// prints before it (phases/bootstraptoken/node/tlsbootstrap.go, bootstraptoken/clusterinfo/clusterinfo.go).
import { kubePublic, type KubeObject } from '../api/objects.js';
import { defaultNodeTokenGroup } from '../tokens/token-secret.js';
import { clusterRole, clusterRoleBinding, getNamed, group, nodesGroup, role, roleBinding, user } from './rbac.js';

export interface RbacStep {
  /** The text after `[bootstrap-token] `. */
  readonly message: string;
  readonly objects: readonly KubeObject[];
}

/** Nodes authenticate as this group once their client certificate is issued. */
const getNodes = 'kubeadm:get-nodes';
/** The Role and RoleBinding that let anyone read kube-public/cluster-info (join discovery runs unauthenticated). */
export const clusterInfoRoleName = 'kubeadm:bootstrap-signer-clusterinfo';
export const clusterInfoName = 'cluster-info';

/** Bootstrap-token kubelets may read Nodes (join checks for a node of its name), post CSRs and get them
 *  approved; nodes may renew their own client certificates. */
export function nodeBootstrapRbac(): RbacStep[] {
  const tokens = group(defaultNodeTokenGroup);
  return [
    {
      message: 'Configured RBAC rules to allow Node Bootstrap tokens to get nodes',
      objects: [
        clusterRole(getNodes, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]),
        clusterRoleBinding(getNodes, getNodes, [tokens]),
      ],
    },
    {
      message: 'Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials',
      objects: [clusterRoleBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [tokens])],
    },
    {
      message: 'Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token',
      objects: [clusterRoleBinding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [tokens])],
    },
    {
      message: 'Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster',
      objects: [clusterRoleBinding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group(nodesGroup)])],
    },
  ];
}

/** Anonymous read access to kube-public/cluster-info and nothing else. */
export function clusterInfoRbac(): KubeObject[] {
  return [
    role(clusterInfoRoleName, kubePublic, [getNamed('configmaps', clusterInfoName)]),
    roleBinding(clusterInfoRoleName, kubePublic, clusterInfoRoleName, [user('system:anonymous')]),
  ];
}
