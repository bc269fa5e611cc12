// An in-memory ApiClient for unit tests of the API phases: objects keyed by kind/namespace/name, the
// API's answers for the common cases (409 AlreadyExists, 404 on update/patch of a missing object,
// 409 Conflict on a stale resourceVersion), and every request recorded in order. Patches are applied as
// JSON merge patches (maps merge, lists replace); the strict HTTPS test API server
// (test/helpers/api-server) is the one with the API's full semantics.
import { ApiError } from '../../src/api/api-error.js';
import type { ApiClient, ListOptions, PatchType } from '../../src/api/client.js';
import type { KubeObject, ObjectRef } from '../../src/api/objects.js';
import { resourceOf } from '../../src/api/resources.js';
import { mergePatch } from './api-server/patch.js';

export interface RecordedRequest {
  readonly verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete';
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly body?: unknown;
  readonly patchType?: PatchType;
}

export interface MemoryApi extends ApiClient {
  readonly requests: RecordedRequest[];
  /** The stored object, or undefined. */
  stored(kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** Every stored object of a kind. */
  all(kind: string): KubeObject[];
  /** Puts an object in place without recording a request (state a test starts from). */
  seed(obj: KubeObject): void;
}

const keyOf = (kind: string, name: string, namespace?: string) => {
  const ns = resourceOf(kind).namespaced ? namespace ?? 'default' : '';
  return `${kind}/${ns}/${name}`;
};

const notFound = (ref: ObjectRef) =>
  new ApiError(404, 'NotFound', `${resourceOf(ref.kind).plural} "${ref.name}" not found`);

export function memoryApi(): MemoryApi {
  const objects = new Map<string, KubeObject>();
  const requests: RecordedRequest[] = [];
  let version = 1;
  let uid = 1;
  const store = (obj: KubeObject, existing?: KubeObject): KubeObject => {
    const metadata = {
      ...obj.metadata,
      ...(resourceOf(obj.kind).namespaced ? { namespace: obj.metadata.namespace ?? 'default' } : {}),
      uid: existing?.metadata.uid ?? `00000000-0000-0000-0000-${String(uid++).padStart(12, '0')}`,
      resourceVersion: String(version++),
    };
    const saved = structuredClone({ ...obj, metadata }) as KubeObject;
    objects.set(keyOf(obj.kind, obj.metadata.name, obj.metadata.namespace), saved);
    return structuredClone(saved);
  };
  const rec = (r: RecordedRequest) => void requests.push(structuredClone(r));
  const api: MemoryApi = {
    requests,
    stored: (kind, name, namespace) => objects.get(keyOf(kind, name, namespace)),
    all: (kind) => [...objects.values()].filter((o) => o.kind === kind),
    seed: (obj) => void store(obj),
    get: async (ref) => {
      rec({ verb: 'get', ...ref });
      const o = objects.get(keyOf(ref.kind, ref.name, ref.namespace));
      return o === undefined ? undefined : structuredClone(o);
    },
    list: async (kind, namespace, opts: ListOptions = {}) => {
      rec({ verb: 'list', kind, ...(namespace === undefined ? {} : { namespace }), ...(opts.fieldSelector ? { body: opts } : {}) });
      return [...objects.values()]
        .filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace))
        .filter((o) => matchesFieldSelector(o, opts.fieldSelector))
        .map((o) => structuredClone(o));
    },
    create: async (obj) => {
      rec({ verb: 'create', kind: obj.kind, name: obj.metadata.name, ...(obj.metadata.namespace === undefined ? {} : { namespace: obj.metadata.namespace }), body: obj });
      if (objects.has(keyOf(obj.kind, obj.metadata.name, obj.metadata.namespace))) {
        throw new ApiError(409, 'AlreadyExists', `${resourceOf(obj.kind).plural} "${obj.metadata.name}" already exists`);
      }
      return store(obj);
    },
    update: async (obj) => {
      rec({ verb: 'update', kind: obj.kind, name: obj.metadata.name, ...(obj.metadata.namespace === undefined ? {} : { namespace: obj.metadata.namespace }), body: obj });
      const existing = objects.get(keyOf(obj.kind, obj.metadata.name, obj.metadata.namespace));
      if (existing === undefined) throw notFound({ kind: obj.kind, name: obj.metadata.name });
      const rv = obj.metadata.resourceVersion;
      if (rv !== undefined && rv !== existing.metadata.resourceVersion) {
        throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${resourceOf(obj.kind).plural} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
      }
      return store(obj, existing);
    },
    patch: async (ref, patch, type) => {
      rec({ verb: 'patch', ...ref, body: patch, patchType: type });
      const existing = objects.get(keyOf(ref.kind, ref.name, ref.namespace));
      if (existing === undefined) throw notFound(ref);
      return store(mergePatch(existing, patch) as KubeObject, existing);
    },
    delete: async (ref) => {
      rec({ verb: 'delete', ...ref });
      return objects.delete(keyOf(ref.kind, ref.name, ref.namespace));
    },
  };
  return api;
}

/** `a=b,c=d` field selectors on top-level string fields and metadata (enough for `type=…`). */
function matchesFieldSelector(o: KubeObject, selector: string | undefined): boolean {
  if (selector === undefined || selector === '') return true;
  return selector.split(',').every((term) => {
    const [path, want] = term.split('=') as [string, string];
    let v: unknown = o;
    for (const p of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
    return v === want;
  });
}
