// The ApiClient of --dry-run: sends nothing and prints, per request, kubeadm's dry-run lines
// (util/apiclient/dryrun.go LogAction/LogObject, as kubeadm v1.35 printed them in init-dry-run.txt), plus
// the HTTP method and path the real client would use. Reads are answered as kubeadm's dry-run getter does:
// a Node exists (mark-control-plane waits for it), nothing else does.
import { createHash } from 'node:crypto';
import { toGoYaml } from '../config/encode.js';
import type { Output } from '../output/output.js';
import { goQuote } from '../output/go-quote.js';
import { applyPatch } from '../patches/apply-patch.js';
import { patchContentTypes } from '../patches/patch-files.js';
import type { ApiClient, ListOptions, PatchType } from './client.js';
import { refOf, type KubeObject, type ObjectRef } from './objects.js';
import { apiGroupText, resourceOf, resourcePath, type ResourceType } from './resources.js';

export interface DryRunClientOptions {
  /** The node this run registers: only it exists. Absent: a Node of any name exists. */
  readonly nodeName?: string;
}

type Verb = 'CREATE' | 'GET' | 'LIST' | 'UPDATE' | 'PATCH' | 'DELETE';
const methods: Readonly<Record<Verb, string>> = { CREATE: 'POST', GET: 'GET', LIST: 'GET', UPDATE: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE' };

/** kubeadm's dry-run answer to a GET of a Node (dryrun.go getNode), with the zero-valued status Go prints. */
export function dryRunNode(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name },
      annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'dry-run-cri-socket' },
    },
    spec: {},
    status: {
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        architecture: '', bootID: '', containerRuntimeVersion: '', kernelVersion: '', kubeProxyVersion: '',
        kubeletVersion: '', machineID: '', operatingSystem: '', osImage: '', systemUUID: '',
      },
    },
  };
}

export function dryRunClient(out: Output, o: DryRunClientOptions = {}): ApiClient {
  const announce = (verb: Verb, t: ResourceType, path: string, named?: ObjectRef, detail = ''): void => {
    out.info(`[dryrun] Would perform action ${verb} on resource ${goQuote(t.plural)} in API group "${apiGroupText(t)}"`);
    if (named !== undefined) out.info(`[dryrun] Resource name ${goQuote(named.name)}, namespace ${goQuote(named.namespace ?? '')}`);
    out.info(`[dryrun] Request: ${methods[verb]} ${path}${detail}`);
  };
  // LogObject: the YAML, then the blank line Println adds after it.
  const attach = (label: string, doc: Readonly<Record<string, unknown>>): void => {
    out.info(`[dryrun] ${label}:`);
    out.info(toGoYaml(doc));
  };
  const absent = (verb: 'GET' | 'LIST'): void =>
    out.info(`[dryrun] Real object does not exist. Attempting to ${verb} from followup reactors or from the fake client tracker`);
  const nodeExists = (name: string): boolean => o.nodeName === undefined || o.nodeName === name;
  const stored = (obj: KubeObject): KubeObject => ({
    ...obj,
    metadata: { ...obj.metadata, uid: fakeUid(obj), resourceVersion: '1' },
  });

  return {
    async get(ref) {
      const t = resourceOf(ref.kind);
      announce('GET', t, resourcePath(t, ref.namespace, ref.name), ref);
      if (t.kind === 'Node' && nodeExists(ref.name)) {
        const node = dryRunNode(ref.name);
        attach('Attached object', node);
        return node;
      }
      absent('GET');
      return undefined;
    },
    async list(kind, namespace, opts: ListOptions = {}) {
      const t = resourceOf(kind);
      announce('LIST', t, `${resourcePath(t, namespace)}${queryOf(opts)}`);
      absent('LIST');
      return [];
    },
    async create(obj) {
      const t = resourceOf(obj.kind);
      announce('CREATE', t, resourcePath(t, obj.metadata.namespace));
      attach('Attached object', obj);
      return stored(obj);
    },
    async update(obj) {
      const t = resourceOf(obj.kind);
      announce('UPDATE', t, resourcePath(t, obj.metadata.namespace, obj.metadata.name));
      attach('Attached object', obj);
      return stored(obj);
    },
    async patch(ref, patch, type) {
      const t = resourceOf(ref.kind);
      announce('PATCH', t, resourcePath(t, ref.namespace, ref.name), ref, ` (${patchContentTypes[type]})`);
      // kubeadm prints the unpatched fake Node here; the patch is what would be sent, so it is shown instead.
      attach('Attached patch', patch);
      const base: KubeObject = t.kind === 'Node'
        ? dryRunNode(ref.name)
        : { apiVersion: t.apiVersion, kind: t.kind, metadata: { name: ref.name, ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }) } };
      return stored(patched(base, patch, type));
    },
    async delete(ref) {
      const t = resourceOf(ref.kind);
      announce('DELETE', t, resourcePath(t, ref.namespace, ref.name), ref);
      return true;
    },
  };
}

/** What the server would answer to the patch (strategic merge without list keys: lists are replaced). */
function patched(base: KubeObject, patch: Readonly<Record<string, unknown>>, type: PatchType): KubeObject {
  try {
    return applyPatch(base, type, patch, {}) as unknown as KubeObject;
  } catch {
    return base;
  }
}

function queryOf(opts: ListOptions): string {
  const q = new URLSearchParams();
  if (opts.fieldSelector) q.set('fieldSelector', opts.fieldSelector);
  if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** A stable uid per object (UUID layout), so dry-run output that shows it (ownerReferences) does not change between runs. */
function fakeUid(obj: KubeObject): string {
  const r = refOf(obj);
  const h = createHash('sha256').update(`${obj.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
