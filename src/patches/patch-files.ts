// What a file in a --patches directory means: its name says the target and the patch type
// (`target[suffix][+patchtype].{json,yaml}`), its text holds one or more patch documents.
// kubeadm: util/patches/patches.go parseFilename, createPatchSet.
import { parse, type ParseOptions, type DocumentOptions, type SchemaOptions } from 'yaml';
import { patchTargets, type PatchTarget } from './patch-set.js';

export const patchTypes = ['json', 'merge', 'strategic'] as const;
export type PatchType = (typeof patchTypes)[number];

/** The content type kubeadm names in its `[patches] Applied patch of type …` lines. */
export const patchContentTypes: Readonly<Record<PatchType, string>> = Object.freeze({
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
});

export const patchExtensions = ['json', 'yaml'] as const;

export type PatchFileName =
  | { readonly kind: 'patch'; readonly target: PatchTarget; readonly type: PatchType }
  /** Not a patch file: kubeadm prints a line and skips it. */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** A patch file with a broken `+type`: kubeadm stops. */
  | { readonly kind: 'invalid'; readonly reason: string };

// kubeadm matches the target at the start only, so `etcd-backup.yaml` is an etcd patch with the suffix
// "-backup", and anything after the patch type is ignored (`etcd+jsonX.yaml` is a JSON patch).
const namePattern = new RegExp(`^(${patchTargets.join('|')})([^.+\\n]*)(\\+)?(${patchTypes.join('|')})?`);
const extensionPattern = new RegExp(`.\\.(${patchExtensions.join('|')})$`);

/** What a file name (no directory) means for --patches. */
export function parsePatchFileName(name: string): PatchFileName {
  if (!extensionPattern.test(name)) {
    return { kind: 'ignored', reason: `its extension is not one of ${patchExtensions.map((e) => `.${e}`).join(', ')}` };
  }
  const m = namePattern.exec(name);
  if (m === null) return { kind: 'ignored', reason: `its name does not start with a patch target (${patchTargets.join(', ')})` };
  const target = m[1] as PatchTarget;
  if (m[3] !== undefined && m[4] === undefined) {
    const after = name.slice(m[0].length).replace(/\.[^.]*$/, '');
    return {
      kind: 'invalid',
      reason: `${after === '' ? 'no patch type' : `unknown patch type "${after}"`} after "+" in the file name: use one of ${patchTypes.join(', ')}`,
    };
  }
  return { kind: 'patch', target, type: (m[4] as PatchType | undefined) ?? 'strategic' };
}

/** One patch document of a file. */
export interface PatchDocument {
  /** 1-based among the file's non-empty documents. */
  readonly index: number;
  /** 1-based line of the document's first line in the file. */
  readonly line: number;
  /** The document's text, trimmed. */
  readonly text: string;
}

export class PatchFileSyntaxError extends Error {
  readonly line: number;
  readonly column: number | undefined;
  constructor(message: string, line: number, column?: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}
PatchFileSyntaxError.prototype.name = 'PatchFileSyntaxError';

/** Splits a patch file at `---` lines as apimachinery's YAMLReader does: a line starting with `---`
 *  ends a document and may be followed only by spaces or a comment; blank documents are dropped. */
export function splitPatchDocuments(text: string): PatchDocument[] {
  const docs: PatchDocument[] = [];
  const lines = text.split('\n');
  let current: string[] = [];
  let startLine = 1;
  const flush = (nextStart: number) => {
    const body = current.join('\n').trim();
    if (body !== '') {
      const leading = current.findIndex((l) => l.trim() !== '');
      docs.push({ index: docs.length + 1, line: startLine + leading, text: body });
    }
    current = [];
    startLine = nextStart;
  };
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        throw new PatchFileSyntaxError(`line ${i + 1} starts with "---" but has "${rest}" after it; a document separator line may only hold "---" and a comment`, i + 1);
      }
      flush(i + 2);
      return;
    }
    current.push(line);
  });
  flush(lines.length + 1);
  return docs;
}

// sigs.k8s.io/yaml reads patches as YAML 1.1 (yes/on → true, 0600 octal) but, unlike the `yaml`
// package's 1.1 schema, keeps timestamps and base-60 numbers (12:30) as strings.
const yamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  customTags: (tags) => tags.filter((t) => {
    const tag = t as { tag?: string; format?: string };
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
  }),
};

/** A patch document as JSON data, as kubeadm converts it (YAML or JSON text). */
export function decodePatchDocument(doc: PatchDocument): unknown {
  let value: unknown;
  try {
    value = parse(doc.text, yamlOptions);
  } catch (err) {
    const pos = (err as { linePos?: readonly { line: number; col: number }[] }).linePos?.[0];
    const message = ((err as Error).message.split('\n')[0] ?? 'unreadable').replace(/ at line \d+, column \d+:?$/, '');
    throw new PatchFileSyntaxError(
      `document ${doc.index} is neither valid YAML nor JSON: ${message}`,
      doc.line + (pos === undefined ? 0 : pos.line - 1), pos?.col,
    );
  }
  const bad = nonJsonValue(value);
  if (bad !== undefined) throw new PatchFileSyntaxError(`document ${doc.index} holds ${bad}, which JSON cannot represent`, doc.line);
  return value ?? null;
}

function nonJsonValue(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `the number ${v}`;
  if (Array.isArray(v)) {
    for (const e of v) {
      const bad = nonJsonValue(e);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (v instanceof Uint8Array) return 'binary data';
  if (typeof v === 'object' && v !== null) {
    for (const e of Object.values(v)) {
      const bad = nonJsonValue(e);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}
