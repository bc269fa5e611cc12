// The API objects a real kubeadm (v1.35.0-alpha.0) printed for init-dry-run.config.yaml, cut out of
// ../shared/reference/kubeadm-observed/init-dry-run.txt: each `[dryrun] Attached object:` block after a request line.
import { readFileSync } from 'node:fs';
import { sharedPath } from '../helpers/shared.js';
import { observedDir } from '../kubelet/reference.js';

export interface ObservedRequest {
  /** e.g. `CREATE`, `GET`, `PATCH`. */
  readonly action: string;
  /** e.g. `configmaps`. */
  readonly resource: string;
  /** The object's YAML exactly as printed, ending with a newline. */
  readonly yaml: string;
}

/** Every request with an attached object, in the order kubeadm printed them. */
export function observedRequests(): ObservedRequest[] {
  const lines = readFileSync(sharedPath(`${observedDir}/init-dry-run.txt`), 'utf8').split('\n');
  const found: ObservedRequest[] = [];
  let request: { action: string; resource: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const m = /^\[dryrun\] Would perform action (\w+) on resource "([^"]+)"/.exec(lines[i]!);
    if (m) request = { action: m[1]!, resource: m[2]! };
    if (lines[i] !== '[dryrun] Attached object:' || request === undefined) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== ''; i++) body.push(lines[i]!);
    found.push({ ...request, yaml: `${body.join('\n')}\n` });
    request = undefined;
  }
  return found;
}

/** The created object of a kind and name (the first such CREATE). */
export function observedCreate(resource: string, name: string): string {
  const hit = observedRequests().find((r) => r.action === 'CREATE' && r.resource === resource && new RegExp(`^  name: ${name}$`, 'm').test(r.yaml));
  if (hit === undefined) throw new Error(`init-dry-run.txt shows no CREATE of ${resource} ${name}`);
  return hit.yaml;
}
