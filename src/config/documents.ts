// Reading a multi-document config file the way kubeadm's reader does (apimachinery's
// YAMLReader + kubeadm's SplitConfigDocuments), while keeping line:column for messages:
// - a line starting with `---` separates documents; only spaces or a `# comment` may follow it
//   ("invalid Yaml document separator", corpus 009);
// - empty sections (consecutive or leading/trailing `---`) are skipped, but a section that holds
//   only comments or blank lines is a document without apiVersion/kind, an error (corpus 047, 049);
// - each section is parsed alone; `...` ends a YAML document (corpus 008);
// - duplicate keys are errors with their line (kubeadm decodes strictly).
import { parseAllDocuments, isMap, isScalar, isSeq, isPair, type Document, type Node as YamlNode } from 'yaml';
import type { InputProblem } from '../errors.js';

/** Where a file's lines start, to turn offsets into line:column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** One section of the file between separators, parsed. */
export interface RawDocument {
  /** 1-based among the non-empty sections, as kubeadm counts them. */
  readonly index: number;
  /** Offset of the section's first character in the file. */
  readonly offset: number;
  /** The parsed YAML; undefined when the section holds no YAML node (comments only). */
  readonly yaml: Document.Parsed | undefined;
  /** Plain data (JSON-like); undefined when the section did not parse or holds no node. */
  readonly value: unknown;
  /** True when the section had YAML errors (already reported). */
  readonly failed: boolean;
}

export interface SplitResult {
  readonly documents: readonly RawDocument[];
  readonly problems: readonly InputProblem[];
}

interface Section {
  readonly offset: number;
  readonly text: string;
}

/** Cuts the file at `---` lines as apimachinery's YAMLReader does. */
function splitSections(text: string, file: string, lines: LineIndex): { sections: Section[]; problems: InputProblem[] } {
  const sections: Section[] = [];
  const problems: InputProblem[] = [];
  let start = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    const line = text.slice(pos, end).replace(/\r?\n$/, '');
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        problems.push({
          file,
          ...lines.position(pos),
          message: `invalid Yaml document separator: ${rest}`,
        });
      }
      if (pos > start) sections.push({ offset: start, text: text.slice(start, pos) });
      start = end;
    }
    if (nl === -1) break;
    pos = end;
  }
  if (start < text.length) sections.push({ offset: start, text: text.slice(start) });
  return { sections, problems };
}

/** Splits and parses a config file. Never throws: every problem is returned with its location. */
export function splitDocuments(text: string, file: string): SplitResult {
  const lines = new LineIndex(text);
  const { sections, problems } = splitSections(text, file, lines);
  const documents: RawDocument[] = [];
  sections.forEach((section, i) => {
    const index = i + 1;
    const at = (offset: number) => ({ file, document: index, ...lines.position(section.offset + offset) });
    const parsed = parseAllDocuments(section.text, { prettyErrors: false, merge: true, uniqueKeys: true });
    const docs = Array.isArray(parsed) ? parsed : [];
    const yaml = docs[0];
    let value: unknown;
    let ok = true;
    for (const d of docs) {
      const syntax = d.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
      const first = syntax[0];
      if (first !== undefined) {
        ok = false;
        problems.push({ ...at(first.pos[0]), message: `YAML syntax error: ${yamlMessage(first.message)}` });
      }
      for (const e of d.errors.filter((x) => x.code === 'DUPLICATE_KEY')) {
        ok = false;
        problems.push({ ...at(e.pos[0]), message: duplicateKeyMessage(d, e.pos[0], section.text, (o) => lines.position(section.offset + o).line) });
      }
    }
    const extra = docs.slice(1).find((d) => d.contents !== null);
    if (extra !== undefined) {
      ok = false;
      problems.push({
        ...at(extra.range[0]),
        message: 'more YAML follows a "..." document end marker in the same section; separate documents with "---"',
      });
    }
    if (ok && yaml !== undefined && yaml.contents !== null) {
      const badKey = findNonScalarKey(yaml.contents);
      if (badKey !== undefined) {
        ok = false;
        problems.push({ ...at(badKey.range?.[0] ?? 0), message: `invalid map key: ${keyText(section.text, badKey)} (a mapping or list cannot be a key; quote the value if it is a template placeholder)` });
      }
    }
    if (ok && yaml !== undefined) {
      try {
        value = yaml.toJS({ maxAliasCount: 1000 });
      } catch (err) {
        // The yaml package refuses to expand aliases past maxAliasCount (a "billion laughs" file) by throwing.
        if (!(err instanceof ReferenceError)) throw err;
        ok = false;
        problems.push({ ...at(0), message: `YAML aliases expand too far (${yamlMessage(err.message)}); write the values out instead of nesting aliases` });
      }
    }
    documents.push({ index, offset: section.offset, yaml: ok ? yaml : undefined, value, failed: !ok });
  });
  return { documents, problems };
}

/** The library's messages end with position hints we replace by our own. */
function yamlMessage(m: string): string {
  return m.replace(/\s+at line \d+, column \d+.*$/s, '').trim();
}

function duplicateKeyMessage(doc: Document.Parsed, offset: number, text: string, lineOf: (o: number) => number): string {
  const found = findPairAt(doc.contents, offset);
  const name = found?.key ?? text.slice(offset).split(/[:\n]/)[0]!.trim();
  const firstLine = found?.firstOffset === undefined ? undefined : lineOf(found.firstOffset);
  return `key "${name}" already set in map${firstLine === undefined ? '' : ` (first set on line ${firstLine})`}`;
}

/** Finds the duplicate key starting at `offset` and the first occurrence of the same key in its map. */
function findPairAt(node: unknown, offset: number): { key: string; firstOffset?: number } | undefined {
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const k = pair.key;
      if (isScalar(k) && k.range !== undefined && k.range !== null) {
        const name = String(k.value);
        if (k.range[0] === offset) return { key: name, ...(seen.has(name) ? { firstOffset: seen.get(name)! } : {}) };
        if (!seen.has(name)) seen.set(name, k.range[0]);
      }
      const inner = findPairAt(pair.value, offset);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findPairAt(item, offset);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/** Go's YAML→JSON conversion only takes scalar keys; `{{ x }}` placeholders become map keys (corpus 050). */
function findNonScalarKey(node: unknown): YamlNode | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as YamlNode | null;
      if (k !== null && !isScalar(k)) return k;
      if (isScalar(k) && k.value === null) return k;
      const inner = findNonScalarKey(pair.value);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findNonScalarKey(item);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function keyText(text: string, node: YamlNode): string {
  const r = node.range;
  if (r === undefined || r === null) return 'a non-scalar key';
  return text.slice(r[0], r[1]).trim().split('\n')[0]!.slice(0, 60);
}

/** Where a field path points in a parsed document: the key for `key`, the value otherwise. */
export function locateNode(doc: Document.Parsed, path: readonly (string | number)[], prefer: 'key' | 'value' = 'value'): number | undefined {
  let node: unknown = doc.contents;
  let last: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return last;
      const keyStart = rangeStart(pair.key);
      if (i === path.length - 1 && prefer === 'key') return keyStart ?? last;
      node = pair.value;
      last = rangeStart(node) ?? keyStart ?? last;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      last = rangeStart(node) ?? last;
    } else {
      return last;
    }
  }
  return last;
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  return r === undefined || r === null ? undefined : r[0];
}
