// The certificates proven the way a cluster uses them, by Go's TLS stack (not OpenSSL): a real
// etcd serves clients and peers with etcd/server and etcd/peer, demands client certificates from
// etcd-ca, and etcdctl reaches it with the apiserver-etcd-client and healthcheck-client pairs;
// then etcd stands in for the API server, serving apiserver.crt to the kubeconfig client
// certificates. A client certificate from another CA must be refused. Skipped without
// etcd/etcdctl (.ci/run installs Debian's etcd-server and etcd-client).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadInitConfig } from '../../../src/config/load.js';
import { currentEntries, parseKubeconfig } from '../../../src/kubeconfig/kubeconfig.js';
import { initPhases } from '../../../src/phases/init/tree.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';

const missing = ['etcd', 'etcdctl'].filter((b) => spawnSync('which', [b]).status !== 0);
const skip = missing.length > 0 ? `${missing.join(' and ')} not on PATH (Debian: etcd-server, etcd-client)` : false;

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const running: ChildProcess[] = [];
after(() => {
  for (const p of running) p.kill('SIGKILL');
});

/** Runs the certs and kubeconfig phases into root; the API server certificate also names 127.0.0.1. */
async function pki(root: string, algorithm: string): Promise<string> {
  await writeFile(path.join(root, 'kubeadm.yaml'), [
    'apiVersion: kubeadm.k8s.io/v1beta4', 'kind: InitConfiguration', 'localAPIEndpoint:', '  advertiseAddress: 192.0.2.10',
    'nodeRegistration:', '  name: etcd-node', '  criSocket: unix:///var/run/containerd/containerd.sock', '---',
    'apiVersion: kubeadm.k8s.io/v1beta4', 'kind: ClusterConfiguration', `encryptionAlgorithm: ${algorithm}`,
    'apiServer:', '  certSANs: [127.0.0.1]', '',
  ].join('\n'));
  const host = tempRootHost(root);
  const cfg = await loadInitConfig({ host, configPath: '/kubeadm.yaml', flags: {} });
  await runInitPhases(initPhases, cfg, host, { only: 'certs' });
  await runInitPhases(initPhases, cfg, host, { only: 'kubeconfig' });
  return path.join(root, 'etc/kubernetes/pki');
}

/** etcdctl with a client pair (a base path under dir, or absolute); a later --cacert in args wins over etcd's CA. */
function etcdctl(dir: string, endpoint: string, client: string, ...args: string[]) {
  const base = path.isAbsolute(client) ? client : `${dir}/${client}`;
  return spawnSync('etcdctl', [
    `--endpoints=${endpoint}`, `--cacert=${dir}/etcd/ca.crt`, `--cert=${base}.crt`, `--key=${base}.key`,
    '--dial-timeout=2s', '--command-timeout=3s', ...args,
  ], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
}

/** The client pair embedded in a kubeconfig, written out as <dir>/<name>.crt and .key. */
async function embeddedPair(root: string, file: string): Promise<string> {
  const conf = `${root}/etc/kubernetes/${file}`;
  const { user } = currentEntries(parseKubeconfig(await readFile(conf, 'utf8'), conf));
  assert.ok(user?.clientCertificateData && user.clientKeyData, `${file} embeds a client pair`);
  const base = path.join(root, file.replace(/\.conf$/, '-client'));
  await writeFile(`${base}.crt`, user.clientCertificateData);
  await writeFile(`${base}.key`, user.clientKeyData, { mode: 0o600 });
  return base;
}

interface Tls {
  /** The serving pair (base path without .crt/.key) and the CA it trusts for clients. */
  readonly server: string;
  readonly clientCA: string;
  /** The pair etcdctl waits with until etcd answers. */
  readonly probe: string;
}

const etcdTls: Tls = { server: 'etcd/server', clientCA: 'etcd/ca', probe: 'etcd/healthcheck-client' };

/** Starts etcd on loopback with the generated pairs and mutual TLS on both its client and peer ports. */
async function startEtcd(root: string, dir: string, tls: Tls = etcdTls): Promise<{ endpoint: string; log: () => string }> {
  const [client, peer, metrics] = [await freePort(), await freePort(), await freePort()];
  const peerURL = `https://127.0.0.1:${peer}`;
  const endpoint = `https://127.0.0.1:${client}`;
  let log = '';
  const p = spawn('etcd', [
    '--name=etcd-node', `--data-dir=${root}/var/lib/etcd`,
    `--listen-client-urls=${endpoint}`, `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peerURL}`, `--initial-advertise-peer-urls=${peerURL}`, `--initial-cluster=etcd-node=${peerURL}`,
    `--listen-metrics-urls=http://127.0.0.1:${metrics}`,
    `--cert-file=${dir}/${tls.server}.crt`, `--key-file=${dir}/${tls.server}.key`, '--client-cert-auth=true', `--trusted-ca-file=${dir}/${tls.clientCA}.crt`,
    `--peer-cert-file=${dir}/etcd/peer.crt`, `--peer-key-file=${dir}/etcd/peer.key`, '--peer-client-cert-auth=true', `--peer-trusted-ca-file=${dir}/etcd/ca.crt`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(p);
  p.stdout.on('data', (d) => (log += d));
  p.stderr.on('data', (d) => (log += d));
  for (let i = 0; i < 100; i++) {
    if (p.exitCode !== null) break;
    if (etcdctl(dir, endpoint, tls.probe, 'endpoint', 'health', `--cacert=${dir}/${tls.clientCA}.crt`).status === 0) return { endpoint, log: () => log };
    await new Promise((r) => setTimeout(r, 200));
  }
  p.kill('SIGKILL');
  assert.fail(`etcd did not become healthy with the generated certificates:\n${log.slice(-3000)}`);
}

describe('a real etcd runs on the generated etcd certificates', { skip }, () => {
  for (const algorithm of ['RSA-2048', 'ECDSA-P384']) {
    it(`${algorithm}: serves etcdctl with the apiserver and healthcheck client pairs, and refuses another CA's client`, () =>
      withTempRoot(async (root) => {
        const dir = await pki(root, algorithm);
        const { endpoint } = await startEtcd(root, dir);

        const put = etcdctl(dir, endpoint, 'apiserver-etcd-client', 'put', '/registry/tskubeadm', algorithm);
        assert.equal(put.status, 0, put.stderr);
        const get = etcdctl(dir, endpoint, 'apiserver-etcd-client', 'get', '/registry/tskubeadm', '--print-value-only');
        assert.equal(get.stdout.trim(), algorithm, get.stderr);
        const members = etcdctl(dir, endpoint, 'etcd/healthcheck-client', 'member', 'list');
        assert.match(members.stdout, /etcd-node, https:\/\/127\.0\.0\.1:\d+/, members.stderr);

        // Signed by front-proxy-ca, not etcd-ca: the TLS handshake must fail.
        const stranger = etcdctl(dir, endpoint, 'front-proxy-client', 'get', '/registry/tskubeadm');
        assert.notEqual(stranger.status, 0, 'etcd accepted a client certificate from another CA');
      }));
  }

  // No kube-apiserver can run here, so etcd stands in for it: Go's TLS serving apiserver.crt and
  // demanding client certificates from the cluster CA, as the API server does.
  it('ECDSA-P256: apiserver.crt serves Go TLS clients, and every kubeconfig client certificate is accepted by the cluster CA', () =>
    withTempRoot(async (root) => {
      const dir = await pki(root, 'ECDSA-P256');
      const admin = await embeddedPair(root, 'admin.conf');
      const { endpoint } = await startEtcd(root, dir, { server: 'apiserver', clientCA: 'ca', probe: admin });
      for (const file of ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf']) {
        const pair = await embeddedPair(root, file);
        const r = etcdctl(dir, endpoint, pair, `--cacert=${dir}/ca.crt`, 'put', `/check/${file}`, 'ok');
        assert.equal(r.status, 0, `${file}: ${r.stderr}`);
      }
      const apiserverClient = etcdctl(dir, endpoint, 'apiserver-kubelet-client', `--cacert=${dir}/ca.crt`, 'get', '/check/admin.conf', '--print-value-only');
      assert.equal(apiserverClient.stdout.trim(), 'ok', apiserverClient.stderr);
      // The etcd client pair is signed by etcd-ca, which the API server's port does not trust.
      const stranger = etcdctl(dir, endpoint, 'apiserver-etcd-client', `--cacert=${dir}/ca.crt`, 'get', '/check/admin.conf');
      assert.notEqual(stranger.status, 0, 'a certificate from etcd-ca was accepted where only the cluster CA is trusted');
    }));
});
