// kube-proxy's IPVS mode matches on ipsets named KUBE-*. A set still used by an iptables rule cannot be
// destroyed, so this runs after the iptables cleanup (as kube-proxy's own). kube-proxy: pkg/proxy/ipvs/cleanup.go.
import type { ResetContext } from '../../phases/reset/context.js';
import { changeTimeoutMs, failureText, readTimeoutMs, someNames, succeeded } from './command-result.js';
import { isClusterChain } from './iptables-save.js';

export async function removeIpsets(ctx: ResetContext): Promise<void> {
  const { host, out } = ctx;
  if ((await host.exec.which('ipset')) === undefined) {
    out.detail(1, '[reset] ipset is not installed: no ipsets to remove');
    return;
  }
  const listed = await host.exec.run(['ipset', 'list', '-n'], { mutates: false, timeoutMs: readTimeoutMs });
  if (!succeeded(listed)) {
    // Without the ip_set module there are no sets to list.
    out.detail(1, `[reset] Could not list the ipsets, so none are removed: ${failureText('ipset', listed)}`);
    return;
  }
  const names = listed.stdout.split('\n').map((l) => l.trim()).filter((n) => n !== '' && isClusterChain(n));
  if (names.length === 0) {
    out.detail(1, '[reset] No KUBE-* ipsets');
    return;
  }
  const destroyed: string[] = [];
  for (const name of names) {
    const argv = ['ipset', 'destroy', name];
    const r = await host.exec.run(argv, { mutates: true, timeoutMs: changeTimeoutMs });
    if (succeeded(r)) {
      destroyed.push(name);
      ctx.report.did('rules-removed', `ipset ${name}`);
      continue;
    }
    const why = failureText('ipset', r);
    out.warn(`[reset] WARNING: could not destroy the ipset "${name}": ${why}`);
    ctx.report.left({
      kind: 'ipset',
      item: name,
      reason: `ipset destroy failed (${why}); a rule outside KUBE-* chains may still use it`,
      fix: argv.join(' '),
    });
  }
  if (destroyed.length === 0) return;
  out.detail(1, `[reset] ipsets: ${someNames(destroyed)}`);
  out.info(ctx.dryRun
    ? `[dryrun] Would destroy kube-proxy's ipsets: ${destroyed.length} KUBE-* sets`
    : `[reset] Destroyed kube-proxy's ipsets: ${destroyed.length} KUBE-* sets`);
}
