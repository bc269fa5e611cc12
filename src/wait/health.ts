// One health endpoint (a kubelet's /healthz, a control-plane component's /livez or /healthz): how to reach
// it, one probe of it, and waiting until it answers 200. Everything goes through host.net.httpGet.
import type { Clock, HostNet } from '../host/host.js';
import { pollUntil, type PollOutcome } from './poll.js';

export interface HealthEndpoint {
  /** kubeadm's name for it in messages: "kubelet", "kube-apiserver"… */
  readonly name: string;
  readonly url: string;
  /** http: plain; verify: TLS checked against `ca`, host name included; insecure: TLS without checks
   *  (self-signed serving certificates: kube-controller-manager, kube-scheduler). */
  readonly tls: 'none' | 'verify' | 'insecure';
  /** PEM bundle the server must chain to, for tls 'verify'. */
  readonly ca?: string;
}

/** Why a TLS server was refused: its chain does not lead to the CA, it is not valid for the host, or its dates. */
export type TlsRejection = 'untrusted' | 'wrong-host' | 'expired' | 'other';

export type ProbeResult =
  | { readonly healthy: true; readonly status: number }
  | {
      readonly healthy: false;
      /** The HTTP status when the server answered. */
      readonly status?: number;
      /** The first lines of a non-200 answer (an API server's /livez lists the failed checks). */
      readonly body?: string;
      /** Node's error code (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID…) when no answer came. */
      readonly code?: string;
      readonly tlsRejected?: TlsRejection;
      /** One line for people: "HTTP 500", "connection refused", "certificate not signed by the cluster CA". */
      readonly summary: string;
    };

const bodyLimit = 600;

// OpenSSL verification results as Node reports them (err.code).
const untrustedCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'INVALID_CA', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
]);
const expiredCodes = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const otherTlsCodes = new Set(['INVALID_PURPOSE', 'CERT_CHAIN_TOO_LONG', 'PATH_LENGTH_EXCEEDED', 'ERR_TLS_CERT_ALTNAME_FORMAT']);

const plainErrors: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available on this host',
  ETIMEDOUT: 'no answer in time',
  ENOTFOUND: 'name not found',
  EPROTO: 'TLS handshake failed',
};

export function tlsRejectionOf(code: string | undefined): TlsRejection | undefined {
  if (code === undefined) return undefined;
  if (untrustedCodes.has(code)) return 'untrusted';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return 'wrong-host';
  if (expiredCodes.has(code)) return 'expired';
  return otherTlsCodes.has(code) ? 'other' : undefined;
}

const rejectionText: Readonly<Record<TlsRejection, string>> = {
  'untrusted': 'its certificate is not signed by the cluster CA',
  'wrong-host': 'its certificate is not valid for this address',
  'expired': 'its certificate has expired or is not valid yet',
  'other': 'its certificate was refused',
};

/** One GET, never throwing for network trouble: the answer or the reason there was none. */
export async function probeHealth(net: HostNet, ep: HealthEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  try {
    const r = await net.httpGet(ep.url, {
      timeoutMs,
      ...(ep.tls === 'insecure' ? { insecure: true } : {}),
      ...(ep.tls === 'verify' && ep.ca !== undefined ? { ca: ep.ca } : {}),
      ...(signal === undefined ? {} : { signal }),
    });
    if (r.status === 200) return { healthy: true, status: 200 };
    const body = r.body.trim().slice(0, bodyLimit);
    return { healthy: false, status: r.status, ...(body === '' ? {} : { body }), summary: `HTTP ${r.status}` };
  } catch (err) {
    if (signal?.aborted) throw err;
    const code = (err as { code?: unknown }).code;
    const c = typeof code === 'string' ? code : undefined;
    const tlsRejected = tlsRejectionOf(c);
    const message = err instanceof Error ? err.message : String(err);
    const summary = tlsRejected !== undefined
      ? `${rejectionText[tlsRejected]} (${c ?? message})`
      : (c !== undefined ? plainErrors[c] : undefined) ?? message;
    return { healthy: false, ...(c === undefined ? {} : { code: c }), ...(tlsRejected === undefined ? {} : { tlsRejected }), summary };
  }
}

export interface WaitHealthyOptions {
  readonly net: HostNet;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface HealthWait {
  readonly outcome: PollOutcome<ProbeResult>;
  /** The last probe's result: the healthy answer, or the last failure. */
  readonly last: ProbeResult | undefined;
}

/** Polls the endpoint until it answers 200 or the timeout passes. */
export async function waitHealthy(ep: HealthEndpoint, o: WaitHealthyOptions): Promise<HealthWait> {
  let last: ProbeResult | undefined;
  const outcome = await pollUntil<ProbeResult>(async (a) => {
    last = await probeHealth(o.net, ep, a.timeoutMs, a.signal);
    return last.healthy ? { done: true, value: last } : { done: false, reason: last.summary };
  }, {
    clock: o.clock,
    timeoutMs: o.timeoutMs,
    ...(o.intervalMs === undefined ? {} : { intervalMs: o.intervalMs }),
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  return { outcome, last };
}
