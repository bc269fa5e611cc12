// kubeadm's apiclient idempotency helpers (util/apiclient/idempotency.go): what a re-run of init does
// with an object that already exists.
import { isAlreadyExists } from './api-error.js';
import type { ApiClient } from './client.js';
import { refOf, type KubeObject } from './objects.js';

/** Create, or replace the existing object (CreateOrUpdate*): the usual case for kubeadm's own objects. */
export async function createOrUpdate(api: ApiClient, obj: KubeObject): Promise<KubeObject> {
  try {
    return await api.create(obj);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const current = await api.get(refOf(obj));
  const resourceVersion = current?.metadata.resourceVersion;
  return api.update({ ...obj, metadata: { ...obj.metadata, ...(resourceVersion === undefined ? {} : { resourceVersion }) } });
}

/** Create, or leave the existing object as it is (CreateOrRetain*): for objects users may have edited. */
export async function createOrRetain(api: ApiClient, obj: KubeObject): Promise<KubeObject> {
  try {
    return await api.create(obj);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    return (await api.get(refOf(obj))) ?? obj;
  }
}
