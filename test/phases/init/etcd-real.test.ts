// The generated etcd manifest run for real: the certs and etcd phases write the PKI and etcd.yaml into a
// temp root, and the `etcd` binary (Debian's etcd-server, installed by .ci/run) is started with exactly
// the manifest's command line, host paths moved under the temp root and busy ports moved to free ones.
// Then etcdctl must find the member healthy with the healthcheck-client certificate, read and write
// with the apiserver-etcd-client one, and be refused with a certificate from another CA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { parse } from 'yaml';
import type { InitConfig } from '../../../src/config/types.js';
import { manifestCommand } from '../../../src/manifest-files/static-pod-files.js';
import { certs } from '../../../src/phases/init/certs.js';
import { etcd } from '../../../src/phases/init/etcd.js';
import { etcdctl, etcdSkipReason, startEtcdFromManifest } from '../../helpers/etcd-process.js';
import { openssl } from '../../helpers/openssl.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';
import { initConfig } from '../../preflight/healthy-host.js';

const skip = etcdSkipReason(['openssl']);

const pkiDir = '/etc/kubernetes/pki';
// Deep reads of the parsed manifest.
type Json = Record<string, any>;

/** etcd 3.4 knows the flags kubeadm writes for an etcd image below 3.6.0. */
function config(): InitConfig {
  return initConfig((c) => ({
    ...c,
    init: { ...c.init, localAPIEndpoint: { ...c.init.localAPIEndpoint, advertiseAddress: '127.0.0.1' }, nodeRegistration: { ...c.init.nodeRegistration, name: 'etcd-real' } },
    cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256', etcd: { local: { ...c.cluster.etcd.local!, imageTag: '3.5.21-0' } } },
  }));
}

/** An HTTPS GET over mutual TLS: the status, or the TLS/socket error code and message. */
async function tlsGet(url: string, tls: { cacert: string; cert: string; key: string }): Promise<{ status: number } | { error: string }> {
  const [ca, cert, key] = await Promise.all([readFile(tls.cacert), readFile(tls.cert), readFile(tls.key)]);
  return new Promise((resolve) => {
    const req = httpsRequest(url, { ca, cert, key, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: `${err.code ?? ''} ${err.message}`.trim() }));
    req.end();
  });
}

async function httpGet(url: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: (await res.text()).trim() };
  } catch (err) {
    return { error: String((err as Error).cause ?? err) };
  }
}

test('etcd runs from the generated manifest and serves only clients of the etcd CA', { skip, timeout: 120_000 }, (t) => withTempRoot(async (root) => {
  const host = tempRootHost(root, { env: {} });
  await runInitPhases([certs, etcd], config(), host);

  const manifest = parse(await readFile(path.join(root, 'etc/kubernetes/manifests/etcd.yaml'), 'utf8')) as Record<string, unknown>;
  const command = manifestCommand(manifest);
  assert.equal(command[0], 'etcd');
  assert.ok(command.includes('--experimental-initial-corrupt-check=true'), 'an etcd tag below 3.6.0 gives the flags etcd 3.4 knows');

  const member = await startEtcdFromManifest(root, { t, waitFor: 'health' });
  for (const [from, to] of member.moved) t.diagnostic(`${from} is busy here: using ${to} instead`);
  t.diagnostic(member.dropped.length === 0 ? 'etcd accepted every flag of the manifest' : `flags dropped: ${member.dropped.join(', ')}`);
  const pki = (file: string) => path.join(root, pkiDir, file);
  const clientURL = member.clientURL;
  const container = ((manifest['spec'] as Record<string, unknown>)['containers'] as Json[])[0]!;
  const probe = container['livenessProbe']['httpGet'] as { host: string; path: string; scheme: string };
  // The probe names its port by the container port's name (probe-port).
  const probePort = container['ports'][0]['containerPort'] as number;
  const probeHostPort = member.moved.get(`${probe.host}:${probePort}`) ?? `${probe.host}:${probePort}`;
  {
    const healthcheck = { cacert: pki('etcd/ca.crt'), cert: pki('etcd/healthcheck-client.crt'), key: pki('etcd/healthcheck-client.key') };
    const health = etcdctl(clientURL, healthcheck, ['endpoint', 'health']);
    assert.equal(health.status, 0, health.out);
    assert.match(health.out, /is healthy/);

    const apiserver = { cacert: pki('etcd/ca.crt'), cert: pki('apiserver-etcd-client.crt'), key: pki('apiserver-etcd-client.key') };
    const put = etcdctl(clientURL, apiserver, ['put', '/registry/tskubeadm-test', 'stored']);
    assert.equal(put.status, 0, put.out);
    const get = etcdctl(clientURL, apiserver, ['get', '/registry/tskubeadm-test', '--print-value-only']);
    assert.equal(get.status, 0, get.out);
    assert.equal(get.out.trim(), 'stored');

    // A client certificate from another CA, made by openssl: the TLS handshake must fail.
    const other = { key: path.join(root, 'other.key'), ca: path.join(root, 'other-ca.crt'), cert: path.join(root, 'other.crt'), csr: path.join(root, 'other.csr') };
    const caKey = path.join(root, 'other-ca.key');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', other.ca, '-days', '1', '-subj', '/CN=other-ca']);
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', other.key, '-out', other.csr, '-subj', '/CN=kube-apiserver-etcd-client']);
    const ext = path.join(root, 'other.ext');
    await writeFile(ext, 'extendedKeyUsage=clientAuth\n');
    openssl(['x509', '-req', '-in', other.csr, '-CA', other.ca, '-CAkey', caKey, '-CAcreateserial', '-out', other.cert, '-days', '1', '-extfile', ext]);
    const intruder = { cacert: pki('etcd/ca.crt'), cert: other.cert, key: other.key };
    const refused = etcdctl(clientURL, intruder, ['put', '/registry/tskubeadm-test', 'overwritten']);
    assert.notEqual(refused.status, 0, `a certificate from another CA was accepted: ${refused.out}`);
    t.diagnostic(`another CA's client certificate: etcdctl exit ${refused.status}: ${refused.out.trim().split('\n').at(-1)}`);
    // Why: the TLS handshake itself ends with etcd's alert, while the etcd CA's client gets an answer.
    const viaApiserver = await tlsGet(`${clientURL}/health`, apiserver);
    assert.deepEqual(viaApiserver, { status: 200 });
    const viaIntruder = await tlsGet(`${clientURL}/health`, intruder);
    assert.ok('error' in viaIntruder && /ALERT|certificate|unknown ca/i.test(viaIntruder.error), JSON.stringify(viaIntruder));
    t.diagnostic(`TLS with another CA's client certificate: ${viaIntruder.error}`);
    assert.equal(etcdctl(clientURL, apiserver, ['get', '/registry/tskubeadm-test', '--print-value-only']).out.trim(), 'stored');

    // The kubelet's probes: the manifest's URL, and the endpoints etcd 3.4 really has.
    const base = `${probe.scheme.toLowerCase()}://${probeHostPort}`;
    const live = await httpGet(`${base}/health`);
    assert.deepEqual('status' in live ? [live.status, JSON.parse(live.body).health] : live, [200, 'true']);
    for (const p of [probe.path, '/readyz']) {
      const r = await httpGet(`${base}${p}`);
      t.diagnostic(`this etcd on ${p}: ${'status' in r ? `HTTP ${r.status} ${r.body.slice(0, 80)}` : r.error}` +
        (p === probe.path ? ` (the manifest's liveness probe; ${base}/health answers 200)` : ''));
    }
  }
  await member.stop(); // before withTempRoot removes its data directory
}));
