// A cluster PKI made by the project's own certs and kubeconfig phases under a temp root, the test API
// server over it, and a plain node:https client that speaks as any of the kubeconfig users, a bootstrap
// token, a foreign certificate, or nobody.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import { defaultInitConfig } from '../../src/config/default-configs.js';
import type { InitConfig } from '../../src/config/types.js';
import { certs } from '../../src/phases/init/certs.js';
import { kubeconfig } from '../../src/phases/init/kubeconfig.js';
import { startTestApiServer, type TestApiServer, type TestApiServerOptions } from '../helpers/api-server/server.js';
import { runInitPhases } from '../helpers/run-init-phases.js';
import { tempRootHost } from '../helpers/temp-root.js';

export interface ClientCredentials {
  readonly cert: string;
  readonly key: string;
}

export interface Cluster {
  readonly root: string;
  readonly pkiDir: string;
  readonly caPem: string;
  /** admin.conf (group kubeadm:cluster-admins), super-admin.conf (system:masters), kubelet.conf (system:node:node-1). */
  readonly admin: ClientCredentials;
  readonly superAdmin: ClientCredentials;
  readonly kubelet: ClientCredentials;
  readonly server: TestApiServer;
  close(): Promise<void>;
}

function clusterConfig(): InitConfig {
  const base = defaultInitConfig({ advertiseAddress: '127.0.0.1', nodeName: 'node-1', token: 'abcdef.0123456789abcdef' });
  return { ...base, cluster: { ...base.cluster, encryptionAlgorithm: 'ECDSA-P256' } };
}

async function credentialsOf(file: string): Promise<ClientCredentials> {
  const doc = parse(await readFile(file, 'utf8')) as { users: { user: Record<string, string> }[] };
  const d = (v: string | undefined) => Buffer.from(v ?? '', 'base64').toString();
  return { cert: d(doc.users[0]?.user['client-certificate-data']), key: d(doc.users[0]?.user['client-key-data']) };
}

export async function startCluster(o: Omit<TestApiServerOptions, 'pkiDir'> = {}): Promise<Cluster> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-api-server-'));
  try {
    await runInitPhases([certs, kubeconfig], clusterConfig(), tempRootHost(root));
    const kdir = path.join(root, 'etc/kubernetes');
    const pkiDir = path.join(kdir, 'pki');
    const server = await startTestApiServer({ pkiDir, signerIntervalMs: 0, ...o });
    return {
      root, pkiDir, server,
      caPem: await readFile(path.join(pkiDir, 'ca.crt'), 'utf8'),
      admin: await credentialsOf(path.join(kdir, 'admin.conf')),
      superAdmin: await credentialsOf(path.join(kdir, 'super-admin.conf')),
      kubelet: await credentialsOf(path.join(kdir, 'kubelet.conf')),
      close: async () => {
        try {
          await server.close();
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

export interface Call {
  readonly method?: string;
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly as?: ClientCredentials;
  readonly token?: string;
}

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> & { readonly items?: KubeObject[] };
}

/** One request on a fresh connection, trusting only the cluster CA. */
export function call(cluster: Cluster, c: Call): Promise<Reply> {
  const body = c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = c.contentType ?? 'application/json';
  if (c.token !== undefined) headers['Authorization'] = `Bearer ${c.token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(`${cluster.server.url}${c.path}`, {
      method: c.method ?? 'GET', headers, ca: cluster.caPem, agent: false,
      ...(c.as === undefined ? {} : { cert: c.as.cert, key: c.as.key }),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Reply['json'];
        try {
          json = JSON.parse(text) as Reply['json'];
        } catch {
          json = {};
        }
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A key and certificate from a CA the cluster does not know, claiming system:masters. */
export async function foreignCredentials(dir: string): Promise<ClientCredentials> {
  const key = path.join(dir, 'foreign.key');
  const cert = path.join(dir, 'foreign.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/O=system:masters/CN=intruder', '-keyout', key, '-out', cert], { stdio: 'pipe' });
  return { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
}

/** A PKCS#10 request (PEM) and its key, made by openssl for a subject like `/O=system:nodes/CN=system:node:node-2`. */
export async function certificateRequest(dir: string, subject: string, extra: readonly string[] = []): Promise<{ csr: string; key: string }> {
  const key = path.join(dir, `req-${Math.random().toString(36).slice(2)}.key`);
  const csr = `${key}.csr`;
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject,
    '-keyout', key, '-out', csr, ...extra], { stdio: 'pipe' });
  return { csr: await readFile(csr, 'utf8'), key: await readFile(key, 'utf8') };
}

export async function writeTemp(dir: string, name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

/** A bootstrap token Secret as kubeadm writes it (data base64). */
export function tokenSecret(id: string, secret: string, extra: Record<string, string> = {}): KubeObject {
  const data: Record<string, string> = {
    'token-id': id, 'token-secret': secret, 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true',
    'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token', ...extra,
  };
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token',
    metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

/** The ClusterRoleBinding kubeadm makes so admin.conf's group is cluster-admin. */
export const clusterAdminsBinding: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'kubeadm:cluster-admins' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kubeadm:cluster-admins' }],
};
