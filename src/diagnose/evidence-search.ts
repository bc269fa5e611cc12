// Finding lines in collected evidence: the kubelet's journal, the runtime's answers and the
// control-plane containers' log tails, quoted short enough to print.
import { outputOf, type Evidence } from './evidence.js';

const maxQuote = 220;

/** A line cut to what matters: ~220 characters around the match. */
export function quote(line: string, re?: RegExp): string {
  const t = line.trim();
  if (t.length <= maxQuote) return t;
  const at = re === undefined ? -1 : t.search(re);
  const from = at < 0 ? t.length - maxQuote : Math.max(0, Math.min(at - 60, t.length - maxQuote));
  return `${from > 0 ? '…' : ''}${t.slice(from, from + maxQuote)}${from + maxQuote < t.length ? '…' : ''}`;
}

/** The last `max` lines of `text` matching `re`, quoted. The newest lines say the most. */
export function lastMatching(text: string, re: RegExp, max = 1): string[] {
  const hits = text.split('\n').filter((l) => re.test(l));
  return hits.slice(-max).map((l) => quote(l, re));
}

/** Sources to search, each with a label for the quoted line. */
export function searchable(e: Evidence): { readonly label: string; readonly text: string }[] {
  return [
    { label: 'kubelet journal', text: outputOf(e.kubelet.journal) },
    { label: 'systemctl status kubelet', text: outputOf(e.kubelet.status) },
    { label: 'crictl ps -a', text: outputOf(e.containers.list) },
    ...e.containers.logs.map((l) => ({ label: `${l.container.name} log`, text: outputOf(l.run) })),
  ];
}

/** "<source>: <line>" for the sources whose text matches `re`, at most `max` in all. */
export function seenIn(e: Evidence, re: RegExp, max = 2, only?: (label: string) => boolean): string[] {
  const out: string[] = [];
  for (const s of searchable(e)) {
    if (only !== undefined && !only(s.label)) continue;
    for (const l of lastMatching(s.text, re)) if (out.length < max) out.push(`${s.label}: ${l}`);
  }
  return out;
}

/** The last non-empty line of a text, quoted. */
export function lastLine(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const l = lines[lines.length - 1];
  return l === undefined ? undefined : quote(l);
}
