// The kubeadm-certs Secret: the control plane's CAs and keys, each encrypted with AES-256-GCM under the
// certificate key, so `join --control-plane --certificate-key` can fetch them. The Secret is owned by a 2-hour
// bootstrap token's Secret, so the garbage collector removes it when that token expires.
// kubeadm: phases/copycerts/copycerts.go, util/crypto/crypto.go (stored bytes = nonce ‖ ciphertext ‖ tag).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { kubeSystem, type KubeObject } from '../api/objects.js';
import { encodeSecretData, secretBytes, secretDataKeys } from '../api/secret-data.js';
import type { ClusterConfiguration } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { fileIn } from '../pki-files/pki-files.js';
import { defaultNodeTokenGroup } from '../tokens/token-secret.js';
import { getNamed, group, role, roleBinding } from './rbac.js';

export const kubeadmCertsSecretName = 'kubeadm-certs';
const kubeadmCertsRoleName = 'kubeadm:kubeadm-certs';
/** How long the Secret lives: the TTL of the token that owns it (kubeadm's DefaultCertTokenDuration). */
export const certsTokenTtlMs = 2 * 60 * 60 * 1000;
export const certsTokenDescription = 'Proxy for managing TTL for the kubeadm-certs secret';

const nonceBytes = 12;
const tagBytes = 16;
const keyHexPattern = /^[0-9a-fA-F]{64}$/;

/** One file the Secret carries: its key in the Secret (the file name, `/` → `-`) and where it is on disk. */
export interface CertsSecretEntry {
  readonly name: string;
  readonly path: string;
}

/** kubeadm's certsToTransfer: the CAs, the service-account key pair, and the etcd CA or the external etcd files. */
export function certsSecretEntries(cluster: Pick<ClusterConfiguration, 'certificatesDir' | 'etcd'>): CertsSecretEntry[] {
  const dir = cluster.certificatesDir;
  const inDir = (file: string): CertsSecretEntry => ({ name: file.replaceAll('/', '-'), path: fileIn(dir, file) });
  const entries = ['ca.crt', 'ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'sa.pub', 'sa.key'].map(inDir);
  const external = cluster.etcd.external;
  if (external === undefined) return [...entries, inDir('etcd/ca.crt'), inDir('etcd/ca.key')];
  return [
    ...entries,
    { name: 'external-etcd-ca.crt', path: external.caFile },
    { name: 'external-etcd.crt', path: external.certFile },
    { name: 'external-etcd.key', path: external.keyFile },
  ];
}

/** The certificate key is 32 bytes written as 64 hex digits. */
export function certificateKeyBytes(keyHex: string): Buffer {
  if (!keyHexPattern.test(keyHex)) {
    throw new ConfigError(`the certificate key must be 64 hexadecimal characters (an AES-256 key), got ${keyHex.length} characters`, {
      fix: 'pass the key `tskubeadm init --upload-certs` printed, or make a new one with `tskubeadm certs certificate-key`',
    });
  }
  return Buffer.from(keyHex, 'hex');
}

/** AES-256-GCM, no additional data; nonce ‖ ciphertext ‖ tag, as Go's gcm.Seal(nonce, nonce, …) lays it out. */
export function encryptWithCertificateKey(plain: Uint8Array, key: Buffer, nonce: Buffer = randomBytes(nonceBytes)): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The wrong key, or data altered since it was encrypted: GCM cannot tell them apart. */
export class CertsSecretDecryptError extends ConfigError {
  readonly entry: string;
  constructor(entry: string, cause?: unknown) {
    super(`the certificate key does not decrypt "${entry}" in the ${kubeSystem}/${kubeadmCertsSecretName} Secret: the key is not the one it was uploaded with, or the Secret was altered`, {
      fix: 'use the key printed by `tskubeadm init phase upload-certs --upload-certs` (run it again on a control-plane node for a new key and Secret)',
      ...(cause === undefined ? {} : { cause }),
    });
    this.entry = entry;
  }
}
CertsSecretDecryptError.prototype.name = 'CertsSecretDecryptError';

export function decryptWithCertificateKey(sealed: Uint8Array, key: Buffer, entry: string): Buffer {
  if (sealed.length < nonceBytes + tagBytes) throw new CertsSecretDecryptError(entry);
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, nonceBytes));
  decipher.setAuthTag(buf.subarray(buf.length - tagBytes));
  try {
    return Buffer.concat([decipher.update(buf.subarray(nonceBytes, buf.length - tagBytes)), decipher.final()]);
  } catch (err) {
    throw new CertsSecretDecryptError(entry, err);
  }
}

/** The token Secret that owns kubeadm-certs: deleting it (the token expired) deletes the certificates. */
export interface CertsSecretOwner {
  readonly name: string;
  readonly uid: string;
}

/**
 * The Secret, each file's contents encrypted; a file that was absent is an empty value (kubeadm uploads what
 * exists, e.g. no etcd CA files for an insecure external etcd). `files` maps entry names to contents.
 */
export function kubeadmCertsSecret(
  files: ReadonlyMap<string, Uint8Array | undefined>,
  keyHex: string,
  owner: CertsSecretOwner,
  encrypt: (plain: Uint8Array, key: Buffer) => Buffer = encryptWithCertificateKey,
): KubeObject {
  const key = certificateKeyBytes(keyHex);
  const data = encodeSecretData(Object.fromEntries([...files].map(([name, plain]) => [name, plain === undefined ? '' : encrypt(plain, key)])));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: kubeadmCertsSecretName,
      namespace: kubeSystem,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    },
    data,
  };
}

/**
 * What join --control-plane does with the Secret: every entry decrypted with the key (base64 `data` as the API
 * returns it). Empty entries stay empty. One entry that does not decrypt fails the whole Secret, as kubeadm
 * never returns a partial result.
 */
export function decryptCertsSecret(secret: KubeObject, keyHex: string): Map<string, Buffer> {
  const key = certificateKeyBytes(keyHex);
  const out = new Map<string, Buffer>();
  for (const name of secretDataKeys(secret).sort()) {
    const sealed = secretBytes(secret, name);
    out.set(name, sealed.length === 0 ? Buffer.alloc(0) : decryptWithCertificateKey(sealed, key, name));
  }
  return out;
}

/** Role + RoleBinding: bootstrap tokens of joining nodes may read kubeadm-certs (the key keeps it secret). */
export function kubeadmCertsRbac(): readonly KubeObject[] {
  return [
    role(kubeadmCertsRoleName, kubeSystem, [getNamed('secrets', kubeadmCertsSecretName)]),
    roleBinding(kubeadmCertsRoleName, kubeSystem, kubeadmCertsRoleName, [group(defaultNodeTokenGroup)]),
  ];
}
