import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { realHost } from '../../src/host/real-host.js';
import { fakeHost } from '../helpers/fake-host.js';

test('system reads the running kernel', async () => {
  const s = realHost().system;
  assert.match((await s.readKernelFile('/proc/self/status')) ?? '', /^Name:/m);
  assert.equal(await s.readKernelFile('/proc/no-such-file'), undefined);
  assert.ok((await s.listKernelDir('/proc/self'))?.includes('status'));
  assert.equal(await s.listKernelDir('/sys/no-such-dir'), undefined);
  assert.equal(s.kernelRelease(), os.release());
  assert.equal(s.osType(), 'Linux');
  assert.equal(s.euid(), process.geteuid?.());
  assert.ok(s.cpuCount() >= 1 && s.totalMemoryBytes() > 0);
});

test('defaultRouteInterface reads /proc/net/route through the system', async () => {
  // The real net over a fake kernel: the parser gets the fake's text.
  const { realNet } = await import('../../src/host/real-net.js');
  const kernel = fakeHost({ kernelFiles: {
    '/proc/net/route': 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
      'ens3\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n',
  } }).system;
  const n = realNet(kernel);
  assert.equal(await n.defaultRouteInterface(4), 'ens3');
  assert.equal(await n.defaultRouteInterface(6), undefined);
});

test('clock sleep resolves, and rejects with the abort reason when aborted (before or during)', async () => {
  const c = realHost().clock;
  assert.equal(await c.sleep(5), undefined);
  const ac = new AbortController();
  const p = c.sleep(60_000, ac.signal);
  ac.abort(new Error('cancelled'));
  await assert.rejects(p, /cancelled/);
  await assert.rejects(c.sleep(1, ac.signal), /cancelled/);
});

test('env is a frozen copy', () => {
  const h = realHost({ env: { A: '1' } });
  assert.equal(h.env.A, '1');
  assert.ok(Object.isFrozen(h.env));
});
