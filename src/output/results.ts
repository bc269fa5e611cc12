// The result objects our commands print with -o json|yaml (apiVersion output.tskubeadm.io/v1alpha1).
// Each has a JSON Schema in docs/schemas/<kind>.schema.json; docs/output.md lists them. InitResult lives
// in src/tokens/closing-message.ts, ResetReport in src/cleanup/reset-report.ts.
import { tskubeadmOutputVersion } from './result-format.js';

type Kind<K extends string> = { readonly kind: K; readonly apiVersion: typeof tskubeadmOutputVersion };
const kind = <K extends string>(k: K): Kind<K> => ({ kind: k, apiVersion: tskubeadmOutputVersion });

/** `join -o json`: the node that joined and how it came to trust the cluster. */
export interface JoinResult extends Kind<'JoinResult'> {
  readonly nodeName: string;
  readonly role: 'worker' | 'control-plane';
  /** https://host:port, as discovery found it. */
  readonly apiServer: string;
  /** token (bootstrap token + cluster-info) or file (a kubeconfig file or URL). */
  readonly discovery: 'token' | 'file';
  /** pinned: the CA matched a --discovery-token-ca-cert-hash; unpinned: unsafe skip; file: the discovery file's. */
  readonly caTrust: 'pinned' | 'unpinned' | 'file';
  /** The pins of the CA this node now trusts. */
  readonly caCertHashes: readonly string[];
  readonly dryRun: boolean;
  /** Control-plane joins: the admin kubeconfig written on this node. */
  readonly adminKubeconfig?: string;
  /** Control-plane joins: whether this node added a member to the local (stacked) etcd. */
  readonly localEtcdMember?: boolean;
}

export const joinResult = (r: Omit<JoinResult, 'kind' | 'apiVersion'>): JoinResult => ({ ...kind('JoinResult'), ...r });

/** `token delete -o json`: the IDs deleted, in the order given. */
export interface TokenDeleteResult extends Kind<'TokenDeleteResult'> {
  readonly deleted: readonly string[];
}

export const tokenDeleteResult = (deleted: readonly string[]): TokenDeleteResult => ({ ...kind('TokenDeleteResult'), deleted: [...deleted] });

/** `token generate -o json`: a new token, created nowhere. */
export interface GeneratedToken extends Kind<'GeneratedToken'> {
  readonly id: string;
  readonly token: string;
}

export const generatedToken = (token: string): GeneratedToken => ({ ...kind('GeneratedToken'), id: token.split('.')[0] ?? '', token });

/** `certs renew -o json`: each certificate renewed, its file and new expiry, and the static Pods to restart. */
export interface CertificateRenewal extends Kind<'CertificateRenewal'> {
  readonly certificates: readonly { readonly name: string; readonly file: string; readonly expires: string }[];
  readonly restart: readonly string[];
}

export const certificateRenewal = (r: Omit<CertificateRenewal, 'kind' | 'apiVersion'>): CertificateRenewal => ({ ...kind('CertificateRenewal'), ...r });

/** `certs certificate-key -o json`. */
export interface CertificateKey extends Kind<'CertificateKey'> {
  readonly key: string;
}

export const certificateKey = (key: string): CertificateKey => ({ ...kind('CertificateKey'), key });

/** `certs ca-hash -o json`: one pin per certificate in the file, leaf first. */
export interface CACertHashes extends Kind<'CACertHashes'> {
  readonly file: string;
  readonly caCertHashes: readonly string[];
}

export const caCertHashes = (file: string, pins: readonly string[]): CACertHashes => ({ ...kind('CACertHashes'), file, caCertHashes: [...pins] });

/** `certs generate-csr -o json`: every file written, in the order written. */
export interface CertificateRequests extends Kind<'CertificateRequests'> {
  readonly certificatesDir: string;
  readonly kubeconfigDir: string;
  readonly files: readonly string[];
}

export const certificateRequests = (r: Omit<CertificateRequests, 'kind' | 'apiVersion'>): CertificateRequests => ({ ...kind('CertificateRequests'), ...r });

/** `config validate -o json`: printed only for a valid file (an invalid one is an error, exit 3). */
export interface ConfigValidation extends Kind<'ConfigValidation'> {
  readonly file: string;
  readonly valid: true;
  readonly warnings: readonly string[];
}

export const configValidation = (file: string, warnings: readonly string[]): ConfigValidation => ({ ...kind('ConfigValidation'), file, valid: true, warnings: [...warnings] });

/** `config images pull -o json`: the images now on this node (or skipped: imagePullPolicy Never). */
export interface ImagePull extends Kind<'ImagePull'> {
  readonly imagePullPolicy: string;
  readonly images: readonly string[];
}

export const imagePull = (policy: string, images: readonly string[]): ImagePull => ({ ...kind('ImagePull'), imagePullPolicy: policy, images: [...images] });
