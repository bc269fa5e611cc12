// The server's objects, as etcd would hold them: one map keyed by resource, namespace and name,
// a global resourceVersion counter, and uid/creationTimestamp set on first write. Every object
// goes in and out as a deep copy, so no caller can change stored state by holding a reference.
import { randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../../../src/api/objects.js';
import type { ResourceType } from '../../../src/api/resources.js';
import { resourceOf } from '../../../src/api/resources.js';
import { rfc3339 } from '../../../src/config/rfc3339.js';

/** The namespaces every cluster starts with. */
export const initialNamespaces = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

export interface Store {
  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Objects of a type in one namespace (undefined: all), in etcd's key order (namespace, name). */
  list(t: ResourceType, namespace: string | undefined): KubeObject[];
  /** Stores a new object: uid, creationTimestamp (unless given) and a new resourceVersion. */
  insert(obj: KubeObject): KubeObject;
  /** Replaces a stored object, keeping its uid and creationTimestamp, with a new resourceVersion. */
  replace(obj: KubeObject): KubeObject;
  remove(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  namespaceExists(name: string): boolean;
  /** The latest resourceVersion handed out, as lists report it. */
  resourceVersion(): string;
}

const keyOf = (t: ResourceType, namespace: string | undefined, name: string) =>
  `${t.kind}\u0000${t.namespaced ? namespace ?? '' : ''}\u0000${name}`;

const copy = <T>(v: T): T => structuredClone(v);

export function memoryStore(clock: () => Date): Store {
  const objects = new Map<string, KubeObject>();
  let version = 0;

  const save = (obj: KubeObject, meta: Partial<ObjectMeta>): KubeObject => {
    const t = resourceOf(obj.kind);
    const saved: KubeObject = copy({ ...obj, metadata: { ...obj.metadata, ...meta, resourceVersion: String(++version) } });
    objects.set(keyOf(t, saved.metadata.namespace, saved.metadata.name), saved);
    return copy(saved);
  };

  const store: Store = {
    get: (t, namespace, name) => {
      const found = objects.get(keyOf(t, namespace, name));
      return found === undefined ? undefined : copy(found);
    },
    list: (t, namespace) => {
      const all = [...objects.values()].filter((o) => o.kind === t.kind && (namespace === undefined || o.metadata.namespace === namespace));
      const order = (o: KubeObject) => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
      return all.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)).map(copy);
    },
    insert: (obj) => save(obj, {
      uid: randomUUID(),
      creationTimestamp: obj.metadata.creationTimestamp ?? rfc3339(clock()),
    }),
    replace: (obj) => {
      const t = resourceOf(obj.kind);
      const old = objects.get(keyOf(t, obj.metadata.namespace, obj.metadata.name));
      if (old === undefined) throw new Error(`replace of a missing ${obj.kind} ${obj.metadata.name}`);
      return save(obj, {
        ...(old.metadata.uid === undefined ? {} : { uid: old.metadata.uid }),
        ...(old.metadata.creationTimestamp === undefined ? {} : { creationTimestamp: old.metadata.creationTimestamp }),
      });
    },
    remove: (t, namespace, name) => {
      const key = keyOf(t, namespace, name);
      const found = objects.get(key);
      objects.delete(key);
      return found === undefined ? undefined : copy(found);
    },
    namespaceExists: (name) => objects.has(keyOf(resourceOf('Namespace'), undefined, name)),
    resourceVersion: () => String(version),
  };

  for (const name of initialNamespaces) {
    store.insert({
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  return store;
}
