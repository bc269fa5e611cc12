// PATCH bodies as kube-apiserver applies them: JSON merge patch (RFC 7386), strategic merge patch
// (with the merge keys of the Go types tskubeadm patches) and JSON patch (RFC 6902).
import type { KubeObject } from '../../../src/api/objects.js';
import { applyJsonPatch } from '../../../src/patches/json-patch.js';
import type { JsonObject } from '../../../src/patches/json-value.js';
import type { PatchSchema, SchemaField } from '../../../src/patches/patch-schemas.js';
import { deploymentSchema } from '../../../src/patches/patch-schemas.js';
import { InvalidPatchError, strategicMerge } from '../../../src/patches/strategic-merge.js';
import { badRequest, failure } from './status.js';

const byKey = (mergeKey: string): SchemaField => ({ mergeList: true, mergeKey });
const objectMeta: PatchSchema = { finalizers: { mergeList: true }, ownerReferences: byKey('uid') };

/** core/v1 Node: spec.taints has no patch strategy (a patch replaces the list); status lists merge by type. */
const nodeSchema: PatchSchema = {
  metadata: { of: objectMeta },
  status: { of: { conditions: byKey('type'), addresses: byKey('type'), volumesAttached: byKey('name') } },
};

function schemaFor(kind: string): PatchSchema {
  if (kind === 'Node') return nodeSchema;
  if (kind === 'Deployment' || kind === 'DaemonSet') return deploymentSchema;
  return { metadata: { of: objectMeta } };
}

/** RFC 7386 JSON merge patch: maps merge, null deletes, anything else (lists too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export const patchMediaTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'] as const;

/** The object after the patch; 415 for another media type, 400 for a patch that is not JSON or cannot apply. */
export function applyPatch(current: KubeObject, contentType: string, text: string): unknown {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!(patchMediaTypes as readonly string[]).includes(type)) {
    throw failure(415, 'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${patchMediaTypes.join(', ')}, application/apply-patch+yaml`);
  }
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
  try {
    if (type === 'application/merge-patch+json') {
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new InvalidPatchError('a merge patch must be a JSON object');
      return mergePatch(current, patch);
    }
    if (type === 'application/json-patch+json') return applyJsonPatch(current as unknown as JsonObject, patch);
    return strategicMerge(current as unknown as JsonObject, patch, schemaFor(current.kind));
  } catch (err) {
    if (err instanceof InvalidPatchError) throw badRequest(err.message);
    throw err;
  }
}
