// The API requests a real kubeadm (v1.35.0-alpha.0) printed under --dry-run for init-dry-run.config.yaml, cut out
// of ../shared/reference/kubeadm-observed/init-dry-run.txt, and the requests the in-memory API recorded in the
// same shape, so a test compares the two lists directly.
import { readFileSync } from 'node:fs';
import { resourceOf } from '../../src/api/resources.js';
import { toGoYaml } from '../../src/config/encode.js';
import { observedDir } from '../kubelet/reference.js';
import type { RecordedRequest } from './memory-api.js';
import { sharedPath } from './shared.js';

export interface ShownRequest {
  /** GET, LIST, CREATE, UPDATE, PATCH, DELETE */
  readonly verb: string;
  /** The resource's plural: "secrets". */
  readonly resource: string;
  readonly name?: string;
  /** The attached object as kubeadm printed it (YAML, ending with a newline); writes only. */
  readonly body?: string;
}

const actionLine = /^\[dryrun\] Would perform action (\w+) on resource "([^"]+)"/;
const nameLine = /^\[dryrun\] Resource name "([^"]*)"/;

/** init-dry-run.txt from the first line starting with `from` up to (not including) the next one starting with `to`. */
export function observedSection(from: string, to: string): string[] {
  const all = readFileSync(sharedPath(`${observedDir}/init-dry-run.txt`), 'utf8').split('\n');
  const start = all.findIndex((l) => l.startsWith(from));
  const end = all.findIndex((l, i) => i > start && l.startsWith(to));
  if (start === -1 || end === -1) throw new Error(`init-dry-run.txt has no section from "${from}" to "${to}"`);
  return all.slice(start, end);
}

/** The requests kubeadm printed between the first line starting with `from` and the next starting with `to`. */
export function observedRequests(from: string, to: string): ShownRequest[] {
  const lines = observedSection(from, to);
  const out: ShownRequest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = actionLine.exec(lines[i]!);
    if (m === null) continue;
    let name: string | undefined;
    let body: string | undefined;
    for (let j = i + 1; j < lines.length && !actionLine.test(lines[j]!); j++) {
      const n = nameLine.exec(lines[j]!);
      if (n !== null) name = n[1];
      if (lines[j] === '[dryrun] Attached object:') {
        const yaml: string[] = [];
        for (let k = j + 1; k < lines.length && lines[k] !== ''; k++) yaml.push(lines[k]!);
        body = `${yaml.join('\n')}\n`;
        break;
      }
    }
    // kubeadm attaches the object it read to a GET of a node; only writes carry what was sent.
    out.push({ verb: m[1]!, resource: m[2]!, ...(name === undefined ? {} : { name }), ...(body === undefined || m[1] === 'GET' ? {} : { body }) });
  }
  return out;
}

/** Every request of the whole init, from the first phase that talks to the API to the closing message. */
export const allObservedRequests = (): ShownRequest[] => observedRequests('[upload-config]', 'Your Kubernetes control-plane');

/** The object kubeadm created of a resource and name (the first such CREATE), as printed. */
export function observedCreate(resource: string, name: string): string {
  const named = new RegExp(`^  name: ${name}$`, 'm');
  const hit = allObservedRequests().find((r) => r.verb === 'CREATE' && r.resource === resource && r.body !== undefined && named.test(r.body));
  if (hit === undefined) throw new Error(`init-dry-run.txt shows no CREATE of ${resource} ${name}`);
  return hit.body!;
}

/** What the in-memory API recorded, in kubeadm's printed shape (bodies in Go's YAML layout). */
export function shownAs(requests: readonly RecordedRequest[]): ShownRequest[] {
  return requests.map((r) => {
    const verb = r.verb.toUpperCase();
    const withBody = (verb === 'CREATE' || verb === 'UPDATE' || verb === 'PATCH') && r.body !== undefined;
    const named = verb === 'GET' || verb === 'PATCH' || verb === 'DELETE';
    return {
      verb,
      resource: resourceOf(r.kind).plural,
      ...(named && r.name !== undefined ? { name: r.name } : {}),
      ...(withBody ? { body: toGoYaml(r.body as Record<string, unknown>) } : {}),
    };
  });
}
