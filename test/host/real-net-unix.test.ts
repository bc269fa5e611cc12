// connectUnix against real unix sockets: one that accepts, a missing path, and a file that is
// not a listening socket (the kernel refuses it, as it does a runtime's stale socket).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { realHost } from '../../src/host/real-host.js';

test('connectUnix tells a listening socket from a missing path and from a file nothing listens on', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-unix-'));
  const live = path.join(dir, 'live.sock');
  const plain = path.join(dir, 'plain');
  writeFileSync(plain, 'not a socket');
  const server = net.createServer((c) => c.end());
  await new Promise<void>((r) => server.listen(live, r));
  const h = realHost();
  try {
    assert.deepEqual(await h.net.connectUnix(live, 2000), { ok: true });
    assert.deepEqual(await h.net.connectUnix(path.join(dir, 'missing.sock'), 2000), { ok: false, code: 'ENOENT' });
    assert.deepEqual(await h.net.connectUnix(plain, 2000), { ok: false, code: 'ECONNREFUSED' });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});
