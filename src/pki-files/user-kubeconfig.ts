// `kubeconfig user`: a kubeconfig for one more user of the cluster, signed by the local cluster
// CA (or carrying a token), pointed at the control-plane endpoint. Nothing is written to disk.
// kubeadm: phases/kubeconfig/kubeconfig.go (WriteKubeConfigWithClientCert, WriteKubeConfigWithToken).
import type { InitConfig } from '../config/types.js';
import { formatGoDuration } from '../config/duration.js';
import { CertificateError } from '../errors.js';
import type { Host } from '../host/host.js';
import { controlPlaneEndpointURL } from '../kubeconfig/endpoints.js';
import { encodeKubeconfig, tokenKubeconfig, type KubeconfigTarget } from '../kubeconfig/kubeconfig.js';
import { generatePrivateKey } from '../pki/keys.js';
import type { Output } from '../output/output.js';
import { profileNamed } from './ensure-certs.js';
import { loadClusterCA, signedKubeconfig } from './ensure-kubeconfigs.js';
import { keyPath } from './pki-files.js';
import { clusterKeyAlgorithm } from '../pki/algorithms.js';

/** kubeadm's CertificateValidityPeriod: the default, and the length past which it warns. */
const defaultUserValidityMs = 8760 * 3_600_000;

export interface UserKubeconfigRequest {
  /** The user name; the certificate's CommonName. */
  readonly clientName: string;
  /** The certificate's Organizations (the user's groups). */
  readonly organizations: readonly string[];
  readonly validityMs: number;
  /** A bearer token to embed instead of a client certificate. */
  readonly token?: string;
}

/** The kubeconfig text for `req`, from the cluster CA under cfg's certificatesDir. */
export async function userKubeconfig(host: Host, out: Output, cfg: InitConfig, req: UserKubeconfigRequest): Promise<string> {
  const run = { host, out, certificatesDir: cfg.cluster.certificatesDir, startedAt: host.clock.now() };
  const ca = await loadClusterCA(run);
  const target: KubeconfigTarget = {
    clusterName: cfg.cluster.clusterName,
    server: controlPlaneEndpointURL(cfg.cluster, cfg.init.localAPIEndpoint),
    caPem: ca.file.leaf.toString(),
    user: req.clientName,
  };
  if (req.token !== undefined) return encodeKubeconfig(tokenKubeconfig(target, req.token));
  if (ca.issuer === undefined) {
    const kp = keyPath(cfg.cluster.certificatesDir, profileNamed('ca').baseName);
    throw new CertificateError(kp, `the CA key ${kp} does not exist, so no client certificate can be signed for "${req.clientName}"`, {
      fix: 'run this on a control-plane node that holds the CA key (with --config pointing at the certificatesDir in use), or pass --token for a token kubeconfig',
    });
  }
  if (req.validityMs > defaultUserValidityMs) {
    out.warn(`[kubeconfig] WARNING: the validity period ${formatGoDuration(req.validityMs)} is longer than the default ${formatGoDuration(defaultUserValidityMs)}: ` +
      'a leaked kubeconfig stays usable that much longer');
  }
  const key = await generatePrivateKey(clusterKeyAlgorithm(cfg.cluster));
  return signedKubeconfig(run, target, req.organizations, req.validityMs, ca.issuer, key, `the kubeconfig of "${req.clientName}"`);
}
