// Private keys: generated natively (libuv's thread pool, so several run at once), written in
// kubeadm's PEM forms and read back from any form kubeadm accepts.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { EncryptionAlgorithm } from '../config/types.js';
import { keyShapes } from './algorithms.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A new private key of the given algorithm; never pure-JS. */
export async function generatePrivateKey(algorithm: EncryptionAlgorithm): Promise<KeyObject> {
  const shape = keyShapes[algorithm];
  const pair = shape.type === 'rsa'
    ? await generateKeyPairAsync('rsa', { modulusLength: shape.modulusLength, publicExponent: 0x10001 })
    : await generateKeyPairAsync('ec', { namedCurve: shape.namedCurve });
  return pair.privateKey;
}

/** kubeadm's on-disk form: RSA as PKCS#1 "RSA PRIVATE KEY", ECDSA as SEC1 "EC PRIVATE KEY". */
export function encodePrivateKey(key: KeyObject): string {
  const type = key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1';
  return key.export({ type, format: 'pem' }).toString();
}

/** PKIX "PUBLIC KEY" PEM, as sa.pub. */
export function encodePublicKey(key: KeyObject): string {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

export class KeyParseError extends Error {}

/** A private key from PEM (PKCS#1, SEC1 or PKCS#8). Only RSA and ECDSA keys are accepted, as kubeadm. */
export function parsePrivateKey(pem: string | Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new KeyParseError(`it holds no readable PEM private key (${(err as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw new KeyParseError(`the private key is neither in RSA nor ECDSA format (it is ${key.asymmetricKeyType ?? 'unknown'})`);
  }
  return key;
}

/** Whether a private key and a public key (a certificate's) are halves of one pair. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const a = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const b = publicKey.export({ type: 'spki', format: 'der' });
  return a.equals(b);
}
