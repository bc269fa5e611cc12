// What a request asks for, read from its method and path as kube-apiserver's RequestInfoFactory
// reads them: authorization decides on these attributes before any object is looked up.

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface NonResourceRequest {
  readonly isResource: false;
  readonly path: string;
  /** The lower-cased HTTP method (`get`, `post`…). */
  readonly verb: string;
}

export interface ResourceRequest {
  readonly isResource: true;
  readonly path: string;
  readonly verb: Verb;
  /** `v1`, `apps/v1`… as in an object's apiVersion. */
  readonly apiVersion: string;
  readonly group: string;
  readonly plural: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  /** Path segments past the subresource: no such path exists. */
  readonly trailing: boolean;
}

export type RequestInfo = NonResourceRequest | ResourceRequest;

/** Subresources of a namespace that keep /namespaces/<ns>/… from being read as a namespaced path. */
const namespaceSubresources = new Set(['status', 'finalize']);

export function requestInfo(method: string, path: string, watch: boolean): RequestInfo {
  const parts = path.split('/').filter((p) => p !== '').map(decodeSegment);
  const nonResource: NonResourceRequest = { isResource: false, path, verb: method.toLowerCase() };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return nonResource;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  const name = rest[1];
  return {
    isResource: true,
    path,
    verb: verbOf(method, name !== undefined, watch),
    apiVersion: group === '' ? version : `${group}/${version}`,
    group,
    plural: rest[0]!,
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
    ...(rest[2] === undefined ? {} : { subresource: rest[2] }),
    trailing: rest.length > 3,
  };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function verbOf(method: string, named: boolean, watch: boolean): Verb {
  switch (method) {
    case 'GET': return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return named ? 'delete' : 'deletecollection';
    default: return 'get';
  }
}
