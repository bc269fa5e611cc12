// The kubelet of a joining node, emulated against the test API server: once `systemctl restart kubelet` ran
// and /etc/kubernetes/bootstrap-kubelet.conf exists, it makes a key, sends a kubelet client CSR
// (CN=system:node:<name>, O=system:nodes) with the bootstrap token, waits for the server's approver and signer,
// keeps the certificate in /var/lib/kubelet/pki/kubelet-client-current.pem, writes kubelet.conf pointing at it,
// and registers its Node with that new identity. Its healthz (10248) answers while it runs.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { ApiClient } from '../../src/api/client.js';
import { realClient } from '../../src/api/real-client.js';
import type { Host, HttpGetOptions } from '../../src/host/host.js';
import { createCertificateRequest } from '../../src/pki/certificate.js';
import { encodePrivateKey, generatePrivateKey } from '../../src/pki/keys.js';
import { realHost } from '../../src/host/index.js';
import { kubeletClientSigner } from './api-server/csr.js';
import type { FakeCommand } from './fake-host.js';
import { tempRootHost } from './temp-root.js';

export interface EmulatedKubelet {
  /** The host of the joining machine: the temp root, systemctl faked (driving this kubelet), healthz answered. */
  readonly host: Host;
  /** Set when the TLS bootstrap failed (the test shows it). */
  error(): unknown;
  stop(): Promise<void>;
}

const clock = realHost().clock;

async function client(kubeconfig: string): Promise<ApiClient> {
  return realClient(kubeconfig, { timeoutMs: 10_000, clock });
}

/** A joining machine named `hostname` under `root` whose kubelet bootstraps itself once started. */
export function emulateKubelet(root: string, hostname: string): EmulatedKubelet {
  let running = false;
  let bootstrapping: Promise<void> | undefined;
  let failure: unknown;
  const file = (p: string) => path.join(root, p);

  const bootstrap = async (): Promise<void> => {
    if (existsSync(file('etc/kubernetes/kubelet.conf')) || !existsSync(file('etc/kubernetes/bootstrap-kubelet.conf'))) return;
    const bootstrapText = await readFile(file('etc/kubernetes/bootstrap-kubelet.conf'), 'utf8');
    const api = await client(bootstrapText);
    const key = await generatePrivateKey('ECDSA-P256');
    const now = new Date();
    const request = await createCertificateRequest({
      commonName: `system:node:${hostname}`, organization: ['system:nodes'], usages: ['clientAuth'], isCA: false,
      dnsNames: [], ips: [], notBefore: now, notAfter: now,
    }, key);
    const name = `node-csr-${randomBytes(6).toString('hex')}`;
    await api.create({
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
      spec: { request: Buffer.from(request).toString('base64'), signerName: kubeletClientSigner, usages: ['digital signature', 'client auth'] },
    });
    let certPem: string | undefined;
    for (let i = 0; i < 200 && certPem === undefined; i++) {
      const csr = await api.get({ kind: 'CertificateSigningRequest', name });
      const cert = (csr?.['status'] as { certificate?: string } | undefined)?.certificate;
      if (cert !== undefined && cert !== '') certPem = Buffer.from(cert, 'base64').toString();
      else await new Promise((r) => setTimeout(r, 50));
    }
    if (certPem === undefined) throw new Error(`the CSR ${name} was never signed`);
    const keyPem = encodePrivateKey(key);
    await mkdir(file('var/lib/kubelet/pki'), { recursive: true });
    await writeFile(file('var/lib/kubelet/pki/kubelet-client-current.pem'), certPem + keyPem, { mode: 0o600 });

    const boot = parse(bootstrapText) as { clusters: { name: string; cluster: Record<string, string> }[] };
    const cluster = boot.clusters[0]!;
    const kubeletConf = [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      `    certificate-authority-data: ${cluster.cluster['certificate-authority-data']}`,
      `    server: ${cluster.cluster['server']}`,
      '  name: default-cluster',
      'contexts:',
      '- context:',
      '    cluster: default-cluster',
      '    namespace: default',
      '    user: default-auth',
      '  name: default-context',
      'current-context: default-context',
      'kind: Config',
      'preferences: {}',
      'users:',
      '- name: default-auth',
      '  user:',
      '    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem',
      '    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem',
      '',
    ].join('\n');
    // The Node first, then kubelet.conf: join is done waiting once kubelet.conf works.
    const asNode = [
      ...kubeletConf.split('\n').slice(0, 18),
      `    client-certificate-data: ${Buffer.from(certPem).toString('base64')}`,
      `    client-key-data: ${Buffer.from(keyPem).toString('base64')}`,
      '',
    ].join('\n');
    const node = await client(asNode);
    await node.create({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: hostname, labels: { 'kubernetes.io/hostname': hostname } }, spec: {},
    });
    await writeFile(file('etc/kubernetes/kubelet.conf'), kubeletConf, { mode: 0o600 });
  };

  const start = (): void => {
    running = true;
    bootstrapping ??= bootstrap().catch((err: unknown) => {
      failure = err;
    });
  };

  const commands: Record<string, FakeCommand> = {
    systemctl: {},
    'systemctl is-system-running': { stdout: 'running\n' },
    'systemctl status kubelet': { exitCode: 3, stdout: '  Loaded: loaded (/lib/systemd/system/kubelet.service; enabled)' },
    'systemctl is-active systemd-resolved': { exitCode: 3, stdout: 'inactive\n' },
    'systemctl stop kubelet': () => {
      running = false;
      return {};
    },
    'systemctl restart kubelet': () => {
      start();
      return {};
    },
    'systemctl start kubelet': () => {
      start();
      return {};
    },
  };
  const base = tempRootHost(root, { commands, path: ['systemctl'], hostname });
  const httpGet = async (url: string, opts: HttpGetOptions) => {
    const u = new URL(url);
    if (u.port !== '10248') return base.net.httpGet(url, opts);
    if (running) return { status: 200, body: 'ok' };
    throw Object.assign(new Error(`connect ECONNREFUSED ${u.host}`), { code: 'ECONNREFUSED' });
  };
  return {
    host: { ...base, net: { ...base.net, httpGet } },
    error: () => failure,
    stop: async () => {
      running = false;
      await bootstrapping;
    },
  };
}
