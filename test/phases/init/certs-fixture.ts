// The fixture of the init certs phase tests: one config that reaches every SAN rule and period,
// the phase run as the CLI runs it on a temp root with a fixed clock, and before/after snapshots.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadInitConfig } from '../../../src/config/load.js';
import { CertificateError } from '../../../src/errors.js';
import { captureOutput } from '../../../src/output/output.js';
import { initPhases } from '../../../src/phases/init/tree.js';
import { runPhases } from '../../../src/workflow/run.js';
import { selectPhases } from '../../../src/workflow/select.js';
import { initContext } from '../../helpers/init-context.js';
import { tempRootHost } from '../../helpers/temp-root.js';

export const hourMs = 3600 * 1000;
export const backdateMs = 5 * 60 * 1000;
// Whole seconds: X.509 times have no milliseconds, so validity can be compared exactly.
export const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
export const pkiDir = 'etc/kubernetes/pki';

/** ClusterConfiguration etcd.external (indented under `etcd:`), its client files under /etc/etcd. */
export const externalEtcdYaml =
  '  external:\n    endpoints: [https://10.0.0.20:2379]\n    caFile: /etc/etcd/ca.crt\n    certFile: /etc/etcd/client.crt\n    keyFile: /etc/etcd/client.key\n';

export interface ConfigOptions {
  readonly algorithm?: string;
  readonly certSANs?: readonly string[];
  readonly externalEtcd?: boolean;
}

/** The InitConfiguration document the init and join test configs share (node-1 at 192.0.2.10, containerd), with
 *  its `---` separator: a ClusterConfiguration follows. */
export const node1InitDocument = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
nodeRegistration:
  name: node-1
  criSocket: unix:///var/run/containerd/containerd.sock
---
`;

/** Dual-stack services, an endpoint, extra SANs everywhere and non-default periods, so each reaches the files. */
export function configYaml(o: ConfigOptions = {}): string {
  const etcd = o.externalEtcd === true
    ? externalEtcdYaml
    : '  local:\n    serverCertSANs: [etcd.example.test, 10.0.0.7]\n    peerCertSANs: [peer.example.test, 10.0.0.8]\n';
  return `${node1InitDocument}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
encryptionAlgorithm: ${o.algorithm ?? 'RSA-2048'}
controlPlaneEndpoint: cp.example.test:6443
certificateValidityPeriod: 2400h
caCertificateValidityPeriod: 48000h
networking:
  dnsDomain: corp.local
  serviceSubnet: 10.96.0.0/16,fd00:10:96::/112
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
apiServer:
  certSANs: ${JSON.stringify(o.certSANs ?? ['10.0.0.5', 'FD00:0::5', '*.apps.example.test', 'extra.example.test', '192.0.2.10'])}
etcd:
${etcd}`;
}

export interface PhaseResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly error: unknown;
}

/** `init phase certs` as the CLI runs it (selection, runner, context), on a temp root with a fixed clock. */
export async function runCerts(root: string, o: ConfigOptions = {}): Promise<PhaseResult> {
  await writeFile(path.join(root, 'kubeadm.yaml'), configYaml(o));
  const host = tempRootHost(root, { now: startedAt });
  const cfg = await loadInitConfig({ host, configPath: '/kubeadm.yaml', flags: {} });
  const out = captureOutput();
  const selection = selectPhases(initPhases, { only: 'certs' });
  const ctx = initContext(cfg, host, out, { selected: selection.run.map((p) => p.path) });
  let error: unknown;
  try {
    await runPhases(selection, ctx, { renderer: { out, execute: async (steps) => { for (const s of steps) await s.run(); } } });
  } catch (err) {
    error = err;
  }
  return { stdout: out.stdout(), stderr: out.stderr(), error };
}

export async function freshPki(o: ConfigOptions = {}): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-certs-'));
  const r = await runCerts(root, o);
  assert.equal(r.error, undefined, String(r.error));
  return root;
}

/** Every path under root but the config with its kind, mode, content hash and mtime: equal snapshots = nothing rewritten. */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const entries = (await readdir(root, { recursive: true })).filter((p) => p !== 'kubeadm.yaml').sort();
  const snap = new Map<string, string>();
  for (const rel of entries) {
    const st = await lstat(path.join(root, rel));
    const mode = (st.mode & 0o7777).toString(8);
    const hash = st.isFile() ? createHash('sha256').update(await readFile(path.join(root, rel))).digest('hex') : '-';
    snap.set(rel, `${st.isDirectory() ? 'dir' : 'file'} ${mode} ${hash} ${st.mtimeMs}`);
  }
  return snap;
}

/** The CertificateError along an error's cause chain. */
export function certificateError(err: unknown): CertificateError {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof CertificateError) return e;
  assert.fail(`no CertificateError in ${String(err)}`);
}

export const file = (root: string, rel: string) => path.join(root, pkiDir, rel);

// ---------------------------------------------------------------------------------------------
// What each file must be. Written out, not derived from pki/certificates.ts, so the table is checked too.

export type Usage = 'server' | 'client' | 'both';
export interface Expected {
  readonly subject: string;
  readonly ca?: string;
  readonly usage?: Usage;
  readonly san?: string;
}

export const allIPv6Loopback = 'IP Address:0:0:0:0:0:0:0:1';
export const expectedCerts: Readonly<Record<string, Expected>> = {
  'ca': { subject: 'CN=kubernetes', san: 'DNS:kubernetes' },
  'apiserver': {
    subject: 'CN=kube-apiserver', ca: 'ca', usage: 'server',
    san: ['DNS:*.apps.example.test', 'DNS:cp.example.test', 'DNS:extra.example.test', 'DNS:kubernetes', 'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.corp.local', 'DNS:node-1',
      'IP Address:10.96.0.1', 'IP Address:192.0.2.10', 'IP Address:10.0.0.5', 'IP Address:FD00:0:0:0:0:0:0:5'].join(', '),
  },
  'apiserver-kubelet-client': { subject: 'CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins', ca: 'ca', usage: 'client' },
  'front-proxy-ca': { subject: 'CN=front-proxy-ca', san: 'DNS:front-proxy-ca' },
  'front-proxy-client': { subject: 'CN=front-proxy-client', ca: 'front-proxy-ca', usage: 'client' },
  'etcd/ca': { subject: 'CN=etcd-ca', san: 'DNS:etcd-ca' },
  'etcd/server': {
    subject: 'CN=node-1', ca: 'etcd/ca', usage: 'both',
    san: `DNS:etcd.example.test, DNS:localhost, DNS:node-1, IP Address:192.0.2.10, IP Address:127.0.0.1, ${allIPv6Loopback}, IP Address:10.0.0.7`,
  },
  'etcd/peer': {
    subject: 'CN=node-1', ca: 'etcd/ca', usage: 'both',
    san: `DNS:localhost, DNS:node-1, DNS:peer.example.test, IP Address:192.0.2.10, IP Address:127.0.0.1, ${allIPv6Loopback}, IP Address:10.0.0.8`,
  },
  'etcd/healthcheck-client': { subject: 'CN=kube-etcd-healthcheck-client', ca: 'etcd/ca', usage: 'client' },
  'apiserver-etcd-client': { subject: 'CN=kube-apiserver-etcd-client', ca: 'etcd/ca', usage: 'client' },
};
export const certNames = Object.keys(expectedCerts);
export const etcdNames = ['etcd/ca', 'etcd/server', 'etcd/peer', 'etcd/healthcheck-client', 'apiserver-etcd-client'];
