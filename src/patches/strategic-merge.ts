// Kubernetes' strategic merge patch, as apimachinery's strategicpatch.StrategicMergePatch applies
// it (MergeParallelList and IgnoreUnmatchedNulls on): objects merge key by key, null deletes a key,
// lists replace unless the schema marks them merged (by a merge key, or as a set of scalars), and
// the directives $patch (replace/delete, in objects and list items), $retainKeys,
// $deleteFromPrimitiveList/<field> and $setElementOrder/<field> are honoured. New list items come
// first and kept ones keep their relative order, exactly as apimachinery orders a merged list.
// There is no maintained JavaScript implementation; this one follows the Go code's behaviour.
import { fieldOf, hasOwn, isObject, put, type JsonObject } from './json-value.js';
import type { PatchSchema, SchemaField } from './patch-schemas.js';

/** The patch cannot be applied (bad directive, missing merge key…): the user's patch is at fault. */
export class InvalidPatchError extends Error {}
InvalidPatchError.prototype.name = 'InvalidPatchError';

const directive = '$patch';
const retainKeys = '$retainKeys';
const deletePrefix = '$deleteFromPrimitiveList';
const orderPrefix = '$setElementOrder';

/** `original` with the strategic merge patch applied; neither input is changed. A null patch (a
 *  document that is only a comment) changes nothing, as in kubeadm. */
export function strategicMerge(original: Readonly<JsonObject>, patch: unknown, schema: PatchSchema): JsonObject {
  const base = structuredClone(original) as JsonObject;
  if (patch === null) return base;
  if (!isObject(patch)) throw new InvalidPatchError('a strategic merge patch must be an object (a YAML mapping)');
  return mergeObject(base, structuredClone(patch), schema);
}

function mergeObject(orig: JsonObject, patch: JsonObject, schema: PatchSchema): JsonObject {
  if (hasOwn(patch, directive)) return objectDirective(patch);
  applyRetainKeys(orig, patch);
  applyElementOrders(orig, patch, schema);
  for (const [rawKey, value] of Object.entries(patch)) {
    const deleteList = rawKey.startsWith(deletePrefix);
    const key = deleteList ? keyAfter(rawKey, deletePrefix) : rawKey;
    if (value === null) {
      delete orig[key];
      continue;
    }
    const current = hasOwn(orig, key) ? orig[key] : undefined;
    if (current === undefined || kindOf(current) !== kindOf(value)) {
      if (deleteList) continue;
      discardNulls(value);
      const kept = stripDirectives(value);
      if (kept.keep) put(orig, key, kept.value);
      else delete orig[key];
      continue;
    }
    const field = fieldOf(schema, key);
    if (isObject(current)) put(orig, key, mergeObject(current, value as JsonObject, field?.of ?? {}));
    else if (Array.isArray(current)) put(orig, key, mergeListField(current, value as unknown[], field, deleteList));
    else put(orig, key, value);
  }
  return orig;
}

function objectDirective(patch: JsonObject): JsonObject {
  const d = patch[directive];
  if (d === 'replace') {
    delete patch[directive];
    return patch;
  }
  if (d === 'delete') return {};
  throw new InvalidPatchError(`unknown directive "$patch: ${String(d)}" in an object: use replace or delete`);
}

function applyRetainKeys(orig: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, retainKeys)) return;
  const list = patch[retainKeys];
  delete patch[retainKeys];
  if (!Array.isArray(list)) throw new InvalidPatchError(`${retainKeys} must be a list of field names`);
  const keep = new Set<unknown>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deletePrefix) || k.startsWith(orderPrefix)) continue;
    if (!keep.has(k)) throw new InvalidPatchError(`the patch sets "${k}" but its ${retainKeys} list does not name it`);
  }
  for (const k of Object.keys(orig)) if (!keep.has(k)) delete orig[k];
}

/** `$setElementOrder/<field>`: merges that field's list now and orders it as the directive says. */
function applyElementOrders(orig: JsonObject, patch: JsonObject, schema: PatchSchema): void {
  for (const rawKey of Object.keys(patch)) {
    if (!rawKey.startsWith(orderPrefix)) continue;
    const order = patch[rawKey];
    delete patch[rawKey];
    if (!Array.isArray(order)) throw new InvalidPatchError(`${rawKey} must be a list`);
    const key = keyAfter(rawKey, orderPrefix);
    const origList = listAt(orig, key);
    const patchList = listAt(patch, key);
    const field = fieldOf(schema, key);
    const mergeKey = field?.mergeKey ?? '';
    checkOrderCoversPatch(patchList ?? [], order, mergeKey, rawKey);
    let merged: unknown[];
    if (origList !== undefined && patchList !== undefined) merged = mergeListField(origList, patchList, field, false);
    else if (origList !== undefined) merged = origList;
    else if (patchList !== undefined) merged = stripDirectives(patchList).value as unknown[];
    else continue;
    const [listed, others] = partition(merged, order, mergeKey);
    const kind = elementKind(origList ?? [], patchList ?? []);
    put(orig, key, normalizeOrder(listed, others, order, origList ?? [], mergeKey, kind));
    delete patch[key];
  }
}

function listAt(obj: JsonObject, key: string): unknown[] | undefined {
  if (!hasOwn(obj, key)) return undefined;
  const v = obj[key];
  if (!Array.isArray(v)) throw new InvalidPatchError(`"${key}" must be a list to be ordered by ${orderPrefix}/${key}`);
  return v;
}

/** The patch's items (deletions aside) must appear in the order list, in the same relative order
 *  (apimachinery's validatePatchWithSetOrderList, quirks included). */
function checkOrderCoversPatch(patchList: readonly unknown[], order: readonly unknown[], mergeKey: string, name: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey === '' ? patchList : patchList.filter((p) => !(isObject(p) && p[directive] === 'delete'));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && hasOwn(item, directive)) {
      p++;
      continue;
    }
    if (mergeKey !== '' && !(isObject(item) && hasOwn(item, mergeKey))) throw missingMergeKey(item, mergeKey);
    if (mergeKey !== '' && !(isObject(order[o]) && hasOwn(order[o] as JsonObject, mergeKey))) throw missingMergeKey(order[o], mergeKey);
    if (sameItem(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) throw new InvalidPatchError(`the list's items are not in the order ${name} gives, or are missing from it`);
}

function mergeListField(current: unknown[], patch: unknown[], field: SchemaField | undefined, deleteList: boolean): unknown[] {
  if (field?.mergeList !== true && !deleteList) return patch;
  return mergeList(current, patch, field?.mergeKey ?? '', field?.of ?? {}, deleteList);
}

function mergeList(orig: unknown[], patch: unknown[], mergeKey: string, itemSchema: PatchSchema, deleteList: boolean): unknown[] {
  if (orig.length === 0 && patch.length === 0) return orig;
  const kind = elementKind(orig, patch);
  let base = orig;
  let items = patch;
  let merged: unknown[];
  if (kind !== 'object') {
    if (deleteList) return orig.filter((v) => !patch.includes(v));
    merged = [...new Set([...orig, ...patch])];
  } else {
    if (mergeKey === '') throw new InvalidPatchError('cannot merge a list of objects that has no merge key');
    ({ base, items } = listDirectives(orig, patch, mergeKey));
    merged = mergeItems(base, items, mergeKey, itemSchema);
  }
  const [inPatch, serverOnly] = partition(merged, items, mergeKey);
  return normalizeOrder(inPatch, serverOnly, items, base, mergeKey, kind);
}

/** `$patch: delete` items remove their match; one `$patch: replace` item makes the rest the whole list. */
function listDirectives(orig: unknown[], patch: unknown[], mergeKey: string): { base: unknown[]; items: unknown[] } {
  const plain: unknown[] = [];
  let base = orig;
  let replace = false;
  for (const item of patch as JsonObject[]) {
    if (!hasOwn(item, directive)) {
      plain.push(item);
      continue;
    }
    const d = item[directive];
    if (d === 'delete') {
      if (!hasOwn(item, mergeKey)) throw missingMergeKey(item, mergeKey);
      base = base.filter((e) => !sameItem(e, item, mergeKey));
    } else if (d === 'replace') {
      replace = true;
    } else if (d === 'merge') {
      throw new InvalidPatchError('"$patch: merge" is not supported in a list');
    } else {
      throw new InvalidPatchError(`unknown directive "$patch: ${String(d)}" in a list item: use replace or delete`);
    }
  }
  return replace ? { base: plain, items: [] } : { base, items: plain };
}

function mergeItems(base: unknown[], items: unknown[], mergeKey: string, schema: PatchSchema): unknown[] {
  const out = [...base];
  for (const item of items as JsonObject[]) {
    if (!hasOwn(item, mergeKey)) throw missingMergeKey(item, mergeKey);
    const at = out.findIndex((e) => sameItem(e, item, mergeKey));
    if (at >= 0) out[at] = mergeObject(out[at] as JsonObject, item, schema);
    else out.push(item);
  }
  return out;
}

function missingMergeKey(item: unknown, mergeKey: string): InvalidPatchError {
  return new InvalidPatchError(`a list item has no "${mergeKey}", the key its list merges on: ${JSON.stringify(item)}`);
}

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

function kindOf(v: unknown): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : (typeof v as Kind);
}

function elementKind(...lists: readonly unknown[][]): Kind {
  let kind: Kind | undefined;
  for (const v of lists.flat()) {
    const k = kindOf(v);
    if (k === 'array') throw new InvalidPatchError('lists of lists cannot be merged');
    if (kind !== undefined && k !== kind) throw new InvalidPatchError('a merged list mixes items of different types');
    kind = k;
  }
  if (kind === undefined) throw new InvalidPatchError('cannot order a list that is empty in both the target and the patch');
  return kind;
}

/** Scalars compare by value, objects by their merge key (apimachinery's index()). */
function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return a === b;
  if (!isObject(a)) throw new InvalidPatchError(`a list merged on "${mergeKey}" holds an item that is not an object: ${JSON.stringify(a)}`);
  return isObject(b) && a[mergeKey] === b[mergeKey];
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string, kind: Kind): number {
  const keyOf = (v: unknown) => (kind === 'object' ? (isObject(v) ? v[mergeKey] : undefined) : v);
  const wanted = keyOf(item);
  return list.findIndex((v) => keyOf(v) === wanted);
}

/** [items found in `by`, the others], each in `list`'s order. */
function partition(list: readonly unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const found: unknown[] = [];
  const rest: unknown[] = [];
  for (const v of list) {
    if (mergeKey !== '' && !(isObject(v) && hasOwn(v, mergeKey))) throw missingMergeKey(v, mergeKey);
    (by.some((b) => sameItem(v, b, mergeKey)) ? found : rest).push(v);
  }
  return [found, rest];
}

/** The patch's items in the patch's order, the target's other items in the target's order, interleaved
 *  so each of those keeps its place relative to the patch items it came before (apimachinery's
 *  normalizeElementOrder and mergeSortedSlice). */
function normalizeOrder(
  inPatch: unknown[], serverOnly: unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string, kind: Kind,
): unknown[] {
  const right = sortByOrder(inPatch, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexIn(serverOrder, left[i], mergeKey, kind);
    const ri = indexIn(serverOrder, right[j], mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

function sortByOrder(items: unknown[], order: readonly unknown[], mergeKey: string, kind: Kind): unknown[] {
  let kept = items;
  let deletions: unknown[] = [];
  if (kind === 'object') {
    for (const v of [...items, ...order]) if (!(isObject(v) && hasOwn(v, mergeKey))) throw missingMergeKey(v, mergeKey);
    kept = items.filter((v) => (v as JsonObject)[directive] !== 'delete');
    deletions = items.filter((v) => (v as JsonObject)[directive] === 'delete');
  }
  const ranked = kept.map((v, n) => ({ v, n, at: indexIn(order, v, mergeKey, kind) }));
  ranked.sort((a, b) => a.at - b.at || a.n - b.n);
  return [...ranked.map((r) => r.v), ...deletions];
}

function keyAfter(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw new InvalidPatchError(`"${key}" must have the form ${prefix}/<field>`);
  return key.slice(slash + 1);
}

/** Nulls inside a value the target did not have mean nothing (IgnoreUnmatchedNulls). */
function discardNulls(v: unknown): void {
  if (Array.isArray(v)) {
    for (const e of v) discardNulls(e);
  } else if (isObject(v)) {
    for (const [k, e] of Object.entries(v)) {
      if (e === null) delete v[k];
      else discardNulls(e);
    }
  }
}

/** A value copied from the patch loses the objects that carry a $patch directive. */
function stripDirectives(v: unknown): { keep: boolean; value: unknown } {
  if (Array.isArray(v)) {
    return { keep: true, value: v.flatMap((e) => { const r = stripDirectives(e); return r.keep ? [r.value] : []; }) };
  }
  if (!isObject(v)) return { keep: true, value: v };
  if (hasOwn(v, directive)) return { keep: false, value: undefined };
  for (const [k, e] of Object.entries(v)) {
    const r = stripDirectives(e);
    if (r.keep) put(v, k, r.value);
    else delete v[k];
  }
  return { keep: true, value: v };
}
