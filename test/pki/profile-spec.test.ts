// A profile rendered for one node and one moment: subject, usages and validity as kubeadm >= 1.31
// computes them (one creation time; notBefore 5 minutes earlier; leaf and CA periods from config).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certProfiles } from '../../pki/certificates.js';
import { defaultClusterConfiguration } from '../../src/config/default-configs.js';
import type { ClusterConfiguration } from '../../src/config/types.js';
import { backdateMs, certificateSpec, clientCertificateSpec } from '../../src/pki/profile-spec.js';

const hourMs = 3600 * 1000;
const startedAt = new Date('2026-03-01T12:00:00Z');

function profile(name: string) {
  const p = certProfiles.find((c) => c.name === name);
  assert.ok(p, name);
  return p;
}

function id(edit: Partial<ClusterConfiguration> = {}) {
  return { nodeName: 'node-1', advertiseAddress: '192.0.2.10', cluster: { ...defaultClusterConfiguration(), ...edit } };
}

describe('certificateSpec', () => {
  it('backdates every certificate by 5 minutes', () => {
    assert.equal(backdateMs, 5 * 60 * 1000);
    for (const p of certProfiles) {
      assert.equal(certificateSpec(p, id(), startedAt).spec.notBefore.toISOString(), '2026-03-01T11:55:00.000Z', p.name);
    }
  });

  it('gives a leaf startedAt + certificateValidityPeriod and a CA startedAt + caCertificateValidityPeriod', () => {
    const cluster = { certificateValidityPeriodMs: 100 * hourMs, caCertificateValidityPeriodMs: 1000 * hourMs };
    for (const p of certProfiles) {
      const { spec } = certificateSpec(p, id(cluster), startedAt);
      const period = p.ca === undefined ? 1000 * hourMs : 100 * hourMs;
      assert.equal(spec.notAfter.getTime(), startedAt.getTime() + period, p.name);
      assert.equal(spec.isCA, p.ca === undefined, p.name);
    }
  });

  it('uses kubeadm\'s default periods: one year for a leaf, ten for a CA', () => {
    assert.equal(certificateSpec(profile('apiserver'), id(), startedAt).spec.notAfter.toISOString(), '2027-03-01T12:00:00.000Z');
    assert.equal(certificateSpec(profile('ca'), id(), startedAt).spec.notAfter.toISOString(), '2036-02-27T12:00:00.000Z');
  });

  it('takes subject, usages and SANs from the profile', () => {
    const client = certificateSpec(profile('apiserver-kubelet-client'), id(), startedAt).spec;
    assert.equal(client.commonName, 'kube-apiserver-kubelet-client');
    assert.deepEqual(client.organization, ['kubeadm:cluster-admins']);
    assert.deepEqual(client.usages, ['clientAuth']);
    assert.deepEqual([client.dnsNames, client.ips], [[], []]);

    const ca = certificateSpec(profile('etcd-ca'), id(), startedAt).spec;
    assert.deepEqual([ca.commonName, ca.dnsNames, ca.usages], ['etcd-ca', ['etcd-ca'], []]);

    const server = certificateSpec(profile('etcd-server'), id(), startedAt).spec;
    assert.equal(server.commonName, 'node-1');
    assert.deepEqual(server.usages, ['serverAuth', 'clientAuth']);
    assert.deepEqual(server.ips, ['192.0.2.10', '127.0.0.1', '::1']);
  });

  it('names the certificate file in SAN warnings', () => {
    const c = defaultClusterConfiguration();
    const r = certificateSpec(profile('etcd-peer'), id({ etcd: { local: { ...c.etcd.local!, peerCertSANs: ['not valid'] } } }), startedAt);
    assert.deepEqual(r.warnings, [
      "[certificates] WARNING: 'not valid' was not added to the 'etcd/peer.crt' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry",
    ]);
    const api = certificateSpec(profile('apiserver'), id({ apiServer: { ...c.apiServer, certSANs: ['-bad-'] } }), startedAt);
    assert.match(api.warnings[0] ?? '', /'-bad-' was not added to the 'apiserver\.crt' SAN/);
  });
});

describe('clientCertificateSpec', () => {
  it('is a clientAuth leaf for the user and groups, backdated, lasting the given period', () => {
    assert.deepEqual(clientCertificateSpec('kubernetes-admin', ['kubeadm:cluster-admins'], startedAt, 24 * hourMs), {
      commonName: 'kubernetes-admin',
      organization: ['kubeadm:cluster-admins'],
      usages: ['clientAuth'],
      isCA: false,
      dnsNames: [],
      ips: [],
      notBefore: new Date('2026-03-01T11:55:00Z'),
      notAfter: new Date('2026-03-02T12:00:00Z'),
    });
  });
});
