// Canonical JSON (object keys sorted at every level, undefined dropped) and its SHA-256: the same inputs give the
// same hash whatever order a configuration was written or built in.
import { sha256Hex } from '../sha256.js';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sortKeys(x)));
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) return sortKeys(Object.fromEntries(v));
  if (v instanceof Set) return [...v].map(sortKeys);
  if (typeof v !== 'object' || v === null) return typeof v === 'bigint' ? String(v) : v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && typeof x !== 'function') out[k] = sortKeys(x);
  }
  return out;
}

export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
