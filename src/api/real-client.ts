// The ApiClient that talks to a real API server, over @kubernetes/client-node (loaded lazily): the library
// reads the kubeconfig and supplies TLS and credentials (client certificates, tokens, exec plugins) and the
// HTTP transport; the requests themselves are ours.
//
// Not KubernetesObjectApi's create/read/…: it (1) discovers each kind's plural with a GET of /api/v1 or
// /apis/<group>/<version>, which anonymous and bootstrap-token users may not do (join reads cluster-info
// anonymously); (2) lower-cases the whole path; (3) sends bodies through the model serializer, which drops
// fields the models do not know (strategic-merge directives among them) and turns timestamps into Dates.
// Paths come from src/api/resources.ts, the same table the dry-run client prints, and bodies are plain JSON
// both ways, so what the server answers is what callers get.
import type { Clock } from '../host/host.js';
import { ApiError, isNotFound } from './api-error.js';
import type { ApiClient, ListOptions } from './client.js';
import { loadClientNode } from './client-node-lib.js';
import { answerError, isTransient, noAnswerError, type Request } from './http-errors.js';
import { refOf, type KubeObject, type ObjectRef } from './objects.js';
import { pathOf, resourceOf, resourcePath } from './resources.js';
import { CertificateError } from '../errors.js';
import { patchContentTypes } from '../patches/patch-files.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RealClientOptions {
  /** Bound on each call, all its attempts included (timeouts.kubernetesAPICall). */
  readonly timeoutMs: number;
  /** The host's clock: the deadline and the pauses between attempts run on it. */
  readonly clock: Clock;
  /** Aborting stops the call in flight and its retries. */
  readonly signal?: AbortSignal;
  /** Where the kubeconfig came from, for messages (default "the kubeconfig"). */
  readonly source?: string;
}

/** Backoff between attempts: 250 ms doubling to 2 s, each pause jittered by ±20% so clients do not retry in step. */
export const firstRetryDelayMs = 250;
export const maxRetryDelayMs = 2_000;
/** Least time one attempt gets, even right at the deadline, so the last attempt can still see a real answer. */
const minAttemptMs = 250;

/** Reads the kubeconfig (its current context) and returns a client for its cluster. Sends nothing yet. */
export async function realClient(kubeconfigText: string, o: RealClientOptions): Promise<ApiClient> {
  const k8s = await loadClientNode();
  const source = o.source ?? 'the kubeconfig';
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromString(kubeconfigText);
  } catch (err) {
    throw new CertificateError(source, `${source} is not a valid kubeconfig file: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
      fix: `repair ${source}, or write it again (tskubeadm init phase kubeconfig)`,
    });
  }
  const server = kc.getCurrentCluster()?.server ?? '';
  if (server === '') {
    throw new CertificateError(source, `${source} names no cluster server in its current context "${kc.getCurrentContext()}"`, {
      fix: `repair ${source}, or write it again (tskubeadm init phase kubeconfig)`,
    });
  }
  const config = k8s.createConfiguration({ baseServer: new k8s.ServerConfiguration(server, {}) });

  interface Sent { readonly status: number; readonly body: string; readonly retryAfterMs?: number }

  /** One HTTP exchange; throws only when no answer came. */
  async function send(method: Method, path: string, query: ListOptions, body: unknown, contentType: string, signal: AbortSignal): Promise<Sent> {
    const ctx = config.baseServer.makeRequestContext(path, k8s.HttpMethod[method]);
    for (const [k, v] of Object.entries(query)) if (typeof v === 'string' && v !== '') ctx.setQueryParam(k, v);
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('User-Agent', 'tskubeadm');
    if (body !== undefined) {
      ctx.setHeaderParam('Content-Type', contentType);
      ctx.setBody(JSON.stringify(body));
    }
    await kc.applySecurityAuthentication(ctx);
    ctx.setSignal(signal);
    const res = await config.httpApi.send(ctx).toPromise();
    const retryAfter = Number(res.headers['retry-after']);
    return { status: res.httpStatusCode, body: await res.body.text(), ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
  }

  /** A request with retries of transient failures, all within timeoutMs on the host clock. */
  async function call(method: Method, path: string, opts: { query?: ListOptions; body?: unknown; contentType?: string } = {}): Promise<unknown> {
    const req: Request = { method, path, server, source };
    const start = o.clock.now().getTime();
    const deadline = start + Math.max(0, o.timeoutMs);
    let delay = firstRetryDelayMs;
    for (let attempt = 1; ; attempt++) {
      o.signal?.throwIfAborted();
      const left = deadline - o.clock.now().getTime();
      let error: ApiError;
      let retryAfterMs: number | undefined;
      const sent = await bounded(o, Math.max(left, minAttemptMs), (signal) =>
        send(method, path, opts.query ?? {}, opts.body, opts.contentType ?? 'application/json', signal));
      if ('answer' in sent) {
        const { status, body } = sent.answer;
        if (status >= 200 && status < 300) return body === '' ? {} : parseJson(req, body);
        error = answerError(req, status, body);
        retryAfterMs = sent.answer.retryAfterMs;
      } else {
        o.signal?.throwIfAborted();
        error = noAnswerError(req, sent.error, sent.timedOut);
      }
      const remaining = deadline - o.clock.now().getTime();
      if (!isTransient(error)) throw error;
      if (remaining <= 0) throw gaveUp(error, attempt, o.clock.now().getTime() - start);
      const pause = Math.min(retryAfterMs ?? jitter(delay), remaining);
      await o.clock.sleep(pause, o.signal);
      delay = Math.min(delay * 2, maxRetryDelayMs);
    }
  }

  const itemsOf = (list: unknown, kind: string): KubeObject[] => {
    const t = resourceOf(kind);
    const items = (list as { items?: unknown }).items;
    // List items come without apiVersion and kind: the list's type gives them.
    return Array.isArray(items) ? items.map((i) => ({ apiVersion: t.apiVersion, kind: t.kind, ...(i as object) }) as KubeObject) : [];
  };

  return {
    async get(ref: ObjectRef) {
      try {
        return (await call('GET', pathOf(ref))) as KubeObject;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async list(kind, namespace, opts = {}) {
      return itemsOf(await call('GET', resourcePath(resourceOf(kind), namespace), { query: opts }), kind);
    },
    async create(obj) {
      return (await call('POST', resourcePath(resourceOf(obj.kind), obj.metadata.namespace), { body: obj })) as KubeObject;
    },
    async update(obj) {
      return (await call('PUT', pathOf(refOf(obj)), { body: obj })) as KubeObject;
    },
    async patch(ref, patch, type) {
      return (await call('PATCH', pathOf(ref), { body: patch, contentType: patchContentTypes[type] })) as KubeObject;
    },
    async delete(ref) {
      try {
        await call('DELETE', pathOf(ref));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
  };
}

type Bounded<T> = { readonly answer: T } | { readonly error: unknown; readonly timedOut: boolean };

/**
 * Runs one attempt, aborted after `ms` or when the caller's signal aborts. The bound is real time, not the host
 * clock: the network is real even when a test drives the host clock by hand (a fake clock's sleep returns at once).
 */
async function bounded<T>(o: RealClientOptions, ms: number, attempt: (signal: AbortSignal) => Promise<T>): Promise<Bounded<T>> {
  const request = new AbortController();
  const onAbort = (): void => request.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => request.abort(new Error(`no answer within ${ms} ms`)), ms);
  try {
    return { answer: await attempt(request.signal) };
  } catch (error) {
    return { error, timedOut: request.signal.aborted && !(o.signal?.aborted ?? false) };
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

function parseJson(req: Request, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new ApiError(200, 'InternalError', `${req.method} ${req.path} on ${req.server} answered with a body that is not JSON`, { cause: err });
  }
}

function gaveUp(last: ApiError, attempts: number, elapsedMs: number): ApiError {
  const s = attempts === 1 ? '' : 's';
  return new ApiError(last.status, last.reason, `${last.message} (gave up after ${attempts} attempt${s} in ${(elapsedMs / 1000).toFixed(1)}s)`, {
    cause: last,
    ...(last.fix === undefined ? {} : { fix: last.fix }),
  });
}

const jitter = (ms: number): number => Math.round(ms * (0.8 + Math.random() * 0.4));
