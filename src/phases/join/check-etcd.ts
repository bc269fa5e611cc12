// join's check-etcd phase: before a control-plane node joins the stacked etcd, every existing member must be
// healthy (adding a member to a cluster that cannot keep quorum can lose it). kubeadm:
// cmd/phases/join/checketcd.go, phases/etcd/local.go (CheckLocalEtcdClusterStatus).
import { clusterEtcd } from '../../etcd/cluster-etcd.js';
import { waitClusterHealthy } from '../../etcd/cluster-health.js';
import type { EtcdClient, EtcdMember } from '../../etcd/etcd-client.js';
import { describeMember, planMember, StaleMemberError, type JoiningMember } from '../../etcd/member-plan.js';
import { joiningMember } from './etcd-join.js';
import type { Phase } from '../../workflow/phase.js';
import type { JoinContext } from './context.js';

/** Pause between two health checks; an unhealthy member is checked again for up to timeouts.etcdAPICall
 *  (kubeadm retries each endpoint with a backoff of about 100 s). */
export const checkEtcdIntervalMs = 5_000;

async function runCheckEtcd(ctx: JoinContext): Promise<void> {
  const initCfg = await ctx.cluster();
  const { cluster, init } = initCfg;
  if (cluster.etcd.local === undefined) {
    ctx.out.info('[check-etcd] Skipping etcd check in external mode');
    return;
  }
  ctx.out.info('[check-etcd] Checking that the etcd cluster is healthy');
  const etcdTimeoutMs = init.timeouts.etcdAPICallMs;
  const found = await clusterEtcd({
    host: ctx.host, api: await ctx.adminApi(), certificatesDir: cluster.certificatesDir,
    apiTimeoutMs: init.timeouts.kubernetesAPICallMs, etcdTimeoutMs,
  });
  const client = await withoutStaleMembers(ctx, found.client, found.members, await joiningMember(ctx, initCfg));
  const attempts = Math.max(1, Math.ceil(etcdTimeoutMs / checkEtcdIntervalMs));
  let warned = false;
  await waitClusterHealthy(client, {
    attempts, intervalMs: checkEtcdIntervalMs,
    onRetry: (unhealthy, n) => {
      const list = unhealthy.map((h) => `${h.endpoint} (${h.reason ?? 'unhealthy'})`).join(', ');
      if (!warned) ctx.out.warn(`[check-etcd] etcd is not healthy yet: ${list}; checking again every ${checkEtcdIntervalMs / 1000}s for up to ${attempts} checks`);
      else ctx.out.detail(1, `[check-etcd] check ${n}/${attempts}: ${list}`);
      warned = true;
    },
  });
  ctx.out.detail(1, `[check-etcd] healthy: ${client.endpoints.join(', ')}`);
}

/**
 * A member left with this node's name or peer URL by an earlier install (a rebuilt node) is dead by nature: it
 * would fail the health check, and etcd-join, which removes it under --replace-stale-member, would never run.
 * So it is reported here at once (StaleMemberError) or, when its removal was asked for, left out of the check.
 */
async function withoutStaleMembers(ctx: JoinContext, client: EtcdClient, members: readonly EtcdMember[], self: JoiningMember): Promise<EtcdClient> {
  const { stale } = planMember(members, self);
  if (stale.length === 0) return client;
  if (!ctx.options.replaceStaleMember) throw new StaleMemberError(stale, self);
  ctx.out.info(`[check-etcd] Not checking the stale etcd member${stale.length > 1 ? 's' : ''} ${stale.map(describeMember).join('; ')}: ` +
    'etcd-join removes it (--replace-stale-member)');
  const staleURLs = new Set(stale.flatMap((m) => m.clientURLs));
  return client.withEndpoints(client.endpoints.filter((e) => !staleURLs.has(e)));
}

export const checkEtcd: Phase<JoinContext> = {
  name: 'check-etcd',
  short: 'Check that the local etcd cluster is healthy',
  long: 'For join --control-plane with stacked etcd: find the etcd members from the etcd Pods (their ' +
    'kubeadm.kubernetes.io/etcd.advertise-client-urls annotation) and the member list, and check that each answers healthy, with the ' +
    'etcd CA and the etcd/healthcheck-client certificate of control-plane-prepare. An unhealthy member is named and the join stops ' +
    'before this node is added. Skipped for workers and external etcd.',
  example: '# Check the etcd cluster a control-plane node is about to join\ntskubeadm join phase check-etcd --config join.yaml',
  flags: ['config', 'dry-run'],
  runIf: (ctx) => ctx.cfg.join.controlPlane !== undefined,
  run: runCheckEtcd,
};
