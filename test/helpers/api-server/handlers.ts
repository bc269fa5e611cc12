// The resource verbs over the store, with kube-apiserver's answers: GET/LIST, POST (201), PUT, PATCH,
// DELETE, and the failures each can give (404, 409, 422, 400, 415, 405, 500 for a resourceVersion on create).
import type { KubeObject } from '../../../src/api/objects.js';
import { resourceOf, resourceTypes, type ResourceType } from '../../../src/api/resources.js';
import type { UserInfo } from './auth.js';
import { checkCsr } from './csr.js';
import { applyPatch } from './patch.js';
import { nodeWriteDenied } from './rbac.js';
import type { ResourceRequest } from './request-info.js';
import { fieldSelector, labelSelector } from './selectors.js';
import {
  alreadyExists, badRequest, conflict, failure, groupOf, internalError, methodNotAllowed, notFound, pathNotFound, success,
} from './status.js';
import type { Store } from './store.js';
import { admit } from './validate.js';

export interface Call {
  readonly info: ResourceRequest;
  readonly user: UserInfo;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly body: string;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Namespaces that can never be deleted. */
const immortal = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export async function handleResource(store: Store, call: Call): Promise<Answer> {
  const { info } = call;
  const t = resourceTypes.find((x) => x.apiVersion === info.apiVersion && x.plural === info.plural);
  if (t === undefined || info.subresource !== undefined || info.trailing) throw pathNotFound();
  // /api/v1/namespaces/<name> names the namespace itself; RequestInfo calls that its namespace too.
  const namespace = t.namespaced ? info.namespace : undefined;
  if (!t.namespaced && info.namespace !== undefined && t.kind !== 'Namespace') throw pathNotFound();
  if (t.namespaced && namespace === undefined && info.verb !== 'list') {
    throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
  const name = info.name ?? '';
  switch (info.verb) {
    case 'get': {
      const obj = store.get(t, namespace, name);
      if (obj === undefined) throw notFound(t, name);
      return { status: 200, body: obj };
    }
    case 'list': return { status: 200, body: list(store, t, namespace, call.query) };
    case 'create': return create(store, t, namespace, call);
    case 'update': return update(store, t, namespace, name, call);
    case 'patch': return patch(store, t, namespace, name, call);
    case 'delete': return remove(store, t, namespace, name);
    default: throw methodNotAllowed(`${info.verb} is not supported by the test API server`);
  }
}

function list(store: Store, t: ResourceType, namespace: string | undefined, query: URLSearchParams): object {
  const byField = fieldSelector(t, query.get('fieldSelector'));
  const byLabel = labelSelector(query.get('labelSelector'));
  // A real list omits apiVersion and kind on its items.
  const items = store.list(t, namespace).filter((o) => byField(o) && byLabel(o)).map(({ apiVersion: _v, kind: _k, ...rest }) => rest);
  return { kind: `${t.kind}List`, apiVersion: t.apiVersion, metadata: { resourceVersion: store.resourceVersion() }, items };
}

function decode(call: Call): unknown {
  const type = call.contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== '' && type !== 'application/json' && type !== '*/*') {
    throw failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  try {
    return JSON.parse(call.body);
  } catch (err) {
    throw badRequest(`the object provided is unrecognized: ${(err as Error).message}`);
  }
}

async function create(store: Store, t: ResourceType, namespace: string | undefined, call: Call): Promise<Answer> {
  if (namespace !== undefined && !store.namespaceExists(namespace)) throw notFound(resourceOf('Namespace'), namespace);
  const raw = decode(call);
  let obj = admit(t, raw, namespace === undefined ? {} : { namespace }, 'create');
  // As the storage layer: a version parsing as 0 ("0", kubeadm's Service template) means unset.
  if (obj.metadata.resourceVersion !== undefined && obj.metadata.resourceVersion !== '' && obj.metadata.resourceVersion !== '0') {
    throw internalError('resourceVersion should not be set on objects to be created');
  }
  if (t.kind === 'CertificateSigningRequest') {
    await checkCsr(t, obj);
    // The API records who asked; status is the controllers' to write.
    const { status: _status, ...rest } = obj;
    obj = { ...rest, spec: { ...(obj['spec'] as object), username: call.user.name, groups: call.user.groups } };
  }
  const denied = nodeWriteDenied(call.user, obj);
  if (denied !== undefined) throw denied;
  if (store.get(t, obj.metadata.namespace, obj.metadata.name) !== undefined) throw alreadyExists(t, obj.metadata.name);
  return { status: 201, body: store.insert(obj) };
}

function existing(store: Store, t: ResourceType, namespace: string | undefined, name: string): KubeObject {
  const found = store.get(t, namespace, name);
  if (found === undefined) throw notFound(t, name);
  return found;
}

function checkedReplace(store: Store, t: ResourceType, current: KubeObject, next: KubeObject, user: UserInfo): Answer {
  const rv = next.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(t, current.metadata.name);
  let obj = next;
  if (t.kind === 'CertificateSigningRequest') obj = { ...next, spec: current['spec'], status: current['status'] };
  const denied = nodeWriteDenied(user, obj);
  if (denied !== undefined) throw denied;
  return { status: 200, body: store.replace(obj) };
}

function update(store: Store, t: ResourceType, namespace: string | undefined, name: string, call: Call): Answer {
  const raw = decode(call);
  const current = existing(store, t, namespace, name);
  const obj = admit(t, raw, { ...(namespace === undefined ? {} : { namespace }), name }, 'update');
  return checkedReplace(store, t, current, obj, call.user);
}

function patch(store: Store, t: ResourceType, namespace: string | undefined, name: string, call: Call): Answer {
  const current = existing(store, t, namespace, name);
  const patched = applyPatch(current, call.contentType, call.body) as KubeObject;
  if (patched.kind !== current.kind || patched.apiVersion !== current.apiVersion) {
    throw badRequest('the patch may not change the object\'s apiVersion or kind');
  }
  const obj = admit(t, patched, { ...(namespace === undefined ? {} : { namespace }), name }, 'update');
  return checkedReplace(store, t, current, obj, call.user);
}

function remove(store: Store, t: ResourceType, namespace: string | undefined, name: string): Answer {
  if (t.kind === 'Namespace' && immortal.has(name)) {
    throw failure(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
  }
  const gone = store.remove(t, namespace, name);
  if (gone === undefined) throw notFound(t, name);
  if (t.kind === 'Namespace') {
    for (const other of resourceTypes.filter((x) => x.namespaced)) {
      for (const o of store.list(other, name)) store.remove(other, name, o.metadata.name);
    }
  }
  const group = groupOf(t);
  return { status: 200, body: success({ name, ...(group === '' ? {} : { group }), kind: t.plural, ...(gone.metadata.uid === undefined ? {} : { uid: gone.metadata.uid }) }) };
}
