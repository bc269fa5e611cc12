// From config file text to typed v1beta4-shaped documents: split (documents.ts), recognise
// apiVersion/kind (kinds.ts), check the shape strictly (zod schemas), convert v1beta3.
// Nothing is defaulted here. Every problem of every document is collected, with file,
// document, field and line:column, instead of stopping at the first as kubeadm does.
// This module loads zod: the CLI reaches it only through load.ts's dynamic import.
import type { Document } from 'yaml';
import type { z } from 'zod';
import type { InputProblem, SourceLocation } from '../errors.js';
import { locateNode, splitDocuments, LineIndex, type RawDocument } from './documents.js';
import { classifyKind, kubeadmGroup, splitApiVersion, type ComponentKind, type KubeadmKind } from './kinds.js';
import * as v4 from './schema-v1beta4.js';
import * as v3 from './schema-v1beta3.js';
import { convertCluster, convertInit, convertJoin } from './convert-v1beta3.js';
import { issueProblems } from './schema-issues.js';

export type DecodedKubeadm =
  | { readonly kind: 'InitConfiguration'; readonly doc: v4.InitConfigurationDoc }
  | { readonly kind: 'ClusterConfiguration'; readonly doc: v4.ClusterConfigurationDoc }
  | { readonly kind: 'JoinConfiguration'; readonly doc: v4.JoinConfigurationDoc }
  | { readonly kind: 'ResetConfiguration'; readonly doc: v4.ResetConfigurationDoc }
  | { readonly kind: 'UpgradeConfiguration'; readonly doc: v4.UpgradeConfigurationDoc };

export type DecodedDocument = (
  | (DecodedKubeadm & { readonly group: 'kubeadm'; readonly sourceVersion: 'v1beta4' | 'v1beta3' })
  | { readonly group: 'component'; readonly kind: ComponentKind; readonly doc: Readonly<Record<string, unknown>> }
) & {
  /** 1-based document index in the file. */
  readonly index: number;
  /** apiVersion as written in the file. */
  readonly apiVersion: string;
};

export interface DecodedDocuments {
  readonly file: string;
  /** Recognised documents whose shape is valid, in file order, converted to v1beta4 shapes. */
  readonly documents: readonly DecodedDocument[];
  /** Everything wrong with the file; empty when it decoded cleanly. */
  readonly problems: readonly InputProblem[];
  /** Non-fatal findings (deprecated v1beta3…). */
  readonly warnings: readonly string[];
  /** Where a (v1beta4) field path of a kind's document is in the file, for later messages. */
  locate(kind: string, path: readonly (string | number)[], prefer?: 'key' | 'value'): SourceLocation;
}

const schemas: Readonly<Record<'v1beta4' | 'v1beta3', Partial<Record<KubeadmKind, z.ZodType>>>> = {
  v1beta4: {
    InitConfiguration: v4.initConfiguration,
    ClusterConfiguration: v4.clusterConfiguration,
    JoinConfiguration: v4.joinConfiguration,
    ResetConfiguration: v4.resetConfiguration,
    UpgradeConfiguration: v4.upgradeConfiguration,
  },
  v1beta3: {
    InitConfiguration: v3.initConfiguration,
    ClusterConfiguration: v3.clusterConfiguration,
    JoinConfiguration: v3.joinConfiguration,
  },
};

/** Go's JSON decoding treats null as "not set": drop null members before checking shapes. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  return v;
}

/** Decodes and converts a config file's documents (not defaulted, not validated beyond shapes). */
export function readConfigDocuments(text: string, file: string): DecodedDocuments {
  const split = splitDocuments(text, file);
  const lines = new LineIndex(text);
  const problems: InputProblem[] = [...split.problems];
  const warnings: string[] = [];
  const documents: DecodedDocument[] = [];
  const rawByKind = new Map<string, RawDocument>();
  const seenKinds = new Map<string, number>();
  let legacyControlPlaneTimeout: string | undefined;
  const deprecatedKinds: string[] = [];

  const where = (raw: RawDocument, path: readonly (string | number)[], prefer: 'key' | 'value' = 'value'): SourceLocation => {
    const off = raw.yaml === undefined ? undefined : locateNode(raw.yaml as Document.Parsed, path, prefer);
    const kind = raw.value !== null && typeof raw.value === 'object' ? (raw.value as Record<string, unknown>)['kind'] : undefined;
    return {
      file, document: raw.index, ...(typeof kind === 'string' && kind !== '' ? { kind } : {}),
      ...lines.position(raw.offset + (off ?? 0)), ...(path.length > 0 ? { field: fieldPath(path) } : {}),
    };
  };

  for (const raw of split.documents) {
    if (raw.failed) continue; // its YAML errors are already reported
    const value = raw.value;
    const obj = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    // `apiVersion:` with nothing after it is null: the same as absent.
    const apiVersion = obj?.['apiVersion'] ?? undefined;
    const kind = obj?.['kind'] ?? undefined;
    if (apiVersion !== undefined && typeof apiVersion !== 'string') {
      problems.push({ ...where(raw, ['apiVersion']), message: 'apiVersion must be a string' });
      continue;
    }
    if (kind !== undefined && typeof kind !== 'string') {
      problems.push({ ...where(raw, ['kind']), message: 'kind must be a string' });
      continue;
    }
    const gv = splitApiVersion(apiVersion ?? '');
    if (gv === undefined) {
      problems.push({ ...where(raw, ['apiVersion']), message: `unexpected GroupVersion string: ${apiVersion}` });
      continue;
    }
    if (gv.group === '' || gv.version === '' || (kind ?? '') === '') {
      const what = `${gv.group}/${gv.version}, Kind=${kind ?? ''}`;
      problems.push({
        ...where(raw, []),
        message: `invalid configuration for GroupVersionKind ${what}: kind and apiVersion is mandatory information that must be specified`,
      });
      continue;
    }
    const k = kind as string;
    const av = apiVersion as string;
    const firstIndex = seenKinds.get(k);
    if (firstIndex !== undefined) {
      problems.push({ ...where(raw, ['kind']), message: `invalid configuration: kind "${k}" is specified twice in YAML file (also document ${firstIndex})` });
      continue;
    }
    seenKinds.set(k, raw.index);

    const cls = classifyKind(av, k);
    if (cls.type === 'old') {
      problems.push({
        ...where(raw, ['apiVersion']),
        message:
          `your configuration file uses an old API spec: "${av}" (kind: "${k}"). Please use kubeadm ${cls.useKubeadm} instead and run ` +
          `'kubeadm config migrate --old-config old-config-file --new-config new-config-file', which will write the new, similar spec using a newer API version.`,
      });
      continue;
    }
    if (cls.type === 'unknown') {
      const hint = gv.group === kubeadmGroup ? ' (kubeadm.k8s.io/v1beta4 has InitConfiguration, ClusterConfiguration, JoinConfiguration, ResetConfiguration and UpgradeConfiguration)' : '';
      problems.push({ ...where(raw, ['apiVersion']), message: `unknown configuration APIs: ${av} ${k}${hint}` });
      continue;
    }
    if (cls.type === 'component') {
      rawByKind.set(k, raw);
      documents.push({ group: 'component', kind: cls.kind, doc: obj ?? {}, index: raw.index, apiVersion: av });
      continue;
    }
    const schema = schemas[cls.version][cls.kind];
    if (schema === undefined) continue;
    const parsed = schema.safeParse(dropNulls(obj));
    if (!parsed.success) {
      for (const p of issueProblems(parsed.error.issues, obj ?? {}, cls.version, schema)) {
        problems.push({ ...where(raw, p.path, p.prefer), message: p.message });
      }
      continue;
    }
    rawByKind.set(k, raw);
    if (cls.version === 'v1beta3') deprecatedKinds.push(k);
    const decoded = convertDocument(cls.version, cls.kind, parsed.data);
    if (decoded.controlPlaneTimeout !== undefined) legacyControlPlaneTimeout = decoded.controlPlaneTimeout;
    documents.push({ ...decoded.decoded, group: 'kubeadm', sourceVersion: cls.version, index: raw.index, apiVersion: av } as DecodedDocument);
  }

  if (deprecatedKinds.length > 0) {
    warnings.push(
      `your configuration file uses a deprecated API spec: "kubeadm.k8s.io/v1beta3" (kind: ${deprecatedKinds.map((x) => `"${x}"`).join(', ')}). ` +
        "Please use 'tskubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.",
    );
  }

  // kubeadm moves a v1beta3 timeoutForControlPlane into the init timeouts when converting.
  if (legacyControlPlaneTimeout !== undefined) {
    for (const d of documents) {
      if (d.group === 'kubeadm' && d.kind === 'InitConfiguration' && d.sourceVersion === 'v1beta3') {
        d.doc.timeouts = { ...d.doc.timeouts, controlPlaneComponentHealthCheck: legacyControlPlaneTimeout };
      }
    }
  }

  return {
    file,
    documents,
    problems,
    warnings,
    locate(kind, path, prefer = 'value') {
      const raw = rawByKind.get(kind);
      if (raw === undefined) return { file, ...(path.length > 0 ? { field: fieldPath(path) } : {}) };
      return where(raw, path, prefer);
    },
  };
}

function convertDocument(
  version: 'v1beta4' | 'v1beta3',
  kind: KubeadmKind,
  data: unknown,
): { decoded: DecodedKubeadm; controlPlaneTimeout?: string } {
  if (version === 'v1beta4') return { decoded: { kind, doc: data } as DecodedKubeadm };
  switch (kind) {
    case 'InitConfiguration':
      return { decoded: { kind, doc: convertInit(data as v3.InitConfigurationV1beta3) } };
    case 'ClusterConfiguration': {
      const c = convertCluster(data as v3.ClusterConfigurationV1beta3);
      return { decoded: { kind, doc: c.doc }, ...(c.controlPlaneTimeout === undefined ? {} : { controlPlaneTimeout: c.controlPlaneTimeout }) };
    }
    case 'JoinConfiguration':
      return { decoded: { kind, doc: convertJoin(data as v3.JoinConfigurationV1beta3) } };
    default:
      return { decoded: { kind, doc: data } as DecodedKubeadm };
  }
}

/** `bootstrapTokens[0].token` style, as kubeadm's field paths read. */
export function fieldPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}
