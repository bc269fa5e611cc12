// A strict stand-in for kube-apiserver (and the kube-controller-manager controllers init relies on), started
// in-process by tests: HTTPS with the cluster's apiserver certificate, authentication, RBAC, the resource
// table of src/api/resources.ts with the real API's answers, and controllers run after every write.
// See README.md beside this file for what it serves and what it rejects.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { KubeObject } from '../../../src/api/objects.js';
import { resourceOf } from '../../../src/api/resources.js';
import { authenticate, type UserInfo } from './auth.js';
import { runControllerPass, type ControllerDeps } from './controllers.js';
import { discovery } from './discovery.js';
import { handleResource, type Answer } from './handlers.js';
import { authorize, forbidden } from './rbac.js';
import { requestInfo } from './request-info.js';
import { ApiFailure, failure, internalError, methodNotAllowed, pathNotFound } from './status.js';
import { memoryStore } from './store.js';

export interface TestApiServerOptions {
  /** A cluster's /etc/kubernetes/pki on disk: apiserver.crt/.key serve, ca.crt/.key verify clients and sign CSRs. */
  readonly pkiDir: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Token expiry, creationTimestamp and certificate validity read this; default the real time. */
  readonly clock?: () => Date;
  /** How often the controllers run besides after every write; default 1000, 0 = only after writes. */
  readonly signerIntervalMs?: number;
}

export interface ServedRequest {
  readonly method: string;
  /** The URL path, without the query. */
  readonly path: string;
  /** The query string, with its `?`, or ''. */
  readonly query: string;
  /** The authenticated user; '' when authentication failed. */
  readonly user: string;
  readonly status: number;
}

export interface TestApiServer {
  /** `https://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  /** Stored objects of a kind (in one namespace, or all), as the API would return them. */
  objects(kind: string, namespace?: string): KubeObject[];
  get(kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** Stores an object without authentication or validation (state a test starts from); replaces one of the same name. */
  put(obj: KubeObject): KubeObject;
  /** Every request answered, in order. */
  readonly requests: ServedRequest[];
  /** One pass of tokencleaner, bootstrapsigner and the CSR approver/signer, now. */
  runControllers(): Promise<void>;
}

const maxBodyBytes = 3 * 1024 * 1024;
const healthPaths = /^\/(livez|readyz|healthz)(\/.*)?$/;
const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export async function startTestApiServer(o: TestApiServerOptions): Promise<TestApiServer> {
  const read = (name: string) => readFile(path.join(o.pkiDir, name));
  const [cert, key, caPem, caKey] = await Promise.all([read('apiserver.crt'), read('apiserver.key'), read('ca.crt'), read('ca.key')]);
  const clock = o.clock ?? (() => new Date());
  const store = memoryStore(clock);
  const deps: ControllerDeps = { store, clock, ca: { cert: new X509Certificate(caPem), key: createPrivateKey(caKey) } };
  const requests: ServedRequest[] = [];
  let chain: Promise<void> = Promise.resolve();
  let backgroundError: unknown;
  const pass = (): Promise<void> => {
    const run = chain.then(() => runControllerPass(deps));
    chain = run.catch((err: unknown) => { backgroundError ??= err; });
    return run;
  };
  const host = o.host ?? '127.0.0.1';
  let address = '';

  const server = https.createServer({ cert, key, ca: caPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    void serve(req, res);
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://test-api-server');
    const method = req.method ?? 'GET';
    let user: UserInfo | undefined;
    let answer: Answer;
    let text: string | undefined;
    try {
      const body = await readBody(req);
      if (!methods.has(method)) throw methodNotAllowed(`${method} is not supported`);
      const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
      const info = requestInfo(method, url.pathname, watch);
      user = authenticate(req, store, clock());
      const decision = authorize(user, info, store);
      if (!decision.allowed) throw forbidden(user, info, decision.reason);
      if (!info.isResource) {
        if (method !== 'GET') throw methodNotAllowed(`${method} is not supported on ${info.path}`);
        if (healthPaths.test(info.path)) text = 'ok';
        const doc = text === undefined ? discovery(info.path, address) : undefined;
        if (text === undefined && doc === undefined) throw pathNotFound();
        answer = { status: 200, body: doc };
      } else {
        answer = await handleResource(store, { info, user, query: url.searchParams, contentType: req.headers['content-type'] ?? '', body });
        if (info.verb !== 'get' && info.verb !== 'list') void pass().catch(() => undefined);
      }
    } catch (err) {
      answer = err instanceof ApiFailure ? { status: err.body.code, body: err.body } : { status: 500, body: internalError(String(err)).body };
      text = undefined;
    }
    requests.push({ method, path: url.pathname, query: url.search, user: user?.name ?? '', status: answer.status });
    if (text !== undefined) {
      res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
    } else {
      res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  address = hostPort;
  const interval = o.signerIntervalMs ?? 1000;
  const timer = interval > 0 ? setInterval(() => void pass().catch(() => undefined), interval) : undefined;
  timer?.unref();

  return {
    url: `https://${hostPort}`,
    port,
    requests,
    close: async () => {
      if (timer !== undefined) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await chain;
      if (backgroundError !== undefined) throw backgroundError;
    },
    objects: (kind, namespace) => store.list(resourceOf(kind), namespace),
    get: (kind, name, namespace) => store.get(resourceOf(kind), namespace, name),
    put: (obj) => {
      const t = resourceOf(obj.kind);
      const metadata = t.namespaced ? { ...obj.metadata, namespace: obj.metadata.namespace ?? 'default' } : obj.metadata;
      const placed = { ...obj, metadata };
      const saved = store.get(t, metadata.namespace, metadata.name) === undefined ? store.insert(placed) : store.replace(placed);
      void pass().catch(() => undefined);
      return saved;
    },
    runControllers: () => pass(),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
