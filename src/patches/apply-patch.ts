// One patch document of any of kubeadm's three types applied to an object. kubeadm:
// util/patches/patches.go ApplyPatchesToTarget (evanphx/json-patch v4 for json and merge patches,
// apimachinery's strategicpatch for strategic ones).
import mergePatch from 'json-merge-patch';
import { applyJsonPatch } from './json-patch.js';
import { isObject, type JsonObject } from './json-value.js';
import type { PatchType } from './patch-files.js';
import type { PatchSchema } from './patch-schemas.js';
import { InvalidPatchError, strategicMerge } from './strategic-merge.js';

/** `doc` with `patch` applied; `doc` is not changed. Throws InvalidPatchError when the patch does not apply. */
export function applyPatch(doc: Readonly<JsonObject>, type: PatchType, patch: unknown, schema: PatchSchema): JsonObject {
  switch (type) {
    case 'strategic':
      return strategicMerge(doc, patch, schema);
    case 'merge':
      return applyMergePatch(doc, patch);
    case 'json':
      return applyJsonPatch(doc, patch);
  }
}

// RFC 7386. A patch that is not an object would replace the whole document; evanphx refuses a null
// one and kubeadm then fails to decode anything else, so both are refused here.
function applyMergePatch(doc: Readonly<JsonObject>, patch: unknown): JsonObject {
  if (!isObject(patch)) throw new InvalidPatchError('a merge patch must be an object (a YAML mapping)');
  return mergePatch.apply(structuredClone(doc), structuredClone(patch)) as JsonObject;
}
