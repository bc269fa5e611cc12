// The text side of reset's kubeconfig step: which entries of a user's kubeconfig go once its clusters are
// chosen, and the file without them, every other byte kept where the YAML allows it.
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, parse, type Document } from 'yaml';

export const kubeconfigLists = ['clusters', 'contexts', 'users'] as const;
export type ListKey = (typeof kubeconfigLists)[number];

/** Indexes (in file order) of the entries to take out of each list, and whether current-context goes too. */
export interface KubeconfigRemoval {
  readonly remove: Readonly<Record<ListKey, ReadonlySet<number>>>;
  readonly clearCurrentContext: boolean;
}

export type Entry = { readonly name?: unknown; readonly cluster?: unknown; readonly context?: unknown };
export type KubeconfigValue = Readonly<Record<string, unknown>> | null;

/** Our clusters, the contexts naming them, and the users only those contexts name. */
export function planRemoval(value: KubeconfigValue, ourClusters: ReadonlySet<number>): KubeconfigRemoval {
  const clusters = listOf(value, 'clusters');
  const kept = new Set(clusters.filter((_, i) => !ourClusters.has(i)).map((c) => c.name));
  // A name shared with a cluster that stays cannot tell which one a context means: such contexts stay.
  const gone = new Set(clusters.filter((c, i) => ourClusters.has(i) && !kept.has(c.name)).map((c) => c.name));
  const contexts = listOf(value, 'contexts');
  const field = (c: Entry, f: string) => (isRecord(c.context) ? c.context[f] : undefined);
  const ctxGone = new Set(contexts.flatMap((c, i) => (gone.has(field(c, 'cluster')) ? [i] : [])));
  const usersOf = (keep: boolean) => new Set(contexts.filter((_, i) => ctxGone.has(i) !== keep).map((c) => field(c, 'user')));
  const [goneUsers, keptUsers] = [usersOf(false), usersOf(true)];
  const users = listOf(value, 'users').flatMap((u, i) => (goneUsers.has(u.name) && !keptUsers.has(u.name) ? [i] : []));
  const current = value?.['current-context'];
  return {
    remove: { clusters: ourClusters, contexts: ctxGone, users: new Set(users) },
    clearCurrentContext: typeof current === 'string' && current !== '' &&
      contexts.some((c, i) => ctxGone.has(i) && c.name === current),
  };
}

/**
 * The file without the removed entries. The removed items are cut out of the text, so every other byte
 * (comments, quoting, key order, indentation) stays; when the result does not parse to exactly the intended
 * value (flow-style lists, unusual layouts), it is re-rendered from the YAML document instead.
 */
export function editKubeconfig(text: string, doc: Document, r: KubeconfigRemoval): string {
  const want = applyRemoval(doc.toJS() as KubeconfigValue, r);
  const cut = cutText(text, doc, r);
  if (cut !== undefined) {
    try {
      if (isDeepStrictEqual(parse(cut), want)) return cut;
    } catch {
      // fall through to the re-rendered document
    }
  }
  const d = doc.clone();
  for (const k of kubeconfigLists) {
    const seq = d.get(k, true);
    if (isSeq(seq)) seq.items = seq.items.filter((_, i) => !r.remove[k].has(i));
  }
  if (r.clearCurrentContext) d.set('current-context', '');
  return d.toString({ indentSeq: false, lineWidth: 0 });
}

function cutText(text: string, doc: Document, r: KubeconfigRemoval): string | undefined {
  const edits: { start: number; end: number; insert: string }[] = [];
  if (!isMap(doc.contents)) return undefined;
  for (const k of kubeconfigLists) {
    if (r.remove[k].size === 0) continue;
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === k);
    const seq = pair?.value;
    if (!isSeq(seq) || seq.flow === true) return undefined;
    for (const [i, item] of seq.items.entries()) {
      if (!r.remove[k].has(i)) continue;
      const range = (item as { range?: [number, number, number] }).range;
      if (range === undefined) return undefined;
      edits.push({ start: lineStart(text, range[0]), end: range[2], insert: '' });
    }
    if (r.remove[k].size === seq.items.length) {
      // An emptied list is written `[]` (kubectl's clients read a null list as empty, other tools may not).
      const keyEnd = isScalar(pair?.key) ? pair.key.range?.[1] : undefined;
      const colon = keyEnd === undefined ? -1 : text.indexOf(':', keyEnd);
      if (keyEnd === undefined || colon < 0 || text.slice(keyEnd, colon).trim() !== '') return undefined;
      edits.push({ start: colon + 1, end: colon + 1, insert: ' []' });
    }
  }
  if (r.clearCurrentContext) {
    const node = doc.get('current-context', true);
    if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
    edits.push({ start: node.range[0], end: node.range[1], insert: '""' });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function applyRemoval(value: KubeconfigValue, r: KubeconfigRemoval): KubeconfigValue {
  if (value === null) return value;
  const next: Record<string, unknown> = { ...value };
  for (const k of kubeconfigLists) {
    const list = value[k];
    if (Array.isArray(list) && r.remove[k].size > 0) next[k] = list.filter((_, i) => !r.remove[k].has(i));
  }
  if (r.clearCurrentContext) next['current-context'] = '';
  return next;
}

/** Nothing left but the header and empty defaults: the file was only a copy of this cluster's admin.conf. */
export function isEmptyKubeconfig(value: KubeconfigValue): boolean {
  if (value === null || value === undefined) return true;
  const blank = (v: unknown) => v === null || v === undefined || v === '' ||
    (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
  return Object.entries(value).every(([k, v]) => k === 'apiVersion' || k === 'kind' || blank(v));
}

export function listOf(value: KubeconfigValue, k: ListKey): Entry[] {
  const list = value?.[k];
  return Array.isArray(list) ? list.map((e) => (isRecord(e) ? (e as Entry) : {})) : [];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
