// What the API phases and the token commands need from a Kubernetes API server: a small typed
// surface over plain objects. Implementations: the real one over @kubernetes/client-node
// (real-client.ts, loaded lazily), the dry-run one that prints each request and sends none
// (dry-run-client.ts), and in-memory fakes in tests.
import type { KubeObject, ObjectRef } from './objects.js';

export type PatchType = 'strategic' | 'merge';

export interface ListOptions {
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
}

/**
 * Every method throws ApiError (src/api/api-error.ts) for an error answer, after the client's own
 * retries of transient failures (connection refused/reset, 429, 5xx) ran out or the API timeout passed.
 */
export interface ApiClient {
  /** The object, or undefined when the server says 404 NotFound. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Objects of a kind in one namespace (undefined: cluster-scoped kinds, or all namespaces). */
  list(kind: string, namespace: string | undefined, opts?: ListOptions): Promise<KubeObject[]>;
  /** POST; 409 AlreadyExists is thrown as ApiError with reason 'AlreadyExists'. */
  create(obj: KubeObject): Promise<KubeObject>;
  /** PUT; with metadata.resourceVersion a stale object gets 409 Conflict, without it the update is unconditional. */
  update(obj: KubeObject): Promise<KubeObject>;
  /** PATCH with a strategic-merge or JSON merge patch. */
  patch(ref: ObjectRef, patch: Readonly<Record<string, unknown>>, type: PatchType): Promise<KubeObject>;
  /** DELETE; false when the object did not exist. */
  delete(ref: ObjectRef): Promise<boolean>;
}
