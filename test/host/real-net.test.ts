import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { realHost } from '../../src/host/real-host.js';

function hold(host: string, port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port, host, ...(host === '::' ? { ipv6Only: true } : {}) }, () => resolve(s));
  });
}
const close = (s: net.Server | http.Server) => new Promise<void>((r) => s.close(() => r()));
const portOf = (s: net.Server | http.Server) => (s.address() as AddressInfo).port;

// kubeadm's `listen tcp :<port>` fails whichever address holds the port; so must canListen.
for (const addr of ['0.0.0.0', '127.0.0.1', '::', '::1']) {
  test(`canListen is false for a port held on ${addr}`, async (t) => {
    let s: net.Server;
    try {
      s = await hold(addr);
    } catch (e) {
      t.skip(`cannot bind ${addr} here: ${(e as Error).message}`);
      return;
    }
    try {
      assert.equal(await realHost().net.canListen(portOf(s)), false);
    } finally {
      await close(s);
    }
  });
}

test('canListen is true for a free port, and leaves it free', async () => {
  const s = await hold('0.0.0.0');
  const port = portOf(s);
  await close(s);
  const h = realHost();
  assert.equal(await h.net.canListen(port), true);
  assert.equal(await h.net.canListen(port), true);
});

test('httpGet returns status and body; times out; honours an abort signal', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') res.end('ok');
    else if (req.url === '/missing') { res.statusCode = 404; res.end('nope'); }
    // /hang never answers
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${portOf(server)}`;
  const h = realHost();
  try {
    assert.deepEqual(await h.net.httpGet(`${base}/healthz`, { timeoutMs: 5000 }), { status: 200, body: 'ok' });
    assert.deepEqual(await h.net.httpGet(`${base}/missing`, { timeoutMs: 5000 }), { status: 404, body: 'nope' });
    await assert.rejects(h.net.httpGet(`${base}/hang`, { timeoutMs: 50 }), /no answer within 50 ms/);
    const ac = new AbortController();
    const pending = h.net.httpGet(`${base}/hang`, { timeoutMs: 60_000, signal: ac.signal });
    ac.abort(new Error('stopped by test'));
    await assert.rejects(pending, /stopped by test/);
    const gone = await hold('127.0.0.1');
    const closed = portOf(gone);
    await close(gone);
    await assert.rejects(h.net.httpGet(`http://127.0.0.1:${closed}/`, { timeoutMs: 5000 }), { code: 'ECONNREFUSED' });
  } finally {
    server.closeAllConnections();
    await close(server);
  }
});

test('lookup resolves localhost and gives [] for a name that does not exist', async () => {
  const h = realHost();
  const addrs = await h.net.lookup('localhost');
  assert.ok(addrs.some((a) => a === '127.0.0.1' || a === '::1'), addrs.join(','));
  assert.deepEqual(await h.net.lookup('no-such-host.invalid'), []);
});

test('interfaces include loopback with a prefix length', async () => {
  const lo = (await realHost().net.interfaces()).find((i) => i.address === '127.0.0.1');
  assert.deepEqual(lo && { family: lo.family, internal: lo.internal, prefix: lo.prefix }, { family: 4, internal: true, prefix: 8 });
});
