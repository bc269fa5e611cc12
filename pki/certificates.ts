// Every certificate kubeadm makes for a control plane, as data: the `certs` phases, `certs renew`,
// `certs check-expiration` and `certs generate-csr` are all rendered from this table.
// kubeadm: cmd/kubeadm/app/phases/certs/certlist.go (and the constants it names).
// Invariants (test/pki/profiles.test.ts): names unique, every `ca` names a CA listed before it.

export type ExtKeyUsage = 'serverAuth' | 'clientAuth';

/** Where a certificate's Subject Alternative Names come from (see src/pki/alt-names.ts). */
export type SanRule =
  /** None. */
  | 'none'
  /** A self-signed CA: its CommonName as the only DNS name (Go's certutil does this). */
  | 'ca-common-name'
  /** The API server: node name, kubernetes.default…, service VIP, advertise address, controlPlaneEndpoint host, certSANs. */
  | 'apiserver'
  /** etcd: node name, localhost, advertise address, 127.0.0.1, ::1 and etcd.local.serverCertSANs. */
  | 'etcd-server'
  /** As etcd-server, with etcd.local.peerCertSANs. */
  | 'etcd-peer';

export interface CertProfile {
  /** The phase name (`init phase certs <name>`), the `certs renew` target and the check-expiration row. */
  readonly name: string;
  /** The phase's description: "Generate the <longName>". */
  readonly longName: string;
  /** Files `<certificatesDir>/<baseName>.crt` and `.key`. */
  readonly baseName: string;
  /** Name of the signing CA's profile; absent for a self-signed CA. */
  readonly ca?: string;
  /** Subject CommonName; `node-name` is the node's name (etcd serving and peer certificates). */
  readonly commonName: string | { readonly from: 'node-name' };
  /** Subject Organization (groups, for client certificates). */
  readonly organization: readonly string[];
  readonly usages: readonly ExtKeyUsage[];
  readonly sans: SanRule;
  /** Only made with a local (stacked) etcd. */
  readonly localEtcdOnly: boolean;
}

const profiles = [
  {
    name: 'ca',
    longName: 'self-signed Kubernetes CA to provision identities for other Kubernetes components',
    baseName: 'ca',
    commonName: 'kubernetes',
    organization: [],
    usages: [],
    sans: 'ca-common-name',
    localEtcdOnly: false,
  },
  {
    name: 'apiserver',
    longName: 'certificate for serving the Kubernetes API',
    baseName: 'apiserver',
    ca: 'ca',
    commonName: 'kube-apiserver',
    organization: [],
    usages: ['serverAuth'],
    sans: 'apiserver',
    localEtcdOnly: false,
  },
  {
    name: 'apiserver-kubelet-client',
    longName: 'certificate for the API server to connect to kubelet',
    baseName: 'apiserver-kubelet-client',
    ca: 'ca',
    commonName: 'kube-apiserver-kubelet-client',
    // Bound to cluster-admin by the kubeadm:cluster-admins ClusterRoleBinding (kubeadm >= 1.29).
    organization: ['kubeadm:cluster-admins'],
    usages: ['clientAuth'],
    sans: 'none',
    localEtcdOnly: false,
  },
  {
    name: 'front-proxy-ca',
    longName: 'self-signed CA to provision identities for front proxy',
    baseName: 'front-proxy-ca',
    commonName: 'front-proxy-ca',
    organization: [],
    usages: [],
    sans: 'ca-common-name',
    localEtcdOnly: false,
  },
  {
    name: 'front-proxy-client',
    longName: 'certificate for the front proxy client',
    baseName: 'front-proxy-client',
    ca: 'front-proxy-ca',
    commonName: 'front-proxy-client',
    organization: [],
    usages: ['clientAuth'],
    sans: 'none',
    localEtcdOnly: false,
  },
  {
    name: 'etcd-ca',
    longName: 'self-signed CA to provision identities for etcd',
    baseName: 'etcd/ca',
    commonName: 'etcd-ca',
    organization: [],
    usages: [],
    sans: 'ca-common-name',
    localEtcdOnly: true,
  },
  {
    name: 'etcd-server',
    longName: 'certificate for serving etcd',
    baseName: 'etcd/server',
    ca: 'etcd-ca',
    commonName: { from: 'node-name' },
    organization: [],
    // etcd also uses its serving certificate as a client (to itself, for the gateway), hence clientAuth.
    usages: ['serverAuth', 'clientAuth'],
    sans: 'etcd-server',
    localEtcdOnly: true,
  },
  {
    name: 'etcd-peer',
    longName: 'certificate for etcd nodes to communicate with each other',
    baseName: 'etcd/peer',
    ca: 'etcd-ca',
    commonName: { from: 'node-name' },
    organization: [],
    usages: ['serverAuth', 'clientAuth'],
    sans: 'etcd-peer',
    localEtcdOnly: true,
  },
  {
    name: 'etcd-healthcheck-client',
    longName: 'certificate for liveness probes to healthcheck etcd',
    baseName: 'etcd/healthcheck-client',
    ca: 'etcd-ca',
    commonName: 'kube-etcd-healthcheck-client',
    organization: [],
    usages: ['clientAuth'],
    sans: 'none',
    localEtcdOnly: true,
  },
  {
    name: 'apiserver-etcd-client',
    longName: 'certificate the apiserver uses to access etcd',
    baseName: 'apiserver-etcd-client',
    ca: 'etcd-ca',
    commonName: 'kube-apiserver-etcd-client',
    organization: [],
    usages: ['clientAuth'],
    sans: 'none',
    localEtcdOnly: true,
  },
] as const satisfies readonly CertProfile[];

/** In generation order: each CA before the certificates it signs. */
export const certProfiles: readonly CertProfile[] = Object.freeze(profiles.map((p) => Object.freeze(p)));

/** The service-account signing key pair: not a certificate, kept here so the whole PKI is in one place. */
export const serviceAccountKey = Object.freeze({
  name: 'sa',
  privateKeyFile: 'sa.key',
  publicKeyFile: 'sa.pub',
});
