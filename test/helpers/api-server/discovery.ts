// Discovery documents for the resource table (what @kubernetes/client-node's KubernetesObjectApi and
// kubectl ask before their first request per apiVersion), plus /version. Only the kinds tskubeadm uses exist.
import { resourceTypes } from '../../../src/api/resources.js';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const groupVersions = (): string[] => [...new Set(resourceTypes.map((t) => t.apiVersion))];

function resourceList(groupVersion: string): object | undefined {
  const types = resourceTypes.filter((t) => t.apiVersion === groupVersion);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: types.map((t) => ({ name: t.plural, singularName: t.kind.toLowerCase(), namespaced: t.namespaced, kind: t.kind, verbs })),
  };
}

function apiGroup(name: string): object {
  const versions = groupVersions().filter((gv) => gv.startsWith(`${name}/`)).map((gv) => ({ groupVersion: gv, version: gv.split('/')[1]! }));
  return { name, versions, preferredVersion: versions[0] };
}

/** The discovery answer for a non-resource GET path, or undefined when the path is not a discovery path. */
export function discovery(path: string, serverAddress: string): object | undefined {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }
  if (p === '/api/v1') return resourceList('v1');
  const groups = [...new Set(groupVersions().filter((gv) => gv.includes('/')).map((gv) => gv.split('/')[0]!))];
  if (p === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) };
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(p);
  if (m !== null && groups.includes(m[1]!)) {
    return m[2] === undefined ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(m[1]!) } : resourceList(`${m[1]!}/${m[2]}`);
  }
  if (p === '/version') {
    return { major: '1', minor: '35', gitVersion: 'v1.35.0', gitCommit: 'test-api-server', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.24', compiler: 'gc', platform: 'linux/amd64' };
  }
  return undefined;
}
