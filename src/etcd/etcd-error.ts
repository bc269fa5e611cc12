// What can go wrong talking to etcd: an answer from etcd refusing the request (its gRPC code and message,
// from the JSON gateway's {"error","code"} body), or no answer from any endpoint.
import { TskubeadmError, exitCodes } from '../errors.js';

/** gRPC status codes etcd answers with (the gateway's `code`). */
export const grpcCodes = Object.freeze({
  deadlineExceeded: 4,
  notFound: 5,
  failedPrecondition: 9,
  unavailable: 14,
});

/** etcd answered, and refused. `etcdMessage` is etcd's own text ("etcdserver: member not found"). */
export class EtcdError extends TskubeadmError {
  readonly code: number;
  readonly etcdMessage: string;
  readonly endpoint: string;
  constructor(endpoint: string, code: number, etcdMessage: string, opts: { fix?: string; what?: string } = {}) {
    super(`${opts.what === undefined ? '' : `${opts.what}: `}etcd at ${endpoint} answered: ${etcdMessage}`, {
      exitCode: exitCodes.generic,
      ...(opts.fix === undefined ? {} : { fix: opts.fix }),
    });
    this.code = code;
    this.etcdMessage = etcdMessage;
    this.endpoint = endpoint;
  }
}
EtcdError.prototype.name = 'EtcdError';

/** No endpoint gave an answer: connection refused, TLS refused, timeout. `failures` has one line per endpoint. */
export class EtcdUnreachableError extends TskubeadmError {
  readonly failures: readonly string[];
  constructor(failures: readonly string[], opts: { fix?: string } = {}) {
    super(`no etcd endpoint answered: ${failures.join('; ')}`, {
      exitCode: exitCodes.generic,
      fix: opts.fix ?? 'check that etcd runs on the control-plane nodes (crictl ps --name etcd) and that this node reaches their port 2379 ' +
        'with the etcd CA and the etcd/healthcheck-client certificate',
    });
    this.failures = failures;
  }
}
EtcdUnreachableError.prototype.name = 'EtcdUnreachableError';

/** etcd's messages for states that pass on their own: a learner catching up, a leader election, another
 *  node's join in progress. kubeadm retries every error; we retry these and stop at once on the others. */
const transientMessages: readonly RegExp[] = [
  /can only promote a learner member which is in sync with leader/,
  /unhealthy cluster/,
  /too many learner members in cluster/,
  /leader changed/,
  /no leader/,
  /request timed out/,
  /timed out/,
  /not capable/,
];

/** Whether waiting and asking again may succeed. */
export function isTransientEtcdError(err: unknown): boolean {
  if (err instanceof EtcdUnreachableError) return true;
  if (!(err instanceof EtcdError)) return false;
  if (err.code === grpcCodes.unavailable || err.code === grpcCodes.deadlineExceeded) return true;
  return transientMessages.some((m) => m.test(err.etcdMessage));
}
