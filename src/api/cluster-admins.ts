// kubeadm's EnsureAdminClusterRoleBinding (phases/kubeconfig/kubeconfig.go, v1.29+): admin.conf's user is
// in the group kubeadm:cluster-admins, which has no rights until the ClusterRoleBinding of that name binds
// it to cluster-admin. The first client built from admin.conf creates it itself if it may (it exists
// already, or the user is a super-user); when the API says Forbidden, super-admin.conf (system:masters)
// creates it. Printed only at -v1, as kubeadm logs it with klog V(1).
import type { Clock } from '../host/host.js';
import type { Output } from '../output/output.js';
import { clusterRoleBinding, group } from '../cluster-objects/rbac.js';
import { pollUntil } from '../wait/poll.js';
import { ApiError, isAlreadyExists, isForbidden } from './api-error.js';
import type { ApiClient } from './client.js';
import type { KubeObject } from './objects.js';

/** The group of admin.conf's user, and the ClusterRoleBinding that gives it cluster-admin. */
export const clusterAdminsGroup = 'kubeadm:cluster-admins';

/** kubeadm's constants.KubernetesAPICallRetryInterval. */
export const clusterAdminsRetryIntervalMs = 500;

export function clusterAdminsBinding(): KubeObject {
  return clusterRoleBinding(clusterAdminsGroup, 'cluster-admin', [group(clusterAdminsGroup)]);
}

export interface EnsureClusterAdminsOptions {
  readonly clock: Clock;
  readonly out: Output;
  /** How long each of the two steps keeps retrying (timeouts.kubernetesAPICall). */
  readonly timeoutMs: number;
  /** The super-admin kubeconfig's file name, for messages. */
  readonly superAdminName?: string;
  readonly signal?: AbortSignal;
}

/**
 * Makes sure kubeadm:cluster-admins exists. `superAdmin` gives the super-admin client, or undefined when
 * there is no super-admin.conf; it is asked only when admin.conf is not allowed to create the binding.
 */
export async function ensureClusterAdmins(
  admin: ApiClient,
  superAdmin: () => Promise<ApiClient | undefined>,
  o: EnsureClusterAdminsOptions,
): Promise<void> {
  const superAdminName = o.superAdminName ?? 'super-admin.conf';
  o.out.detail(1, `ensuring that the ClusterRoleBinding for the ${clusterAdminsGroup} Group exists`);

  // Any answer but Forbidden and AlreadyExists is retried: during init the API server may still be starting.
  let last: unknown;
  const remember = (err: unknown) => { last = err; };
  const byAdmin = await poll(o, () => createBinding(admin, true, remember));
  if (byAdmin === undefined) throw wrap(last, `unable to create the ${clusterAdminsGroup} ClusterRoleBinding`);
  if (byAdmin === 'ready') return;

  const client = await superAdmin();
  if (client === undefined) {
    throw new ApiError(403, 'Forbidden', `the ClusterRoleBinding for the ${clusterAdminsGroup} Group is missing but there is no ${superAdminName} to create it`, {
      fix: `write it with \`tskubeadm init phase kubeconfig super-admin\`, or create the binding with a cluster-admin kubeconfig: ` +
        `kubectl create clusterrolebinding ${clusterAdminsGroup} --clusterrole=cluster-admin --group=${clusterAdminsGroup}`,
    });
  }
  o.out.detail(1, `creating the ClusterRoleBinding for the ${clusterAdminsGroup} Group by using ${superAdminName}`);
  const bySuperAdmin = await poll(o, () => createBinding(client, false, remember));
  if (bySuperAdmin === undefined) throw wrap(last, `unable to create the ${clusterAdminsGroup} ClusterRoleBinding by using ${superAdminName}`);
}

/** One attempt: 'ready' once the binding exists, 'forbidden' (when that is final) if this client may not create it,
 *  undefined to try again (the error passed to `failed`). */
async function createBinding(client: ApiClient, forbiddenIsFinal: boolean, failed: (err: unknown) => void): Promise<'ready' | 'forbidden' | undefined> {
  try {
    await client.create(clusterAdminsBinding());
    return 'ready';
  } catch (err) {
    if (isAlreadyExists(err)) return 'ready';
    if (forbiddenIsFinal && isForbidden(err)) return 'forbidden';
    failed(err);
    return undefined;
  }
}

/** Runs `step` until it gives a verdict or the timeout passes (undefined then). */
async function poll<T>(o: EnsureClusterAdminsOptions, step: () => Promise<T | undefined>): Promise<T | undefined> {
  const r = await pollUntil(async () => {
    const v = await step();
    return v === undefined ? { done: false, reason: 'retrying' } : { done: true, value: v };
  }, { clock: o.clock, timeoutMs: o.timeoutMs, intervalMs: clusterAdminsRetryIntervalMs, ...(o.signal ? { signal: o.signal } : {}) });
  return r.ok ? r.value : undefined;
}

function wrap(err: unknown, what: string): Error {
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  if (err instanceof ApiError) return new ApiError(err.status, err.reason, message, { cause: err, ...(err.fix === undefined ? {} : { fix: err.fix }) });
  return new ApiError(0, 'Unknown', message, { cause: err });
}
