// The JoinConfiguration the cloud-init tests render user-data from (a worker unless `extra` adds controlPlane).
export const joinConfig = (extra = ''): string => `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: 10.0.0.1:6443
    token: abcdef.0123456789abcdef
    caCertHashes: ["sha256:${'a'.repeat(64)}"]
${extra}`;
