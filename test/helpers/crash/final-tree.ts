// The tree a finished init leaves, as one comparable value: host path → "kind mode" plus, for files whose bytes
// do not depend on keys or time, a digest of the content with the node's API server port replaced by <port>
// (every node has its own port). Keys, certificates, kubeconfigs (they embed certificates), the emulated kubelet's
// certificate and tskubeadm's own records (journal, progress: timestamps, digests of keys) are compared by kind
// and mode only.
import { createHash } from 'node:crypto';
import { treeListing } from '../tree-listing.js';

const contentVaries = [/\.(key|crt|pub|pem|conf)$/, /^\/var\/lib\/tskubeadm\//];

export function contentCompared(hostPath: string): boolean {
  return !contentVaries.some((r) => r.test(hostPath));
}

/** Files reset restores are kept under the digest of their content, which embeds keys: named by their order instead. */
const previousCopy = /^(\/var\/lib\/tskubeadm\/previous\/)[0-9a-f]{64}$/;

export async function finalTree(root: string, port: number): Promise<Map<string, string>> {
  let previous = 0;
  return treeListing(root, {
    key: (rel) => rel.replace(previousCopy, (_, dirPart: string) => `${dirPart}<sha256 #${++previous}>`),
    content: (key, bytes) => {
      if (!contentCompared(key)) return undefined;
      const text = bytes.toString('latin1').replaceAll(String(port), '<port>');
      return createHash('sha256').update(text, 'latin1').digest('hex').slice(0, 16);
    },
  });
}

/** Human-readable differences between two trees (empty when equal). */
export function treeDifferences(want: Map<string, string>, got: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [p, v] of want) {
    const g = got.get(p);
    if (g === undefined) diffs.push(`missing ${p} (${v})`);
    else if (g !== v) diffs.push(`differs ${p}: want ${v}, got ${g}`);
  }
  for (const [p, v] of got) if (!want.has(p)) diffs.push(`extra ${p} (${v})`);
  return diffs;
}

/** Staged files an atomic write left behind: `.<name>.<pid>.<hex>.tmp`. */
export function stagedFiles(tree: Map<string, string>): string[] {
  return [...tree.keys()].filter((p) => /\/\.[^/]+\.\d+\.[0-9a-f]+\.tmp$/.test(p));
}
