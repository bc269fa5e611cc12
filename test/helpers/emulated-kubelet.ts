// The kubelet of a joining node, emulated against the test API server: once `systemctl restart kubelet` ran
// and /etc/kubernetes/bootstrap-kubelet.conf exists, it makes a key, sends a kubelet client CSR
// (CN=system:node:<name>, O=system:nodes) with the bootstrap token, waits for the server's approver and signer,
// keeps the certificate in /var/lib/kubelet/pki/kubelet-client-current.pem, writes kubelet.conf pointing at it,
// and registers its Node with that new identity. Its healthz (10248) answers while it runs.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from '../../src/api/client.js';
import { realClient } from '../../src/api/real-client.js';
import type { Host, HttpGetOptions } from '../../src/host/host.js';
import { createCertificateRequest } from '../../src/pki/certificate.js';
import { encodePrivateKey, generatePrivateKey } from '../../src/pki/keys.js';
import { realHost } from '../../src/host/index.js';
import { currentEntries, encodeKubeconfig, parseKubeconfig, type Kubeconfig } from '../../src/kubeconfig/kubeconfig.js';
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
const bootstrapConf = 'etc/kubernetes/bootstrap-kubelet.conf';
const kubeletConf = 'etc/kubernetes/kubelet.conf';
const clientPem = '/var/lib/kubelet/pki/kubelet-client-current.pem';

async function client(kubeconfig: string): Promise<ApiClient> {
  return realClient(kubeconfig, { timeoutMs: 10_000, clock });
}

export interface TlsBootstrapOptions {
  /** Where the API server really is, when bootstrap-kubelet.conf names one the test cannot reach: a joining
   *  control plane's own (local) API server, stood in for by the test API server elsewhere. kubelet.conf keeps
   *  the server bootstrap-kubelet.conf names. */
  readonly apiServer?: string;
  /** Runs with the new node identity before kubelet.conf is written: join stops waiting once kubelet.conf works. */
  readonly beforeKubeletConf?: (asNode: ApiClient) => Promise<void>;
}

/**
 * The kubelet's TLS bootstrap on the node under `root`: with bootstrap-kubelet.conf's token, a kubelet client CSR
 * (CN=system:node:<name>, O=system:nodes), waited for until the server's approver and signer answer; the
 * certificate and key go to /var/lib/kubelet/pki/kubelet-client-current.pem, then kubelet.conf points at it.
 */
export async function kubeletTlsBootstrap(root: string, nodeName: string, o: TlsBootstrapOptions = {}): Promise<void> {
  const file = (p: string) => path.join(root, p);
  const bootstrapText = await readFile(file(bootstrapConf), 'utf8');
  const boot = parseKubeconfig(bootstrapText, `/${bootstrapConf}`);
  const { cluster } = currentEntries(boot);
  if (cluster?.certificateAuthorityData === undefined) throw new Error(`/${bootstrapConf} has no CA data`);
  const reached = (kc: Kubeconfig): Kubeconfig => (o.apiServer === undefined ? kc
    : { ...kc, clusters: kc.clusters.map((c) => ({ ...c, server: o.apiServer! })) });
  const api = await client(encodeKubeconfig(reached(boot)));
  const key = await generatePrivateKey('ECDSA-P256');
  const now = new Date();
  const request = await createCertificateRequest({
    commonName: `system:node:${nodeName}`, organization: ['system:nodes'], usages: ['clientAuth'], isCA: false,
    dnsNames: [], ips: [], notBefore: now, notAfter: now,
  }, key);
  const name = `node-csr-${randomBytes(6).toString('hex')}`;
  await api.create({
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
    spec: { request: Buffer.from(request).toString('base64'), signerName: kubeletClientSigner, usages: ['digital signature', 'client auth'] },
  });
  // Bounded by attempts, not by time: a loaded machine only makes it slower.
  let certPem: string | undefined;
  for (let i = 0; i < 600 && certPem === undefined; i++) {
    const csr = await api.get({ kind: 'CertificateSigningRequest', name });
    const cert = (csr?.['status'] as { certificate?: string } | undefined)?.certificate;
    if (cert !== undefined && cert !== '') certPem = Buffer.from(cert, 'base64').toString();
    else await new Promise((r) => setTimeout(r, 50));
  }
  if (certPem === undefined) throw new Error(`the CSR ${name} was never signed`);
  const keyPem = encodePrivateKey(key);
  await mkdir(file(path.dirname(clientPem)), { recursive: true });
  await writeFile(file(clientPem), certPem + keyPem, { mode: 0o600 });

  const conf = (user: Kubeconfig['users'][number]): Kubeconfig => ({
    clusters: [{ name: 'default-cluster', server: cluster.server, certificateAuthorityData: cluster.certificateAuthorityData! }],
    users: [user],
    contexts: [{ name: 'default-context', cluster: 'default-cluster', user: 'default-auth', namespace: 'default' }],
    currentContext: 'default-context',
  });
  if (o.beforeKubeletConf !== undefined) {
    const asNode = conf({ name: 'default-auth', clientCertificateData: certPem, clientKeyData: keyPem });
    await o.beforeKubeletConf(await client(encodeKubeconfig(reached(asNode))));
  }
  await writeFile(file(kubeletConf), encodeKubeconfig(conf({ name: 'default-auth', clientCertificate: clientPem, clientKey: clientPem })), { mode: 0o600 });
}

/** A joining machine named `hostname` under `root` whose kubelet bootstraps itself once started. */
export function emulateKubelet(root: string, hostname: string): EmulatedKubelet {
  let running = false;
  let bootstrapping: Promise<void> | undefined;
  let failure: unknown;
  const file = (p: string) => path.join(root, p);

  const bootstrap = async (): Promise<void> => {
    if (existsSync(file(kubeletConf)) || !existsSync(file(bootstrapConf))) return;
    await kubeletTlsBootstrap(root, hostname, {
      beforeKubeletConf: async (asNode) => {
        await asNode.create({
          apiVersion: 'v1', kind: 'Node',
          metadata: { name: hostname, labels: { 'kubernetes.io/hostname': hostname } }, spec: {},
        });
      },
    });
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
