// httpGet over TLS with a private CA and client certificates (mutual TLS, as an external
// etcd demands), against a real HTTPS server and certificates made by the real openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { realHost } from '../../src/host/real-host.js';

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all made by openssl. */
function makePki(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey' | 'otherCa', string> {
  const f = (n: string) => path.join(dir, n);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  for (const ca of ['ca', 'other-ca']) {
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${ca}.key`),
      '-out', f(`${ca}.crt`), '-subj', `/CN=${ca}`, '-days', '1');
  }
  const leaf = (name: string, ext: string) => {
    ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${name}.key`),
      '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
    writeFileSync(f(`${name}.ext`), ext);
    ossl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f(`${name}.crt`), '-days', '1', '-extfile', f(`${name}.ext`));
  };
  leaf('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'extendedKeyUsage=clientAuth\n');
  const r = (n: string) => readFileSync(f(n), 'utf8');
  return { ca: r('ca.crt'), otherCa: r('other-ca.crt'), serverCert: r('server.crt'), serverKey: r('server.key'),
    clientCert: r('client.crt'), clientKey: r('client.key') };
}

test('httpGet presents a client certificate and verifies the server against the given CA', async (t) => {
  if (!haveOpenssl()) {
    t.skip('openssl is not installed');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-tls-'));
  const pki = makePki(dir);
  const server = https.createServer(
    { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    (_req, res) => res.end('{"etcdserver":"3.5.24"}'),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/version`;
  const net = realHost().net;
  try {
    assert.deepEqual(await net.httpGet(url, { timeoutMs: 5000, ca: pki.ca, cert: pki.clientCert, key: pki.clientKey }),
      { status: 200, body: '{"etcdserver":"3.5.24"}' });
    // No client certificate: the server refuses the handshake.
    await assert.rejects(net.httpGet(url, { timeoutMs: 5000, ca: pki.ca }));
    // A CA that did not sign the server: we refuse the server.
    await assert.rejects(net.httpGet(url, { timeoutMs: 5000, ca: pki.otherCa, cert: pki.clientCert, key: pki.clientKey }),
      /self[- ]signed|unable to verify|certificate/i);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});
