// RFC 6902 JSON patches as kubeadm applies them (gopkg.in/evanphx/json-patch.v4), on top of
// fast-json-patch. v4 is more lenient than the RFC, and patches written for kubeadm rely on it:
// - "replace" of a key an object does not have adds it;
// - "test" with a null or missing value passes when the target is null or missing;
// - "add", "replace" and "test" without a "value" use null;
// - list indexes may be negative (counted from the end) or written "+1"/"01";
// - only "replace" may name the whole document (path "").
// Each operation is adjusted to those rules against the document as it is at that point, then
// applied by fast-json-patch with validation on.
import jsonPatch from 'fast-json-patch';
import { hasOwn, isObject, type JsonObject } from './json-value.js';
import { InvalidPatchError } from './strategic-merge.js';

const operationNames = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/** `doc` with the JSON patch applied; `doc` is not changed. A null patch (a comment-only document)
 *  has no operations. Throws InvalidPatchError. */
export function applyJsonPatch(doc: Readonly<JsonObject>, patch: unknown): JsonObject {
  let current: unknown = structuredClone(doc);
  if (patch === null) return current as JsonObject;
  if (!Array.isArray(patch)) throw new InvalidPatchError('a JSON patch must be a list of operations ([{"op": …, "path": …}])');
  patch.forEach((raw, i) => {
    const which = `operation ${i + 1} (${JSON.stringify(raw)})`;
    const op = asV4Operation(current, raw, which);
    if (op === undefined) return;
    try {
      current = jsonPatch.applyPatch(current, [op], true, true, true).newDocument;
    } catch (err) {
      if (err instanceof jsonPatch.JsonPatchError) throw new InvalidPatchError(`${which} ${reasons[err.name] ?? err.message.split('\n')[0]}`, { cause: err });
      throw err;
    }
  });
  if (!isObject(current)) throw new InvalidPatchError('the JSON patch replaced the whole document with something that is not an object');
  return current;
}

/** The operation fast-json-patch should run for evanphx v4's result; undefined when it is a test v4 passes. */
function asV4Operation(doc: unknown, raw: unknown, which: string): jsonPatch.Operation | undefined {
  if (!isObject(raw)) throw new InvalidPatchError(`${which} is not an object`);
  const op: JsonObject = { ...raw };
  const name = op['op'];
  if (typeof name !== 'string' || !operationNames.includes(name)) {
    throw new InvalidPatchError(`${which} has no valid "op": use one of ${operationNames.join(', ')}`);
  }
  if (typeof op['path'] !== 'string') throw new InvalidPatchError(`${which} has no "path"`);
  if ((op['path'] === '' && name !== 'replace') || op['from'] === '') throw new InvalidPatchError(`${which} cannot apply to the whole document`);
  if ((name === 'add' || name === 'replace' || name === 'test') && !hasOwn(op, 'value')) op['value'] = null;
  const adds = name === 'add' || name === 'move' || name === 'copy';
  op['path'] = withListIndex(doc, op['path'] as string, adds, which);
  if (typeof op['from'] === 'string') op['from'] = withListIndex(doc, op['from'], false, which);
  const target = lookup(doc, op['path'] as string);
  if (name === 'replace' && target.parent !== undefined && isObject(target.parent) && !target.found) op['op'] = 'add';
  if (name === 'test' && op['value'] === null && (!target.found || target.value === null)) return undefined;
  return op as unknown as jsonPatch.Operation;
}

/** The pointer with its last token rewritten as v4 reads list indexes (Go's Atoi, negatives from the end). */
function withListIndex(doc: unknown, pointer: string, adding: boolean, which: string): string {
  const cut = pointer.lastIndexOf('/');
  if (cut < 0) return pointer;
  const { found, value: parent } = lookup(doc, pointer.slice(0, cut));
  const token = pointer.slice(cut + 1);
  if (!found || !Array.isArray(parent) || token === '-' || !/^[+-]?\d+$/.test(token)) return pointer;
  let index = Number(token);
  const size = adding ? parent.length + 1 : parent.length;
  if (index < 0) {
    if (index < -size) throw new InvalidPatchError(`${which} uses the list index ${token}, before the start of the list`);
    index += size;
  }
  return `${pointer.slice(0, cut)}/${index}`;
}

/** The value at a JSON pointer, and its parent, without throwing. */
function lookup(doc: unknown, pointer: string): { found: boolean; value?: unknown; parent?: unknown } {
  if (pointer === '') return { found: true, value: doc };
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent: unknown;
  let value: unknown = doc;
  for (const [n, token] of tokens.entries()) {
    parent = value;
    if (Array.isArray(parent) && /^\d+$/.test(token) && Number(token) < parent.length) value = parent[Number(token)];
    else if (isObject(parent) && hasOwn(parent, token)) value = parent[token];
    else return n === tokens.length - 1 ? { found: false, parent } : { found: false };
  }
  return { found: true, value, parent };
}

const reasons: Readonly<Record<string, string>> = {
  OPERATION_PATH_INVALID: 'has no valid "path" (a JSON pointer such as /spec/containers/0/image)',
  OPERATION_FROM_REQUIRED: 'needs a "from" path',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'has a value that cannot be represented',
  OPERATION_PATH_CANNOT_ADD: 'adds below a path that does not exist',
  OPERATION_PATH_UNRESOLVABLE: 'names a path that does not exist',
  OPERATION_FROM_UNRESOLVABLE: 'has a "from" path that does not exist',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'uses an invalid list index',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'uses a list index past the end of the list',
  TEST_OPERATION_FAILED: 'is a test that failed: the value at its path differs',
};
