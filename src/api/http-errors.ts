// What an API request's failure means: the Status of an error answer, or why no answer came, turned
// into ApiError with a message naming the server and a fix; and which failures are worth another try.
import { ApiError, type StatusReason } from './api-error.js';

/** Reasons of answers that may succeed when asked again (the server was busy or starting). */
const transientReasons: ReadonlySet<string> = new Set(['ServerTimeout', 'Timeout', 'TooManyRequests', 'InternalError', 'ServiceUnavailable']);
const transientStatus: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Retry only what another attempt can fix: no answer, or a busy/starting server; never 4xx like 403/404/409/422. */
export function isTransient(e: ApiError): boolean {
  if (e instanceof NoAnswer) return e.retryable;
  return transientStatus.has(e.status) || transientReasons.has(e.reason);
}

/** The reason the API uses for a bare HTTP status (an answer without a Status body, e.g. from a proxy). */
const reasonOfStatus: Readonly<Record<number, StatusReason>> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict',
  410: 'Expired', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError',
  502: 'ServiceUnavailable', 503: 'ServiceUnavailable', 504: 'Timeout',
};

export interface Request {
  readonly method: string;
  readonly path: string;
  /** The API server URL, for messages. */
  readonly server: string;
  /** The kubeconfig the credentials came from, for fixes. */
  readonly source: string;
}

/** An error answer: the Status the API server sent (kind Status, with reason and message), else the bare code. */
export function answerError(req: Request, status: number, body: string): ApiError {
  const s = parseStatus(body);
  const reason = s?.reason !== undefined && s.reason !== '' ? s.reason : (reasonOfStatus[status] ?? 'Unknown');
  const message = s?.message !== undefined && s.message !== ''
    ? s.message
    : `${req.method} ${req.path} on ${req.server} answered HTTP ${status}${firstLine(body) === '' ? '' : `: ${firstLine(body)}`}`;
  const fix = fixFor(req, reason);
  return new ApiError(status, reason, message, fix === undefined ? {} : { fix });
}

function fixFor(req: Request, reason: string): string | undefined {
  switch (reason) {
    case 'Unauthorized':
      return `the API server did not accept the credentials in ${req.source}: check that its client certificate is signed by the cluster CA and not expired (tskubeadm certs check-expiration)`;
    case 'Forbidden':
      return `the user of ${req.source} lacks the permission; use an admin kubeconfig (--kubeconfig /etc/kubernetes/admin.conf)`;
    case 'TooManyRequests': case 'ServerTimeout': case 'Timeout': case 'InternalError': case 'ServiceUnavailable':
      return `the API server at ${req.server} is overloaded or still starting: check kube-apiserver (crictl ps --name kube-apiserver; crictl logs <id>), then run the command again`;
    default:
      return undefined;
  }
}

function parseStatus(body: string): { reason?: string; message?: string } | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v !== 'object' || v === null || (v as { kind?: unknown }).kind !== 'Status') return undefined;
    const { reason, message } = v as { reason?: unknown; message?: unknown };
    return { ...(typeof reason === 'string' ? { reason } : {}), ...(typeof message === 'string' ? { message } : {}) };
  } catch {
    return undefined;
  }
}

const firstLine = (s: string): string => (s.trim().split('\n')[0] ?? '').slice(0, 200);

/** Errno codes of a connection that failed before any answer; another try may reach a server that is starting. */
const connectionCodes: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host is down',
  EAI_AGAIN: 'name lookup failed for now',
  ENOTFOUND: 'host name does not resolve',
};

/** OpenSSL/Node verification codes: the server's certificate is not the one the kubeconfig trusts. No retry helps. */
const tlsVerification = /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*|CERT_.*|ERR_TLS_.*|ERR_SSL_.*|EPROTO)$/;

/** Why no answer came (refused, reset, TLS, aborted); the error a transport library threw. */
export function noAnswerError(req: Request, err: unknown, timedOut: boolean): ApiError {
  const code = errorCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (timedOut) {
    return new NoAnswer(req, 'Timeout', 'no answer in time', true, err);
  }
  if (code !== undefined && connectionCodes[code] !== undefined) {
    return new NoAnswer(req, 'ServiceUnavailable', `${connectionCodes[code]} (${code})`, true, err);
  }
  if (code !== undefined && tlsVerification.test(code)) {
    return new NoAnswer(req, 'ServiceUnavailable', `TLS verification failed (${code}): ${tlsDetail(detail)}`, false, err,
      `the server's certificate must be signed by the certificate-authority-data of ${req.source} and name the host of ${req.server}; ` +
        'fix the kubeconfig, or regenerate the apiserver certificate (tskubeadm init phase certs apiserver)');
  }
  // Unknown transport failures (a socket hang-up without a code) are treated as transient: the timeout bounds them.
  return new NoAnswer(req, 'ServiceUnavailable', tlsDetail(detail), true, err);
}

/** No answer came (status 0); `retryable` says whether another attempt might get one. */
class NoAnswer extends ApiError {
  constructor(req: Request, reason: StatusReason, why: string, readonly retryable: boolean, cause: unknown, fix?: string) {
    super(0, reason, `cannot reach the Kubernetes API server at ${req.server}: ${why}`, {
      cause,
      fix: fix ?? `check that kube-apiserver is running (crictl ps --name kube-apiserver; crictl logs <id>) and that ${req.server} is reachable from this machine`,
    });
  }
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, n = 0; e !== undefined && e !== null && n < 5; e = (e as { cause?: unknown }).cause, n++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
  }
  return undefined;
}

/** node-fetch wraps the socket error as "request to URL failed, reason: …": keep the reason. */
function tlsDetail(message: string): string {
  const i = message.indexOf('reason: ');
  return i === -1 ? message : message.slice(i + 'reason: '.length);
}
