// What join's discovery hands to the rest of the join: the cluster it found and how far it is trusted.
import type { Kubeconfig } from '../kubeconfig/kubeconfig.js';

export interface Discovered {
  /** The cluster's API server, https://host:port (cluster-info's, or the discovery file's). */
  readonly server: string;
  /** The cluster CA certificate(s), PEM, as cluster-info (or the discovery file) carries them. */
  readonly caPem: string;
  /** The kubeconfig for the kubelet's TLS bootstrap and join's own API reads (kubeadm's tlsBootstrapCfg):
   *  cluster "kubernetes" (server + CA data), user "tls-bootstrap-token-user" with the TLS bootstrap token,
   *  context "tls-bootstrap-token-user@kubernetes"; or the discovery file's own credentials. */
  readonly bootstrapKubeconfig: Kubeconfig;
  /** How the CA came to be trusted, for messages and -o json: pinned hash(es), unverified (unsafe skip), or file. */
  readonly trust: 'pinned' | 'unpinned' | 'file';
}
