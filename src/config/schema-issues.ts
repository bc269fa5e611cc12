// zod issues → our one-line messages. kubeadm's key phrases ("unknown field", "cannot
// unmarshal") are kept so users can search them; hints say what to write instead.
import type { z } from 'zod';

export interface SchemaProblem {
  readonly path: readonly (string | number)[];
  /** Point at the key (unknown fields) or at the value (wrong types). */
  readonly prefer: 'key' | 'value';
  readonly message: string;
}

/** Fields that moved between versions, keyed by the field's last path segment. */
const movedInV1beta4: Readonly<Record<string, string>> = Object.freeze({
  timeoutForControlPlane: 'v1beta4 moved it to InitConfiguration timeouts.controlPlaneComponentHealthCheck',
  timeout: 'v1beta4 moved discovery.timeout to timeouts.discovery',
  type: 'dns.type was removed in v1beta3: kubeadm only deploys CoreDNS',
  useHyperKubeImage: 'removed in v1beta3',
});

const v1beta4Only = new Set([
  'timeouts', 'dryRun', 'imagePullSerial', 'extraEnvs', 'proxy', 'disabled', 'encryptionAlgorithm',
  'certificateValidityPeriod', 'caCertificateValidityPeriod',
]);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `the ${typeof v} ${String(v)}`;
}

const expectedText: Readonly<Record<string, string>> = Object.freeze({
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  int: 'an integer',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
});

function plainPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
}

/** Case-insensitive match among the allowed keys, for "did you mean". */
function suggestion(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  return allowed.find((a) => a.toLowerCase() === lower && a !== key);
}

export function issueProblems(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  version: 'v1beta4' | 'v1beta3',
  schema: Schema,
): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const issue of issues) {
    const path = plainPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      // The names this very mapping allows, so a hint never points at a field of another level.
      const allowed = allowedKeysAt(schema, path);
      for (const key of issue.keys) {
        out.push({ path: [...path, key], prefer: 'key', message: unknownFieldMessage(key, version, allowed) });
      }
      continue;
    }
    if (issue.code === 'invalid_type') {
      const got = valueAt(root, issue.path);
      const last = path[path.length - 1];
      let hint = '';
      if (issue.expected === 'array' && got !== null && typeof got === 'object' && !Array.isArray(got) && /ExtraArgs$|^extraArgs$/.test(String(last))) {
        hint = ': v1beta4 takes a list of "- name: <flag>" / "value: <value>" entries; a name: value map is the v1beta3 form';
      } else if (issue.expected === 'string' && (typeof got === 'number' || typeof got === 'boolean')) {
        hint = ': quote the value';
      } else if (issue.expected === 'boolean' && typeof got === 'string') {
        hint = ': write true or false without quotes';
      }
      const expected = expectedText[issue.expected] ?? issue.expected;
      out.push({ path, prefer: 'value', message: `cannot unmarshal ${describe(got)}: expected ${expected}${hint}` });
      continue;
    }
    out.push({ path, prefer: 'value', message: issue.message });
  }
  return out;
}

function unknownFieldMessage(key: string, version: 'v1beta4' | 'v1beta3', allowedHere: readonly string[]): string {
  let msg = `unknown field "${key}"`;
  const moved = movedInV1beta4[key];
  if (version === 'v1beta4' && moved !== undefined) msg += ` (${moved})`;
  else if (version === 'v1beta3' && v1beta4Only.has(key)) msg += ` (a v1beta4 field: set apiVersion: kubeadm.k8s.io/v1beta4)`;
  else if (version === 'v1beta3' && key === 'type') msg += ` (${movedInV1beta4['type']})`;
  else {
    const near = suggestion(key, allowedHere);
    if (near !== undefined) msg += ` (field names are case-sensitive: did you mean "${near}"?)`;
  }
  return msg;
}

type Schema = z.core.$ZodType;

/** Optional, nullable and defaulted wrappers do not change which keys are allowed. */
function unwrap(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: Schema };
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType !== undefined) s = def.innerType;
    else return s;
  }
}

/** The field names the schema allows at `path` (an object inside the document), or [] when it is not an object. */
function allowedKeysAt(schema: Schema, path: readonly (string | number)[]): string[] {
  let s: Schema | undefined = schema;
  for (const seg of path) {
    if (s === undefined) return [];
    const def = unwrap(s)._zod.def as { type: string; shape?: Record<string, Schema>; element?: Schema };
    s = def.type === 'object' ? def.shape?.[String(seg)] : def.type === 'array' ? def.element : undefined;
  }
  if (s === undefined) return [];
  const def = unwrap(s)._zod.def as { type: string; shape?: Record<string, Schema> };
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}
