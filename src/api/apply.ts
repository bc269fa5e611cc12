// kubeadm's apiclient idempotency helpers (util/apiclient/idempotency.go): what a re-run of init does
// with an object that already exists.
import { isAlreadyExists, isConflict } from './api-error.js';
import type { ApiClient } from './client.js';
import { refOf, type KubeObject } from './objects.js';

/** The created object, or undefined when one of that name exists already. */
async function createIfAbsent(api: ApiClient, obj: KubeObject): Promise<KubeObject | undefined> {
  try {
    return await api.create(obj);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    return undefined;
  }
}

/** Create, or replace the existing object (CreateOrUpdate*): the usual case for kubeadm's own objects. */
export async function createOrUpdate(api: ApiClient, obj: KubeObject): Promise<KubeObject> {
  const created = await createIfAbsent(api, obj);
  if (created !== undefined) return created;
  const current = await api.get(refOf(obj));
  const resourceVersion = current?.metadata.resourceVersion;
  return api.update({ ...obj, metadata: { ...obj.metadata, ...(resourceVersion === undefined ? {} : { resourceVersion }) } });
}

/** Create, or leave the existing object as it is (CreateOrRetain*): for objects users may have edited. */
export async function createOrRetain(api: ApiClient, obj: KubeObject): Promise<KubeObject> {
  return (await createIfAbsent(api, obj)) ?? (await api.get(refOf(obj))) ?? obj;
}

/** client-go's retry.DefaultRetry tries 5 times. */
const conflictRetries = 5;

/**
 * Create, or change the existing object with `mutate` and update it (CreateOrMutateConfigMap). The update carries
 * the resourceVersion read, so a concurrent change is a Conflict: read and mutate again.
 */
export async function createOrMutate(api: ApiClient, obj: KubeObject, mutate: (existing: KubeObject) => KubeObject): Promise<KubeObject> {
  const created = await createIfAbsent(api, obj);
  if (created !== undefined) return created;
  for (let attempt = 1; ; attempt++) {
    const existing = await api.get(refOf(obj));
    // Deleted in between: create it after all.
    if (existing === undefined) return api.create(obj);
    try {
      return await api.update(mutate(existing));
    } catch (err) {
      if (!isConflict(err) || attempt >= conflictRetries) throw err;
    }
  }
}
