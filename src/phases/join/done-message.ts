// What `tskubeadm join` prints once the whole workflow succeeded (not after `join phase …`).
// kubeadm: cmd/join.go joinWorkerNodeDoneMsg, joinControPlaneDoneTemp. Unlike kubeadm's template, an
// external-etcd control plane gets no empty line where the etcd bullet would be.

/** The worker's message, with kubeadm's leading and trailing blank lines. */
export function workerDoneMessage(): string {
  return [
    '',
    'This node has joined the cluster:',
    '* Certificate signing request was sent to apiserver and a response was received.',
    '* The Kubelet was informed of the new secure connection details.',
    '',
    "Run 'kubectl get nodes' on the control-plane to see this node join the cluster.",
    '',
    '',
  ].join('\n');
}

/** The control-plane message; the etcd bullet only when this node added a member to the local (stacked) etcd. */
export function controlPlaneDoneMessage(o: { adminKubeconfigPath: string; localEtcd: boolean }): string {
  return [
    '',
    'This node has joined the cluster and a new control plane instance was created:',
    '',
    '* Certificate signing request was sent to apiserver and approval was received.',
    '* The Kubelet was informed of the new secure connection details.',
    '* Control plane label and taint were applied to the new node.',
    '* The Kubernetes control plane instances scaled up.',
    ...(o.localEtcd ? ['* A new etcd member was added to the local/stacked etcd cluster.'] : []),
    '',
    'To start administering your cluster from this node, you need to run the following as a regular user:',
    '',
    '\tmkdir -p $HOME/.kube',
    `\tsudo cp -i ${o.adminKubeconfigPath} $HOME/.kube/config`,
    '\tsudo chown $(id -u):$(id -g) $HOME/.kube/config',
    '',
    "Run 'kubectl get nodes' to see this node join the cluster.",
    '',
    '',
  ].join('\n');
}
