// A small HTTPS API stand-in for the client tests: mutual TLS with certificates made by openssl,
// scripted answers, every request recorded with the client certificate it came with.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openssl } from '../helpers/openssl.js';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: string;
  /** CN of the client certificate the TLS handshake presented. */
  readonly clientCN: string | undefined;
}
export type Handler = (req: Seen, res: ServerResponse) => void;

export interface Pki {
  readonly dir: string;
  pem(name: string): string;
  remove(): void;
}

const pemIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

/** Two CAs; a server certificate for 127.0.0.1 from each; client certificates for admin.conf's and
 *  super-admin.conf's users. All EC P-256 to keep the tests fast. */
export function makePki(): Pki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsk-api-tls-'));
  const run = (...args: string[]): string => openssl(args);
  const key = (name: string) => run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path.join(dir, name));
  const ca = (name: string) => {
    key(`${name}.key`);
    run('req', '-x509', '-new', '-key', path.join(dir, `${name}.key`), '-subj', `/CN=${name}`, '-days', '2', '-out', path.join(dir, `${name}.crt`));
  };
  const leaf = (name: string, caName: string, subj: string, ext: string) => {
    key(`${name}.key`);
    run('req', '-new', '-key', path.join(dir, `${name}.key`), '-subj', subj, '-out', path.join(dir, `${name}.csr`));
    writeFileSync(path.join(dir, `${name}.ext`), ext);
    run('x509', '-req', '-in', path.join(dir, `${name}.csr`), '-CA', path.join(dir, `${caName}.crt`), '-CAkey', path.join(dir, `${caName}.key`),
      '-CAcreateserial', '-days', '1', '-extfile', path.join(dir, `${name}.ext`), '-out', path.join(dir, `${name}.crt`));
  };
  ca('ca');
  ca('other-ca');
  leaf('server', 'ca', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('stranger', 'other-ca', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('admin', 'ca', '/O=kubeadm:cluster-admins/CN=kubernetes-admin', 'extendedKeyUsage=clientAuth\n');
  leaf('super-admin', 'ca', '/O=system:masters/CN=kubernetes-super-admin', 'extendedKeyUsage=clientAuth\n');
  return { dir, pem: (name) => pemIn(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A kubeconfig with embedded data for `user` (a client certificate name in the PKI). */
export function kubeconfig(pki: Pki, server: string, user = 'admin'): string {
  const b64 = (name: string): string => Buffer.from(pki.pem(name)).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64('ca.crt')}`,
    `    server: ${server}`,
    '  name: kubernetes',
    'contexts:',
    '- context:',
    '    cluster: kubernetes',
    '    user: kubernetes-admin',
    '  name: kubernetes-admin@kubernetes',
    'current-context: kubernetes-admin@kubernetes',
    'users:',
    '- name: kubernetes-admin',
    '  user:',
    `    client-certificate-data: ${b64(`${user}.crt`)}`,
    `    client-key-data: ${b64(`${user}.key`)}`,
    '',
  ].join('\n');
}

export interface TestServer { readonly url: string; readonly seen: Seen[]; handle(h: Handler): void; close(): Promise<void> }

export async function startServer(pki: Pki, certName = 'server'): Promise<TestServer> {
  const seen: Seen[] = [];
  let handler: Handler = (_req, res) => res.writeHead(500).end();
  const server: Server = createHttpsServer(
    { key: pki.pem(`${certName}.key`), cert: pki.pem(`${certName}.crt`), ca: pki.pem('ca.crt'), requestCert: true, rejectUnauthorized: true },
    (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
        const s: Seen = {
          method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'],
          body: Buffer.concat(chunks).toString(), clientCN: typeof cn === 'string' ? cn : undefined,
        };
        seen.push(s);
        handler(s, res);
      });
    });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    handle: (h) => { handler = h; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
export const status = (res: ServerResponse, code: number, reason: string, message: string): void =>
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

