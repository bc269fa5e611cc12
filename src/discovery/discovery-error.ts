// Why join could not establish trust in the cluster. One reason per failure the user can act on, each
// message one line in kubeadm's words (prefixed as kubeadm's discovery.For wraps them) plus the fix.
import { exitCodes, TskubeadmError } from '../errors.js';

export type DiscoveryReason =
  | 'unreachable'
  /** Added to the issue-6 contract: cluster-info answered 401/403 (anonymous access or its RBAC missing). */
  | 'forbidden'
  | 'no-kubeconfig'
  | 'no-signature'
  | 'bad-signature'
  | 'ca-mismatch'
  | 'changed'
  | 'bad-file';

/** kubeadm wraps every discovery failure in this (discovery.For). */
export const identityPrefix = "couldn't validate the identity of the API Server: ";

export class DiscoveryError extends TskubeadmError {
  readonly reason: DiscoveryReason;
  constructor(reason: DiscoveryReason, message: string, opts: { fix: string; cause?: unknown }) {
    super(message, { exitCode: exitCodes.discovery, ...opts });
    this.reason = reason;
  }
}
DiscoveryError.prototype.name = 'DiscoveryError';
