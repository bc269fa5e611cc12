// Reading kube-public/cluster-info until it is usable, as kubeadm's discovery polls it: the first request at
// once, then every 5 s (cut to the time left) until the deadline, every failure retried (the API server may
// still be starting, the ConfigMap or its RBAC not yet created, the signature not yet added), the last
// failure kept to explain a timeout. kubeadm: discovery/token getClusterInfo, discovery/file ValidateConfigInfo.
import type { Clock, HostNet } from '../host/host.js';
import { pollUntil } from '../wait/poll.js';

export const clusterInfoPath = '/api/v1/namespaces/kube-public/configmaps/cluster-info';
/** kubeadm's constants.DiscoveryRetryInterval. */
export const discoveryRetryIntervalMs = 5_000;
/** One request's bound: long enough for a TLS handshake over a slow link, short enough to retry a stuck one. */
const requestTimeoutMs = 10_000;

/** How the request trusts the server and who it is. */
export interface FetchTrust {
  /** Token discovery's first request: no verification at all (the answer is checked by its signature). */
  readonly insecure?: boolean;
  /** Trust only this CA bundle (absent and not insecure: the system's CAs). */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Why one request did not give a usable ConfigMap. */
export type FetchFailure =
  | { readonly kind: 'network'; readonly detail: string; readonly code: string | undefined }
  | { readonly kind: 'forbidden'; readonly status: number; readonly detail: string }
  | { readonly kind: 'status'; readonly status: number; readonly detail: string }
  | { readonly kind: 'not-ready'; readonly data: Readonly<Record<string, string>>; readonly detail: string };

export type FetchOutcome =
  | { readonly ok: true; readonly data: Readonly<Record<string, string>>; readonly attempts: number }
  | {
    readonly ok: false;
    readonly failure: FetchFailure | undefined;
    /** true: ended early by `stopOn`; false: the time ran out. */
    readonly stopped: boolean;
    readonly attempts: number;
    readonly elapsedMs: number;
  };

export interface FetchOptions {
  readonly net: HostNet;
  readonly clock: Clock;
  /** `https://host:port` */
  readonly server: string;
  readonly trust: FetchTrust;
  readonly timeoutMs: number;
  /** Whether the ConfigMap's data is what the caller waits for; a string says why not yet. */
  readonly ready?: (data: Readonly<Record<string, string>>) => string | undefined;
  /** A failure that ends the wait at once with success-like "done" (file discovery's 403). */
  readonly stopOn?: (f: FetchFailure) => boolean;
}

/** The API's `message` from a Status body, else the start of the body. */
function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string' && s.message !== '') return s.message;
  } catch { /* not JSON */ }
  return body.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

/** One GET of cluster-info. */
export async function fetchClusterInfoOnce(o: Pick<FetchOptions, 'net' | 'server' | 'trust'>, timeoutMs: number, signal?: AbortSignal):
  Promise<{ ok: true; data: Readonly<Record<string, string>> } | { ok: false; failure: FetchFailure }> {
  let res;
  try {
    res = await o.net.httpGet(`${o.server}${clusterInfoPath}`, {
      timeoutMs,
      ...(o.trust.insecure === true ? { insecure: true } : {}),
      ...(o.trust.ca === undefined ? {} : { ca: o.trust.ca }),
      ...(o.trust.cert === undefined ? {} : { cert: o.trust.cert }),
      ...(o.trust.key === undefined ? {} : { key: o.trust.key }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (err) {
    const e = err as { message?: string; code?: string };
    return { ok: false, failure: { kind: 'network', detail: e.message ?? String(err), code: e.code } };
  }
  if (res.status === 401 || res.status === 403) {
    return { ok: false, failure: { kind: 'forbidden', status: res.status, detail: statusMessage(res.body) } };
  }
  if (res.status !== 200) return { ok: false, failure: { kind: 'status', status: res.status, detail: `HTTP ${res.status}: ${statusMessage(res.body)}` } };
  let data: Record<string, string>;
  try {
    const cm = JSON.parse(res.body) as { kind?: unknown; data?: unknown };
    if (cm.kind !== 'ConfigMap') throw new Error('not a ConfigMap');
    data = (typeof cm.data === 'object' && cm.data !== null ? cm.data : {}) as Record<string, string>;
  } catch {
    return { ok: false, failure: { kind: 'status', status: 200, detail: 'the answer is not a ConfigMap' } };
  }
  return { ok: true, data };
}

/** Polls until cluster-info is there and `ready`, or the time is up. */
export async function fetchClusterInfo(o: FetchOptions): Promise<FetchOutcome> {
  let failure: FetchFailure | undefined;
  const outcome = await pollUntil<Readonly<Record<string, string>> | undefined>(async (a) => {
    const r = await fetchClusterInfoOnce(o, a.timeoutMs, a.signal);
    if (r.ok) {
      const why = o.ready?.(r.data);
      if (why === undefined) return { done: true, value: r.data };
      failure = { kind: 'not-ready', data: r.data, detail: why };
    } else {
      failure = r.failure;
      if (o.stopOn?.(r.failure) === true) return { done: true, value: undefined };
    }
    return { done: false, reason: failure.detail };
  }, {
    clock: o.clock,
    timeoutMs: o.timeoutMs,
    intervalMs: Math.min(discoveryRetryIntervalMs, Math.max(1, o.timeoutMs)),
    attemptTimeoutMs: requestTimeoutMs,
  });
  if (outcome.ok && outcome.value !== undefined) return { ok: true, data: outcome.value, attempts: outcome.attempts };
  return { ok: false, failure, stopped: outcome.ok, attempts: outcome.attempts, elapsedMs: outcome.elapsedMs };
}
