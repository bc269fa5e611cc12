// kube-proxy's nftables mode keeps everything in one table per family, `ip kube-proxy` and `ip6 kube-proxy`;
// its cleanup deletes those two tables and nothing else. kube-proxy: pkg/proxy/nftables/proxier.go (CleanupLeftovers).
import type { ResetContext } from '../../phases/reset/context.js';
import { changeTimeoutMs, failureText, readTimeoutMs, succeeded } from './command-result.js';

export const kubeProxyNftTables: readonly string[] = ['ip kube-proxy', 'ip6 kube-proxy'];

/** `family name` of each table in `nft list tables` output. */
export function parseNftTables(text: string): string[] {
  const tables: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*table\s+(\S+)\s+(\S+)/.exec(line);
    if (m) tables.push(`${m[1]} ${m[2]}`);
  }
  return tables;
}

export async function removeNftablesTables(ctx: ResetContext): Promise<void> {
  const { host, out } = ctx;
  if ((await host.exec.which('nft')) === undefined) {
    out.detail(1, '[reset] nft is not installed: no nftables tables to remove');
    return;
  }
  const listed = await host.exec.run(['nft', 'list', 'tables'], { mutates: false, timeoutMs: readTimeoutMs });
  if (!succeeded(listed)) {
    // A kernel without nf_tables answers so; kube-proxy cannot have made tables there either.
    out.detail(1, `[reset] Could not list the nftables tables, so none are removed: ${failureText('nft', listed)}`);
    return;
  }
  const present = parseNftTables(listed.stdout).filter((t) => kubeProxyNftTables.includes(t));
  if (present.length === 0) {
    out.detail(1, "[reset] No kube-proxy nftables tables");
    return;
  }
  const removed: string[] = [];
  for (const table of present) {
    const argv = ['nft', 'delete', 'table', ...table.split(' ')];
    const r = await host.exec.run(argv, { mutates: true, timeoutMs: changeTimeoutMs });
    if (succeeded(r)) {
      removed.push(table);
      ctx.report.did('rules-removed', `nftables table ${table}`);
      continue;
    }
    const why = failureText('nft', r);
    out.warn(`[reset] WARNING: could not delete the nftables table "${table}": ${why}`);
    ctx.report.left({ kind: 'nftables', item: `table ${table}`, reason: `nft delete failed (${why})`, fix: argv.join(' ') });
  }
  if (removed.length > 0) {
    const what = `${removed.length === 1 ? 'table' : 'tables'} ${removed.map((t) => `"${t}"`).join(', ')}`;
    out.info(ctx.dryRun ? `[dryrun] Would remove kube-proxy's nftables ${what}` : `[reset] Removed kube-proxy's nftables ${what}`);
  }
}
