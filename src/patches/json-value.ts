// Small helpers for JSON-like data from patch files. Keys come from user files, so lookups use own
// properties only and `__proto__` is stored as a plain key, never as the prototype.
import type { PatchSchema, SchemaField } from './patch-schemas.js';

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function put(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function fieldOf(schema: PatchSchema, key: string): SchemaField | undefined {
  return hasOwn(schema, key) ? schema[key] : undefined;
}

/** A copy without null-valued object keys, as decoding into a Kubernetes Go type and encoding it
 *  again drops them. */
export function withoutNullFields(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNullFields);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, e] of Object.entries(v)) if (e !== null) put(out, k, withoutNullFields(e));
  return out;
}
