// Is every etcd endpoint healthy? check-etcd asks before a control plane joins; etcd-join waits for it after
// the new member is promoted (kubeadm: 8 checks, 5 s apart: "This can take up to 40s"). Each endpoint is
// asked for its own /health (a leader, no alarms, a quorum read answered), all at once.
// kubeadm: util/etcd/etcd.go (CheckClusterHealth, WaitForClusterAvailable).
import { TskubeadmError, exitCodes } from '../errors.js';
import type { EndpointHealth, EtcdClient } from './etcd-client.js';

/** kubeadm's etcdHealthyCheckRetries and etcdHealthyCheckInterval. */
export const joinHealthChecks = Object.freeze({ attempts: 8, intervalMs: 5_000 });

export class EtcdUnhealthyError extends TskubeadmError {
  readonly unhealthy: readonly EndpointHealth[];
  constructor(unhealthy: readonly EndpointHealth[], attempts: number) {
    const list = unhealthy.map((h) => `${h.endpoint} (${h.reason ?? 'unhealthy'})`).join(', ');
    super(`the etcd cluster is not healthy${attempts > 1 ? ` after ${attempts} checks` : ''}: ${list}`, {
      exitCode: exitCodes.generic,
      fix: `look at that member ("crictl logs $(crictl ps -q --name etcd)" on its node, or "etcdctl --endpoints=${unhealthy[0]?.endpoint ?? '<endpoint>'} ` +
        'endpoint status") and bring it back, or remove it if its node is gone ("etcdctl member remove <hex id>"), then run the join again',
    });
    this.unhealthy = unhealthy;
  }
}
EtcdUnhealthyError.prototype.name = 'EtcdUnhealthyError';

/** The health of every endpoint of the client, in its order. */
export function endpointsHealth(client: EtcdClient): Promise<EndpointHealth[]> {
  return Promise.all(client.endpoints.map((e) => client.endpointHealth(e)));
}

/**
 * Checks every endpoint up to `attempts` times, `intervalMs` apart (host clock), until all are healthy;
 * then throws EtcdUnhealthyError naming those that were not at the last check.
 */
export async function waitClusterHealthy(client: EtcdClient, opts: { attempts: number; intervalMs: number; onRetry?: (unhealthy: readonly EndpointHealth[], attempt: number) => void }): Promise<void> {
  let unhealthy: EndpointHealth[] = [];
  for (let attempt = 1; attempt <= Math.max(1, opts.attempts); attempt++) {
    if (attempt > 1) {
      opts.onRetry?.(unhealthy, attempt - 1);
      await client.clock.sleep(opts.intervalMs);
    }
    unhealthy = (await endpointsHealth(client)).filter((h) => !h.healthy);
    if (unhealthy.length === 0) return;
  }
  throw new EtcdUnhealthyError(unhealthy, opts.attempts);
}
