import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pass, type PreflightTarget } from '../../../src/preflight/check.js';
import { etcdVersionURL, externalEtcdVersion } from '../../../src/preflight/checks/etcd.js';
import type { HttpGetOptions } from '../../../src/host/host.js';
import { healthyHost, initTargetOf, runOn } from '../healthy-host.js';

const url = 'https://10.0.0.5:2379/version';
const tlsFiles = { '/etc/etcd/ca.crt': 'CA PEM', '/etc/etcd/client.crt': 'CERT PEM', '/etc/etcd/client.key': 'KEY PEM' };

function externalTarget(dryRun = false): PreflightTarget {
  return initTargetOf((c) => ({
    ...c,
    cluster: {
      ...c.cluster,
      etcd: { external: { endpoints: ['https://10.0.0.5:2379'], caFile: '/etc/etcd/ca.crt', certFile: '/etc/etcd/client.crt', keyFile: '/etc/etcd/client.key' } },
    },
  }), dryRun);
}

const answer = (etcdserver: string) => ({ status: 200, body: JSON.stringify({ etcdserver, etcdcluster: '3.6.0' }) });

describe('ExternalEtcdVersion', () => {
  it('passes for a new enough etcd, sending the CA and the client pair', async () => {
    let seen: HttpGetOptions | undefined;
    const host = healthyHost({ files: tlsFiles, http: { [url]: (_u: string, o: HttpGetOptions) => { seen = o; return answer('3.6.4'); } } });
    assert.deepEqual(await runOn(externalEtcdVersion, host, externalTarget()), pass);
    assert.equal(seen?.ca, 'CA PEM');
    assert.deepEqual({ cert: (seen as { cert?: string }).cert, key: (seen as { key?: string }).key }, { cert: 'CERT PEM', key: 'KEY PEM' });
  });

  it('is an error for an etcd older than 3.5.24', async () => {
    const host = healthyHost({ files: tlsFiles, http: { [url]: answer('3.5.23') } });
    const r = await runOn(externalEtcdVersion, host, externalTarget());
    assert.match(r.errors[0] ?? '', /^this version of kubeadm only supports external etcd version >= 3\.5\.24-0\. Current version: 3\.5\.23 — upgrade/);
  });

  it('retries 5xx answers three times, 5 s apart, then reports the last', async () => {
    let calls = 0;
    const host = healthyHost({ files: tlsFiles, http: { [url]: () => { calls++; return { status: 503, body: '' }; } } });
    const before = host.clock.now().getTime();
    const r = await runOn(externalEtcdVersion, host, externalTarget());
    assert.equal(calls, 4);
    assert.equal(host.clock.now().getTime() - before, 15_000);
    assert.match(r.errors[0] ?? '', /^server responded with non-successful status: 503 — /);
  });

  it('reports a connection failure', async () => {
    const r = await runOn(externalEtcdVersion, healthyHost({ files: tlsFiles }), externalTarget());
    assert.match(r.errors[0] ?? '', /^Get "https:\/\/10\.0\.0\.5:2379\/version": ECONNREFUSED/);
  });

  it('is an error when the CA file is missing, and touches no network in a dry run', async () => {
    const r = await runOn(externalEtcdVersion, healthyHost(), externalTarget());
    assert.match(r.errors[0] ?? '', /^couldn't load external etcd's server certificate \/etc\/etcd\/ca\.crt: /);
    assert.deepEqual(await runOn(externalEtcdVersion, healthyHost(), externalTarget(true)), pass);
  });

  it('builds the version URL as kubeadm normalizes it', () => {
    assert.equal(etcdVersionURL('https://10.0.0.5:2379'), url);
    assert.equal(etcdVersionURL('https://10.0.0.5:2379/'), url);
    assert.equal(etcdVersionURL('https://etcd.example//prefix/'), 'https://etcd.example/prefix/version');
  });
});
