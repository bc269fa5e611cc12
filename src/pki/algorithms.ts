// kubeadm's encryptionAlgorithm values and what each means for keys and signatures.
// kubeadm: apis/kubeadm EncryptionAlgorithmType, util/pkiutil (GeneratePrivateKey, signature choice by Go).
import type { KeyObject, webcrypto } from 'node:crypto';
import type { ClusterConfiguration, EncryptionAlgorithm } from '../config/types.js';

export type KeyShape =
  | { readonly type: 'rsa'; readonly modulusLength: 2048 | 3072 | 4096 }
  | { readonly type: 'ec'; readonly namedCurve: 'P-256' | 'P-384' };

export const keyShapes: Readonly<Record<EncryptionAlgorithm, KeyShape>> = Object.freeze({
  'RSA-2048': { type: 'rsa', modulusLength: 2048 },
  'RSA-3072': { type: 'rsa', modulusLength: 3072 },
  'RSA-4096': { type: 'rsa', modulusLength: 4096 },
  'ECDSA-P256': { type: 'ec', namedCurve: 'P-256' },
  'ECDSA-P384': { type: 'ec', namedCurve: 'P-384' },
});

/** The key type a cluster's keys get: encryptionAlgorithm, unless the deprecated PublicKeysECDSA gate is set,
 *  which still decides as in kubeadm (true: ECDSA-P256, false: RSA-2048). kubeadm: EncryptionAlgorithmType(). */
export function clusterKeyAlgorithm(cluster: Pick<ClusterConfiguration, 'encryptionAlgorithm' | 'featureGates'>): EncryptionAlgorithm {
  const gate = cluster.featureGates.PublicKeysECDSA;
  if (gate === undefined) return cluster.encryptionAlgorithm;
  return gate ? 'ECDSA-P256' : 'RSA-2048';
}

/** WebCrypto parameters to import a private key for signing, and to sign with it. Go signs with
 *  SHA-256 for every RSA size and P-256, and SHA-384 for P-384; we do the same. */
export interface SigningParams {
  readonly importParams: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  readonly signParams: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

/** The algorithm of an existing key, by kubeadm's name; undefined for anything kubeadm does not make. */
export function algorithmOf(key: KeyObject): EncryptionAlgorithm | undefined {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = d?.modulusLength;
    return bits === 2048 || bits === 3072 || bits === 4096 ? `RSA-${bits}` : undefined;
  }
  if (key.asymmetricKeyType === 'ec') {
    if (d?.namedCurve === 'prime256v1') return 'ECDSA-P256';
    if (d?.namedCurve === 'secp384r1') return 'ECDSA-P384';
  }
  return undefined;
}

/** How to sign with a key: RSA of any size, or ECDSA on P-256/P-384 (an existing CA may be either). */
export function signingParams(key: KeyObject): SigningParams | undefined {
  if (key.asymmetricKeyType === 'rsa') {
    const p = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { importParams: p, signParams: p };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { importParams: { name: 'ECDSA', namedCurve: 'P-256' }, signParams: { name: 'ECDSA', hash: 'SHA-256' } };
    if (curve === 'secp384r1') return { importParams: { name: 'ECDSA', namedCurve: 'P-384' }, signParams: { name: 'ECDSA', hash: 'SHA-384' } };
  }
  return undefined;
}
