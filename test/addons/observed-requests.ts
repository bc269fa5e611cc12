// The API requests a real kubeadm (v1.35.0-alpha.0) printed under --dry-run for init-dry-run.config.yaml,
// cut out of ../shared/reference/kubeadm-observed/init-dry-run.txt, and the same requests as the
// in-memory API recorded them, in the same shape, so a test compares the two lists directly.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { resourceOf } from '../../src/api/resources.js';
import type { RecordedRequest } from '../helpers/memory-api.js';
import { sharedPath } from '../helpers/shared.js';
import { observedDir } from '../kubelet/reference.js';

export interface ShownRequest {
  /** GET, LIST, CREATE, UPDATE, PATCH, DELETE */
  readonly verb: string;
  /** The resource's plural: "secrets". */
  readonly resource: string;
  readonly name?: string;
  /** The attached object as kubeadm printed it (YAML, ending with a newline). */
  readonly body?: string;
}

const actionLine = /^\[dryrun\] Would perform action (\w+) on resource "([^"]+)"/;
const nameLine = /^\[dryrun\] Resource name "([^"]*)"/;

/** The requests kubeadm printed between the first line starting with `from` and the first starting with `to`. */
export function observedRequests(from: string, to: string): ShownRequest[] {
  const all = readFileSync(sharedPath(`${observedDir}/init-dry-run.txt`), 'utf8').split('\n');
  const start = all.findIndex((l) => l.startsWith(from));
  const end = all.findIndex((l, i) => i > start && l.startsWith(to));
  if (start === -1 || end === -1) throw new Error(`init-dry-run.txt has no section from "${from}" to "${to}"`);
  const lines = all.slice(start, end);
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
    // kubeadm attaches the object it read to a GET/PATCH of a node; only writes carry what was sent.
    out.push({ verb: m[1]!, resource: m[2]!, ...(name === undefined ? {} : { name }), ...(body === undefined || m[1] === 'GET' ? {} : { body }) });
  }
  return out;
}

/**
 * Go's YAML layout (sigs.k8s.io/yaml): src/config/encode.ts toGoYaml's options plus `blockQuote: 'literal'`,
 * because Go writes every multi-line string as a literal block where `yaml` folds one with a long line.
 * toGoYaml itself lacks that option so far; addons.test.ts has a `todo` test that passes once it has it.
 */
export function goYaml(obj: unknown): string {
  return stringify(obj, { version: '1.1', indentSeq: false, sortMapEntries: true, blockQuote: 'literal' });
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
      ...(withBody ? { body: goYaml(r.body) } : {}),
    };
  });
}
