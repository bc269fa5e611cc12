// A Secret's `data` as the API carries it: every value base64-encoded. One place encodes and decodes it.
import type { KubeObject } from './objects.js';

/** The `data` map as the API returns it (base64 values); empty when the Secret has none. */
function rawData(secret: KubeObject): Readonly<Record<string, unknown>> {
  const data = secret['data'];
  return typeof data === 'object' && data !== null ? data as Record<string, unknown> : {};
}

/** The keys of a Secret's data, in the order the API gave them. */
export function secretDataKeys(secret: KubeObject): string[] {
  return Object.keys(rawData(secret));
}

/** One value decoded; empty when the key is absent (as cluster-bootstrap's GetData) or not a string. */
export function secretBytes(secret: KubeObject, key: string): Buffer {
  const v = rawData(secret)[key];
  return typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.alloc(0);
}

/** One value decoded as UTF-8 text; '' when absent. */
export function secretText(secret: KubeObject, key: string): string {
  return secretBytes(secret, key).toString('utf8');
}

/** Every value decoded as UTF-8 text. */
export function decodedSecretData(secret: KubeObject): Record<string, string> {
  return Object.fromEntries(secretDataKeys(secret).map((k) => [k, secretText(secret, k)]));
}

/** `data` for a Secret to send: values base64-encoded, keys sorted (as Go's JSON writes a map). */
export function encodeSecretData(values: Readonly<Record<string, string | Uint8Array>>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).sort().map((k) => [k, Buffer.from(values[k]!).toString('base64')]));
}
