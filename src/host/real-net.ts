// Sockets on the real machine. node:http, node:https and node:dns are imported when first
// used: loading them costs ~5 ms, paid otherwise by every command, `tskubeadm version` included.
import net from 'node:net';
import os from 'node:os';
import type { HostNet, HostSystem, HttpGetOptions, HttpRequestOptions, HttpResponse, NetworkInterface, UnixConnectResult } from './host.js';
import { parseIpv4DefaultRoute, parseIpv6DefaultRoute } from './route-table.js';

/** Larger answers are cut: every body we fetch (health checks, cluster-info) is small. */
const maxBodyBytes = 16 * 1024 * 1024;

export function realNet(system: Pick<HostSystem, 'readKernelFile'>): HostNet {
  return {
    canListen,
    httpGet,
    httpRequest,
    async lookup(hostname) {
      try {
        const dns = await import('node:dns');
        return (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
      } catch {
        return [];
      }
    },
    interfaces: async () => listInterfaces(),
    connectUnix,
    async defaultRouteInterface(family) {
      const text = await system.readKernelFile(family === 4 ? '/proc/net/route' : '/proc/net/ipv6_route');
      if (text === undefined) return undefined;
      return family === 4 ? parseIpv4DefaultRoute(text) : parseIpv6DefaultRoute(text);
    },
  };
}

function tryListen(port: number, host: string, ipv6Only?: boolean): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    server.listen({ port, host, exclusive: true, ...(ipv6Only === undefined ? {} : { ipv6Only }) }, () => {
      server.close(() => resolve(undefined));
    });
  });
}

/** kubeadm's check is `net.Listen("tcp", ":<port>")`: a dual-stack wildcard bind. On Linux that bind fails
 *  when any address holds the port (0.0.0.0, 127.0.0.1, ::, ::1), so one attempt covers them all. */
export async function canListen(port: number): Promise<boolean> {
  const err = await tryListen(port, '::', false);
  if (err === undefined) return true;
  // No IPv6 on this machine: the IPv4 wildcard is the whole answer.
  if (err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL') return (await tryListen(port, '0.0.0.0')) === undefined;
  return false;
}

export function httpGet(url: string, opts: HttpGetOptions): Promise<HttpResponse> {
  return httpRequest(url, { ...opts, method: 'GET' });
}

export async function httpRequest(url: string, opts: HttpRequestOptions): Promise<HttpResponse> {
  opts.signal?.throwIfAborted();
  const u = new URL(url);
  const request = u.protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
  const what = `${opts.method} ${url}`;
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(opts.body));
  }
  return new Promise((resolve, reject) => {
    const req = request(u, {
      method: opts.method,
      headers,
      timeout: opts.timeoutMs,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      ...(u.protocol === 'https:' ? { rejectUnauthorized: opts.insecure !== true, ...(opts.ca === undefined ? {} : { ca: opts.ca }),
        ...(opts.cert === undefined ? {} : { cert: opts.cert }),
        ...(opts.key === undefined ? {} : { key: opts.key }) } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= maxBodyBytes) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`${what}: no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`${what}: no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (e) => reject(opts.signal?.aborted ? opts.signal.reason : e));
    req.end(opts.body);
  });
}

function listInterfaces(): NetworkInterface[] {
  const out: NetworkInterface[] = [];
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      const family = a.family === 'IPv6' || (a.family as unknown) === 6 ? 6 : 4;
      const prefix = Number(a.cidr?.split('/')[1] ?? (family === 4 ? 32 : 128));
      out.push({ name, address: a.address, family, internal: a.internal, prefix });
    }
  }
  return out;
}

export function connectUnix(path: string, timeoutMs: number): Promise<UnixConnectResult> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ path });
    const done = (r: UnixConnectResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ ok: false, code: 'ETIMEDOUT' }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (e: NodeJS.ErrnoException) => done({ ok: false, code: e.code ?? 'EIO' }));
  });
}
