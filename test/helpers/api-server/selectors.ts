// List filters: fieldSelector over the fields each type supports, and labelSelector with equality,
// inequality, existence and set (in/notin) requirements. Anything else is a 400, as on a real server.
import type { KubeObject } from '../../../src/api/objects.js';
import type { ResourceType } from '../../../src/api/resources.js';
import { badRequest } from './status.js';

export type Filter = (obj: KubeObject) => boolean;

const everything: Filter = () => true;

/** The field labels a type can be selected by, and how to read them. */
function fieldReader(t: ResourceType, label: string): ((o: KubeObject) => string) | undefined {
  if (label === 'metadata.name') return (o) => o.metadata.name;
  if (label === 'metadata.namespace' && t.namespaced) return (o) => o.metadata.namespace ?? '';
  if (t.kind === 'Secret' && label === 'type') return (o) => String(o['type'] ?? '');
  if (t.kind === 'Node' && label === 'spec.unschedulable') return (o) => String((o['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable ?? false);
  if (t.kind === 'CertificateSigningRequest' && label === 'spec.signerName') return (o) => String((o['spec'] as { signerName?: string } | undefined)?.signerName ?? '');
  return undefined;
}

export function fieldSelector(t: ResourceType, text: string | null): Filter {
  if (text === null || text.trim() === '') return everything;
  const terms = text.split(',').map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (m === null) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const read = fieldReader(t, m[1]!.trim());
    if (read === undefined) throw badRequest(`field label not supported: ${m[1]!.trim()}`);
    const want = m[3]!.trim();
    return m[2] === '!=' ? (o: KubeObject) => read(o) !== want : (o: KubeObject) => read(o) === want;
  });
  return (o) => terms.every((f) => f(o));
}

/** Splits at commas outside parentheses: `a in (x,y),b=c` is two requirements. */
function requirements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

export function labelSelector(text: string | null): Filter {
  if (text === null || text.trim() === '') return everything;
  const labels = (o: KubeObject) => o.metadata.labels ?? {};
  const terms = requirements(text).map((req): Filter => {
    let m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(req);
    if (m !== null) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === '!=' ? (o) => labels(o)[key] !== value : (o) => labels(o)[key] === value;
    }
    m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m !== null) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = new Set(list.split(',').map((v) => v.trim()));
      return op === 'in' ? (o) => values.has(labels(o)[key] ?? '\u0000') : (o) => !values.has(labels(o)[key] ?? '\u0000');
    }
    m = /^(!?)([\w./-]+)$/.exec(req);
    if (m !== null) {
      const [, not, key] = m as unknown as [string, string, string];
      return not === '!' ? (o) => labels(o)[key] === undefined : (o) => labels(o)[key] !== undefined;
    }
    throw badRequest(`unable to parse requirement: found '${req}', expected: a label selector requirement`);
  });
  return (o) => terms.every((f) => f(o));
}
