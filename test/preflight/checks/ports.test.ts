// Ports against real listeners this test holds open, through the real host's canListen.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pass } from '../../../src/preflight/check.js';
import { legacyPortFree, portFree } from '../../../src/preflight/checks/ports.js';
import { realHost } from '../../../src/host/real-host.js';
import { initTargetOf } from '../healthy-host.js';

function listen(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port: 0, host }, () => resolve(s));
  });
}
const portOf = (s: net.Server): number => (s.address() as net.AddressInfo).port;
const close = (s: net.Server): Promise<void> => new Promise((r) => s.close(() => r()));

describe('port checks on the real host', () => {
  const host = realHost();
  const target = initTargetOf();
  let wildcard: net.Server;
  let loopback: net.Server;
  before(async () => {
    wildcard = await listen('0.0.0.0');
    loopback = await listen('127.0.0.1');
  });
  after(async () => {
    await close(wildcard);
    await close(loopback);
  });

  it('reports a port held on 0.0.0.0 as in use', async () => {
    const p = portOf(wildcard);
    const r = await portFree(() => p)({ host, target });
    assert.deepEqual(r.warnings, []);
    assert.match(r.errors[0] ?? '', new RegExp(`^Port ${p} is in use — .*ss -ltnp 'sport = :${p}'`));
  });

  it('reports a port held on 127.0.0.1 only as in use too', async () => {
    const p = portOf(loopback);
    const r = await portFree(() => p)({ host, target });
    assert.match(r.errors[0] ?? '', new RegExp(`^Port ${p} is in use`));
  });

  it('passes once the listener is gone', async () => {
    const s = await listen('0.0.0.0');
    const p = portOf(s);
    await close(s);
    assert.deepEqual(await portFree(() => p)({ host, target }), pass);
  });

  it('only warns for the legacy insecure ports', async () => {
    const p = portOf(wildcard);
    const r = await legacyPortFree(p, 'kube-scheduler')({ host, target });
    assert.deepEqual(r.errors, []);
    assert.match(r.warnings[0] ?? '', new RegExp(`^Port ${p} is in use — it was the insecure port of kube-scheduler before Kubernetes 1\\.23`));
  });
});
