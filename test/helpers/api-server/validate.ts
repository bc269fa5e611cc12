// What kube-apiserver checks before it stores a body: that it decodes as the path's type (400), that its
// apiVersion, kind and namespace match the path (400), and the names and fields validation rejects (422).
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../../src/api/objects.js';
import type { ResourceType } from '../../../src/api/resources.js';
import { badRequest, invalid, type FieldCause } from './status.js';

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const configKey = /^[-._a-zA-Z0-9]+$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Why a name is not valid for a type, in apimachinery's words; undefined when it is. */
export function nameProblem(t: ResourceType, name: string): string | undefined {
  if (t.apiVersion.startsWith('rbac.authorization.k8s.io/')) {
    // RBAC objects only need to be a path segment, so `system:node-bootstrapper` is fine.
    if (name === '.' || name === '..') return `may not be '${name}'`;
    for (const bad of ['/', '%']) if (name.includes(bad)) return `may not contain '${bad}'`;
    return undefined;
  }
  if (t.kind === 'Namespace') {
    if (name.length > 63) return 'must be no more than 63 characters';
    if (!label1123.test(name)) {
      return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }
    return undefined;
  }
  if (t.kind === 'Service') {
    if (name.length > 63) return 'must be no more than 63 characters';
    if (!label1035.test(name)) {
      return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    }
    return undefined;
  }
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!subdomain.test(name)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  }
  return undefined;
}

const cannotHandle = (t: ResourceType, why: string) =>
  badRequest(`${t.kind} in version "${t.apiVersion.split('/').pop() ?? ''}" cannot be handled as a ${t.kind}: ${why}`);

function checkStringMap(t: ResourceType, obj: Json, path: string, field: string): void {
  const v = obj[field];
  if (v === undefined || v === null) return;
  if (!isMap(v)) throw cannotHandle(t, `json: cannot unmarshal ${typeof v} into Go struct field ${path}.${field} of type map[string]string`);
  for (const [k, e] of Object.entries(v)) {
    if (typeof e !== 'string') throw cannotHandle(t, `json: cannot unmarshal ${typeof e} into Go struct field ${path}.${field} of type string (key "${k}")`);
  }
}

/** Where the object must live, from the request path. */
export interface Target {
  readonly namespace?: string;
  /** PUT/PATCH: the name in the URL. */
  readonly name?: string;
}

/**
 * The body of a create or update as the server would store it (namespace filled in, Secret stringData folded
 * into data, uid and creationTimestamp left to the store), or the ApiFailure kube-apiserver answers.
 */
export function admit(t: ResourceType, body: unknown, target: Target, op: 'create' | 'update'): KubeObject {
  if (!isMap(body)) throw badRequest(`the object provided is unrecognized (must be of type ${t.kind})`);
  const obj: Json = structuredClone(body);
  const apiVersion = obj['apiVersion'] ?? t.apiVersion;
  if (apiVersion !== t.apiVersion) {
    throw badRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${t.apiVersion})`);
  }
  const kind = obj['kind'] ?? t.kind;
  if (kind !== t.kind) throw badRequest(`the object provided is unrecognized (must be of type ${t.kind}): kind ${String(kind)} was given`);
  const meta: Json = obj['metadata'] === undefined ? {} : (obj['metadata'] as Json);
  if (!isMap(meta)) throw cannotHandle(t, 'json: cannot unmarshal metadata: not an object');
  checkStringMap(t, meta, `${t.kind}.metadata`, 'labels');
  checkStringMap(t, meta, `${t.kind}.metadata`, 'annotations');

  const expectedNs = t.namespaced ? target.namespace : undefined;
  const givenNs = meta['namespace'] === '' ? undefined : meta['namespace'];
  if (givenNs !== undefined && givenNs !== expectedNs) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (expectedNs === undefined) delete meta['namespace'];
  else meta['namespace'] = expectedNs;

  if (op === 'create') {
    // The server sets these itself (rest.FillObjectMetaSystemFields).
    delete meta['uid'];
    delete meta['creationTimestamp'];
    if (typeof meta['generateName'] === 'string' && (meta['name'] === undefined || meta['name'] === '')) {
      meta['name'] = meta['generateName'] + generatedSuffix();
    }
  } else if (target.name !== undefined && meta['name'] !== target.name) {
    throw badRequest(`the name of the object (${String(meta['name'] ?? '')}) does not match the name on the URL (${target.name})`);
  }
  const name = meta['name'];
  if (typeof name !== 'string' || name === '') {
    throw invalid(t, '', [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]);
  }
  const problem = nameProblem(t, name);
  if (problem !== undefined) {
    throw invalid(t, name, [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${problem}` }]);
  }
  obj['apiVersion'] = apiVersion;
  obj['kind'] = kind;
  obj['metadata'] = meta;
  if (t.kind === 'Secret') admitSecret(t, obj, name);
  if (t.kind === 'ConfigMap') admitConfigMap(t, obj, name);
  return obj as unknown as KubeObject;
}

/** apimachinery's names.SimpleNameGenerator: five characters that avoid vowels and look-alikes. */
function generatedSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

function dataKeyCauses(map: unknown, field: string): FieldCause[] {
  if (!isMap(map)) return [];
  return Object.keys(map).filter((k) => !configKey.test(k)).map((k) => ({
    field: `${field}[${k}]`, reason: 'FieldValueInvalid' as const,
    message: `Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  }));
}

function admitSecret(t: ResourceType, obj: Json, name: string): void {
  checkStringMap(t, obj, 'Secret', 'data');
  checkStringMap(t, obj, 'Secret', 'stringData');
  const data: Record<string, string> = { ...(obj['data'] as Record<string, string> | undefined) };
  for (const [k, v] of Object.entries(data)) {
    if (!base64.test(v)) throw cannotHandle(t, `illegal base64 data in Secret.data["${k}"]`);
  }
  for (const [k, v] of Object.entries((obj['stringData'] as Record<string, string> | undefined) ?? {})) {
    data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  delete obj['stringData'];
  if (Object.keys(data).length > 0) obj['data'] = data;
  obj['type'] ??= 'Opaque';
  const causes = dataKeyCauses(data, 'data');
  if (causes.length > 0) throw invalid(t, name, causes);
}

function admitConfigMap(t: ResourceType, obj: Json, name: string): void {
  checkStringMap(t, obj, 'ConfigMap', 'data');
  checkStringMap(t, obj, 'ConfigMap', 'binaryData');
  for (const [k, v] of Object.entries((obj['binaryData'] as Record<string, string> | undefined) ?? {})) {
    if (!base64.test(v)) throw cannotHandle(t, `illegal base64 data in ConfigMap.binaryData["${k}"]`);
  }
  const causes = [...dataKeyCauses(obj['data'], 'data'), ...dataKeyCauses(obj['binaryData'], 'binaryData')];
  if (causes.length > 0) throw invalid(t, name, causes);
}
