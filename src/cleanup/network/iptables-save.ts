// Reading iptables-save's text and planning the removal of the cluster's chains from it: every KUBE-* chain
// (kube-proxy's and the kubelet's) is flushed and deleted, and every rule of another chain that jumps or goes
// to one is deleted first. The plan is iptables-restore input built from iptables-save's own rule lines, so
// matches and quoting round-trip exactly and nothing else in the table is touched (restore runs --noflush).
// Pure: no host access.

/** The tables kube-proxy and the kubelet write to; raw is included in case a future version does. */
export const clusterTables: readonly string[] = ['nat', 'filter', 'mangle', 'raw'];

export interface SavedRule {
  readonly chain: string;
  /** The rule as iptables-save printed it, `-A CHAIN …`. */
  readonly line: string;
  /** The chain or target after -j/--jump or -g/--goto, when there is one. */
  readonly target?: string;
}

export interface SavedTable {
  readonly name: string;
  /** Chains in the order iptables-save declared them (built-in ones included). */
  readonly chains: readonly string[];
  readonly rules: readonly SavedRule[];
}

export interface TablePlan {
  readonly table: string;
  /** Rules of non-cluster chains that jump to a cluster chain: deleted first. */
  readonly unlink: readonly SavedRule[];
  /** Cluster chains: flushed, then deleted. */
  readonly chains: readonly string[];
}

/** kube-proxy's and the kubelet's chains all carry this prefix; on a node being reset they are the cluster's. */
export function isClusterChain(name: string): boolean {
  return name.startsWith('KUBE-');
}

/** The tables of an iptables-save dump. Comment lines and counters are ignored. */
export function parseIptablesSave(text: string): SavedTable[] {
  const tables: SavedTable[] = [];
  let current: { name: string; chains: string[]; rules: SavedRule[] } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      current = { name: line.slice(1).trim(), chains: [], rules: [] };
      tables.push(current);
    } else if (current === undefined) {
      continue;
    } else if (line === 'COMMIT') {
      current = undefined;
    } else if (line.startsWith(':')) {
      const name = line.slice(1).split(/\s+/)[0];
      if (name) current.chains.push(name);
    } else if (line.startsWith('-A ')) {
      const words = saveWords(line);
      const chain = words[1];
      if (chain === undefined) continue;
      const target = jumpTarget(words);
      current.rules.push(target === undefined ? { chain, line } : { chain, line, target });
    }
  }
  return tables;
}

/** The target of a rule's -j/-g, from its words. */
function jumpTarget(words: readonly string[]): string | undefined {
  for (let i = 2; i < words.length - 1; i++) {
    const w = words[i];
    if (w === '-j' || w === '--jump' || w === '-g' || w === '--goto') return words[i + 1];
  }
  return undefined;
}

/** Splits an iptables-save line as iptables-restore does: blanks separate words, double quotes group them,
 *  and inside quotes a backslash escapes the next character (iptables-save writes `\"` and `\'` there). */
export function saveWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** What to remove from each of the given tables; tables with nothing of the cluster's are left out. */
export function removalPlan(tables: readonly SavedTable[], names: readonly string[] = clusterTables): TablePlan[] {
  const plans: TablePlan[] = [];
  for (const t of tables) {
    if (!names.includes(t.name)) continue;
    const chains = t.chains.filter(isClusterChain);
    const unlink = t.rules.filter((r) => !isClusterChain(r.chain) && r.target !== undefined && isClusterChain(r.target));
    if (chains.length > 0 || unlink.length > 0) plans.push({ table: t.name, unlink, chains });
  }
  // In the order of `names`, whatever order iptables-save listed them in (nft and legacy differ).
  return plans.sort((a, b) => names.indexOf(a.table) - names.indexOf(b.table));
}

/** One iptables-restore --noflush input for every planned table: deletes, then flushes, then chain deletions,
 *  so chains that reference each other can all go in one commit per table. */
export function restoreInput(plans: readonly TablePlan[]): string {
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(`*${p.table}`);
    for (const r of p.unlink) lines.push(`-D${r.line.slice(2)}`);
    for (const c of p.chains) lines.push(`-F ${c}`);
    for (const c of p.chains) lines.push(`-X ${c}`);
    lines.push('COMMIT');
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
