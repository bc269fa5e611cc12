// kube-proxy's and the kubelet's iptables chains, for IPv4 and IPv6 and for every iptables backend on the
// host (the default one, and legacy/nft when their own binaries exist: kube-proxy's image may have used the
// other one). Each is read with its iptables-save and cleaned with ONE iptables-restore --noflush, as
// kube-proxy's own cleanup does, so a table changes in one commit and nothing outside KUBE-* is touched.
// kube-proxy: pkg/proxy/iptables/cleanup.go (CleanupLeftovers).
import type { Host } from '../../host/host.js';
import type { ResetContext } from '../../phases/reset/context.js';
import { changeTimeoutMs, failureText, readTimeoutMs, someNames, succeeded } from './command-result.js';
import { parseIptablesSave, removalPlan, restoreInput, type TablePlan } from './iptables-save.js';

export type IptablesFamily = 'iptables' | 'ip6tables';

/** One iptables backend of one family: `iptables`, `iptables-legacy`, `ip6tables-nft`… */
export interface IptablesTool {
  readonly label: string;
  readonly save: string;
  readonly restore: string;
  /** nf_tables or legacy, from `<save> --version`; tools of the same backend see the same rules. */
  readonly backend: string;
}

/** The backends of a family that exist here, the default first, each backend once. */
export async function iptablesTools(host: Host, family: IptablesFamily): Promise<IptablesTool[]> {
  const tools: IptablesTool[] = [];
  for (const label of [family, `${family}-legacy`, `${family}-nft`]) {
    const save = `${label}-save`;
    if ((await host.exec.which(save)) === undefined) continue;
    const v = await host.exec.run([save, '--version'], { mutates: false, timeoutMs: readTimeoutMs });
    // iptables before 1.8 has one backend and does not name it.
    const backend = /\(([a-z_]+)\)/.exec(v.stdout)?.[1] ?? (succeeded(v) ? 'legacy' : label);
    if (tools.some((t) => t.backend === backend)) continue;
    tools.push({ label, save, restore: `${label}-restore`, backend });
  }
  return tools;
}

export async function removeIptablesRules(ctx: ResetContext): Promise<void> {
  for (const family of ['iptables', 'ip6tables'] as const) {
    const tools = await iptablesTools(ctx.host, family);
    if (tools.length === 0) ctx.out.detail(1, `[reset] ${family}-save is not installed: no ${family} rules to remove`);
    for (const tool of tools) await cleanTool(ctx, tool);
  }
}

async function cleanTool(ctx: ResetContext, tool: IptablesTool): Promise<void> {
  const plans = await readPlan(ctx.host, tool);
  if (typeof plans === 'string') {
    ctx.out.warn(`[reset] WARNING: could not read the ${tool.label} rules, so kube-proxy's are left: ${plans}`);
    ctx.report.left({
      kind: 'iptables',
      item: `${tool.label} KUBE-*`,
      reason: `${tool.save} failed (${plans})`,
      fix: fixFor(tool.label, ['nat', 'filter', 'mangle']),
    });
    return;
  }
  if (plans.length === 0) {
    ctx.out.detail(1, `[reset] No KUBE-* chains in ${tool.label} (${tool.backend})`);
    return;
  }
  for (const p of plans) {
    ctx.out.detail(1, `[reset] ${tool.label} ${p.table}: ${p.unlink.length} rule(s) jumping to KUBE-* chains, ` +
      `${p.chains.length} chain(s): ${someNames(p.chains)}`);
  }
  const input = restoreInput(plans);
  ctx.out.detail(2, `[reset] ${tool.restore} --noflush input:\n${input.trimEnd()}`);
  const failure = await restore(ctx.host, tool, input);
  if (failure === undefined) {
    for (const p of plans) reportRemoved(ctx, tool, p);
    const chains = plans.reduce((n, p) => n + p.chains.length, 0);
    const tables = plans.map((p) => p.table).join(', ');
    ctx.out.info(ctx.dryRun
      ? `[dryrun] Would remove kube-proxy's ${tool.label} rules: ${chains} chain${chains === 1 ? '' : 's'} in ${tables}`
      : `[reset] Removed kube-proxy's ${tool.label} rules: ${chains} chain${chains === 1 ? '' : 's'} in ${tables}`);
    return;
  }
  ctx.out.warn(`[reset] WARNING: could not remove kube-proxy's ${tool.label} rules: ${failure}`);
  // A restore commits table by table: see what went before saying what is left.
  const after = await readPlan(ctx.host, tool);
  for (const p of plans) {
    const still = typeof after === 'string' ? p : after.find((a) => a.table === p.table);
    const gone: TablePlan = {
      table: p.table,
      unlink: p.unlink.filter((r) => !still?.unlink.some((s) => s.line === r.line)),
      chains: p.chains.filter((c) => !still?.chains.includes(c)),
    };
    reportRemoved(ctx, tool, gone);
    if (still !== undefined && (still.chains.length > 0 || still.unlink.length > 0)) {
      ctx.report.left({
        kind: 'iptables',
        item: `${tool.label} ${p.table} KUBE-*`,
        reason: `${tool.restore} failed (${failure})`,
        fix: fixFor(tool.label, [p.table]),
      });
    }
  }
}

function fixFor(label: string, tables: readonly string[]): string {
  const list = tables.map((t) => `${label} -t ${t} -S | grep KUBE-`).join('; ');
  return `list them with \`${list}\`, delete the rules that jump to KUBE-* chains (-D), ` +
    'then flush (-F) and delete (-X) each KUBE-* chain';
}

function reportRemoved(ctx: ResetContext, tool: IptablesTool, gone: TablePlan): void {
  for (const r of gone.unlink) ctx.report.did('rules-removed', `${tool.label} ${gone.table} ${r.chain} rule jumping to ${r.target ?? ''}`);
  for (const c of gone.chains) ctx.report.did('rules-removed', `${tool.label} ${gone.table} ${c}`);
}

/** The plan from the tool's current rules, or why they could not be read. */
async function readPlan(host: Host, tool: IptablesTool): Promise<TablePlan[] | string> {
  const r = await host.exec.run([tool.save], { mutates: false, timeoutMs: readTimeoutMs });
  if (!succeeded(r)) return failureText(tool.save, r);
  return removalPlan(parseIptablesSave(r.stdout));
}

/** Runs the restore; undefined when it worked, else why not. */
async function restore(host: Host, tool: IptablesTool, input: string): Promise<string | undefined> {
  // --wait: the legacy backend fails at once when another program holds the xtables lock.
  const withWait = [tool.restore, '--noflush', '--wait=5'];
  let r = await host.exec.run(withWait, { mutates: true, input, timeoutMs: changeTimeoutMs });
  if (!succeeded(r) && /unrecognized option|invalid option|unknown option/i.test(r.stderr)) {
    // iptables-restore before 1.6.2 has no --wait.
    r = await host.exec.run([tool.restore, '--noflush'], { mutates: true, input, timeoutMs: changeTimeoutMs });
  }
  return succeeded(r) ? undefined : failureText(tool.restore, r);
}
