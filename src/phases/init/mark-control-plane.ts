// init's mark-control-plane phase: wait for the kubelet to register this node's Node object, then label and
// taint it as a control-plane node with one strategic-merge PATCH. kubeadm: cmd/phases/init/markcontrolplane.go,
// phases/markcontrolplane, util/apiclient PatchNode (500 ms polls, bounded by timeouts.kubernetesAPICall).
import { isConflict, ApiError } from '../../api/api-error.js';
import type { ApiClient } from '../../api/client.js';
import type { KubeObject } from '../../api/objects.js';
import { formatGoDuration } from '../../config/duration.js';
import { configDefaults } from '../../config/defaults.js';
import { TimeoutError } from '../../errors.js';
import { controlPlanePatch, hostnameLabel, markingLines } from '../../cluster-objects/node-marking.js';
import { pollUntil, type AttemptResult } from '../../wait/poll.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

/** kubeadm's KubernetesAPICallRetryInterval. */
export const nodePatchIntervalMs = 500;


export const markControlPlane: Phase<InitContext> = {
  name: 'mark-control-plane',
  short: 'Mark a node as a control-plane',
  long: 'Wait until the kubelet has registered this node (its Node object carries the kubernetes.io/hostname label), then add the ' +
    'labels node-role.kubernetes.io/control-plane and node.kubernetes.io/exclude-from-external-load-balancers and the taints of ' +
    'nodeRegistration.taints (by default node-role.kubernetes.io/control-plane:NoSchedule; an empty list adds none). Taints the ' +
    'node already has are kept after these. The wait is bounded by timeouts.kubernetesAPICall.',
  example: '# Label and taint the node named in the config, as init does.\n' +
    'tskubeadm init phase mark-control-plane --config kubeadm-config.yaml\n\n' +
    '# Label and taint a node by name.\n' +
    'tskubeadm init phase mark-control-plane --node-name my-node',
  flags: ['config', 'node-name', 'dry-run'],
  run: async (ctx) => {
    const name = ctx.cfg.init.nodeRegistration.name;
    // The loader gives a control-plane node kubeadm's taint when none was set; a config built in code may not have.
    const taints = ctx.cfg.init.nodeRegistration.taints ?? [configDefaults.controlPlaneTaint];
    for (const line of markingLines(name, taints)) ctx.out.info(line);
    await patchRegisteredNode(ctx, await ctx.api(), name, (node) => controlPlanePatch(node, taints));
  },
};

/**
 * Polls every 500 ms until the Node exists and the kubelet has set its hostname label (a Node created by
 * someone else may have no labels yet), then sends `patchFor(node)` as a strategic-merge patch. A patch
 * refused as conflicting or because the server was busy is computed again from a fresh GET.
 */
export async function patchRegisteredNode(
  ctx: Pick<InitContext, 'host' | 'cfg'>,
  api: ApiClient,
  name: string,
  patchFor: (node: KubeObject) => Record<string, unknown>,
): Promise<void> {
  const timeoutMs = ctx.cfg.init.timeouts.kubernetesAPICallMs;
  const outcome = await pollUntil(async (): Promise<AttemptResult<true>> => {
    let node: KubeObject | undefined;
    try {
      node = await api.get({ kind: 'Node', name });
    } catch (err) {
      // kubeadm retries every GET error until the deadline; the last one explains the timeout.
      if (err instanceof ApiError) return { done: false, reason: err.message };
      throw err;
    }
    if (node === undefined) return { done: false, reason: `the Node "${name}" does not exist yet` };
    if (node.metadata.labels?.[hostnameLabel] === undefined) {
      return { done: false, reason: `the Node "${name}" has no ${hostnameLabel} label yet` };
    }
    const patch = patchFor(node);
    if (Object.keys(patch).length === 0) return { done: true, value: true };
    try {
      await api.patch({ kind: 'Node', name }, patch, 'strategic');
    } catch (err) {
      if (isConflict(err) || (err instanceof ApiError && retriablePatchReasons.has(err.reason))) return { done: false, reason: err.message };
      throw err;
    }
    return { done: true, value: true };
  }, { clock: ctx.host.clock, timeoutMs, intervalMs: nodePatchIntervalMs });
  if (!outcome.ok) {
    throw new TimeoutError(
      `the Node "${name}" was not ready to be patched after ${formatGoDuration(outcome.elapsedMs)}: ${outcome.reason ?? 'no answer from the API server'}`,
      {
        fix: `the kubelet registers the Node: check it runs ('systemctl status kubelet', 'journalctl -xeu kubelet') and that ` +
          `nodeRegistration.name (--node-name) matches the name it registers under ('kubectl get nodes'); ` +
          `timeouts.kubernetesAPICall (${formatGoDuration(timeoutMs)}) bounds the wait`,
      },
    );
  }
}

/** kubeadm's PatchNodeOnce retries these besides Conflict. */
const retriablePatchReasons: ReadonlySet<string> = new Set(['Timeout', 'ServerTimeout', 'ServiceUnavailable']);
