// Subject Alternative Names per rule, against kubeadm's construction (util/pkiutil
// GetAPIServerAltNames / GetEtcdAltNames / appendSANsToAltNames) as kubeadm-facts.md §3.2 records it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultClusterConfiguration } from '../../src/config/default-configs.js';
import type { ClusterConfiguration, LocalEtcd } from '../../src/config/types.js';
import { AltNamesError, altNamesFor, type NodeIdentity } from '../../src/pki/alt-names.js';

type ClusterEdit = {
  serviceSubnet?: string;
  dnsDomain?: string;
  controlPlaneEndpoint?: string;
  certSANs?: string[];
  etcd?: Partial<Pick<LocalEtcd, 'serverCertSANs' | 'peerCertSANs'>>;
};

function identity(edit: ClusterEdit = {}, node: { nodeName?: string; advertiseAddress?: string } = {}): NodeIdentity {
  const c = defaultClusterConfiguration();
  const cluster: ClusterConfiguration = {
    ...c,
    networking: {
      ...c.networking,
      ...(edit.serviceSubnet === undefined ? {} : { serviceSubnet: edit.serviceSubnet }),
      ...(edit.dnsDomain === undefined ? {} : { dnsDomain: edit.dnsDomain }),
    },
    controlPlaneEndpoint: edit.controlPlaneEndpoint ?? '',
    apiServer: { ...c.apiServer, certSANs: edit.certSANs ?? [] },
    etcd: { local: { ...c.etcd.local!, ...edit.etcd } },
  };
  return { nodeName: node.nodeName ?? 'node-1', advertiseAddress: node.advertiseAddress ?? '192.0.2.10', cluster };
}

const apiserver = (id: NodeIdentity) => altNamesFor('apiserver', 'kube-apiserver', 'apiserver.crt', id);
const kubernetesNames = (domain: string) => ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`];

describe('API server SANs', () => {
  it('are the node, kubernetes.*, the first service IP and the advertise address by default', () => {
    assert.deepEqual(apiserver(identity()), {
      dnsNames: [...kubernetesNames('cluster.local'), 'node-1'],
      ips: ['10.96.0.1', '192.0.2.10'],
      warnings: [],
    });
  });

  it('use the service DNS domain', () => {
    assert.deepEqual(apiserver(identity({ dnsDomain: 'corp.example' })).dnsNames, [...kubernetesNames('corp.example'), 'node-1']);
  });

  it('take the virtual IP from the first service CIDR only (dual-stack)', () => {
    assert.deepEqual(apiserver(identity({ serviceSubnet: '10.96.0.0/16,fd00:10:96::/112' })).ips, ['10.96.0.1', '192.0.2.10']);
    assert.deepEqual(apiserver(identity({ serviceSubnet: 'fd00:10:96::/112,10.96.0.0/16' })).ips, ['fd00:10:96::1', '192.0.2.10']);
    assert.deepEqual(apiserver(identity({ serviceSubnet: '10.100.0.0/24' })).ips, ['10.100.0.1', '192.0.2.10']);
  });

  it('fail on a service subnet without a first address', () => {
    assert.throws(() => apiserver(identity({ serviceSubnet: '10.96.0.1/32' })), AltNamesError);
  });

  it('add the controlPlaneEndpoint host as a DNS name or as an IP', () => {
    assert.deepEqual(apiserver(identity({ controlPlaneEndpoint: 'cp.example.test:6443' })).dnsNames,
      ['cp.example.test', ...kubernetesNames('cluster.local'), 'node-1']);
    assert.deepEqual(apiserver(identity({ controlPlaneEndpoint: 'lb.example.test' })).dnsNames,
      [...kubernetesNames('cluster.local'), 'lb.example.test', 'node-1']);
    const ip = apiserver(identity({ controlPlaneEndpoint: '192.0.2.100:6443' }));
    assert.deepEqual(ip.ips, ['10.96.0.1', '192.0.2.10', '192.0.2.100']);
    assert.deepEqual(ip.dnsNames, [...kubernetesNames('cluster.local'), 'node-1']);
    assert.deepEqual(apiserver(identity({ controlPlaneEndpoint: '[fd00:0::100]:6443' })).ips, ['10.96.0.1', '192.0.2.10', 'fd00::100']);
    // The endpoint being this node's own address adds nothing.
    assert.deepEqual(apiserver(identity({ controlPlaneEndpoint: '192.0.2.10:6443' })).ips, ['10.96.0.1', '192.0.2.10']);
  });

  it('sort certSANs into IPs, DNS names and wildcards, and drop the rest with kubeadm\'s warning', () => {
    const r = apiserver(identity({ certSANs: ['10.0.0.5', 'api.example.test', '*.apps.example.test', 'Bad_Name', 'a..b', 'https://x.test', 'fd00::5'] }));
    assert.deepEqual(r.dnsNames, ['*.apps.example.test', 'api.example.test', ...kubernetesNames('cluster.local'), 'node-1']);
    assert.deepEqual(r.ips, ['10.96.0.1', '192.0.2.10', '10.0.0.5', 'fd00::5']);
    assert.deepEqual(r.warnings, ['Bad_Name', 'a..b', 'https://x.test'].map((san) =>
      `[certificates] WARNING: '${san}' was not added to the 'apiserver.crt' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry`));
  });

  it('sort DNS names bytewise and drop duplicates', () => {
    const r = apiserver(identity({ certSANs: ['zz.example.test', 'node-1', 'kubernetes', 'a.example.test', 'zz.example.test', '0.example.test'] }));
    assert.deepEqual(r.dnsNames, ['0.example.test', 'a.example.test', ...kubernetesNames('cluster.local'), 'node-1', 'zz.example.test']);
  });

  it('drop duplicate IPs keeping the first, comparing IPv6 in canonical form', () => {
    const r = apiserver(identity({
      controlPlaneEndpoint: '[fd00::5]:6443',
      certSANs: ['10.0.0.5', 'FD00:0:0:0:0:0:0:5', '10.96.0.1', '192.0.2.10', '010.000.000.005', 'fd00:0::5', '10.0.0.6'],
    }));
    assert.deepEqual(r.ips, ['10.96.0.1', '192.0.2.10', 'fd00::5', '10.0.0.5', '10.0.0.6']);
  });

  it('write an IPv6 advertise address in canonical form', () => {
    const r = apiserver(identity({}, { advertiseAddress: 'FD00:0:0:0:0:0:0:10' }));
    assert.deepEqual(r.ips, ['10.96.0.1', 'fd00::10']);
  });

  it('treat an IPv4-mapped IPv6 SAN as the IPv4 address, as Go does', () => {
    const r = apiserver(identity({ certSANs: ['::ffff:10.0.0.5', '10.0.0.5', '::ffff:192.0.2.10'] }));
    assert.deepEqual(r.ips, ['10.96.0.1', '192.0.2.10', '10.0.0.5']);
  });

  it('refuse an advertise address that is not an IP, in kubeadm\'s words', () => {
    assert.throws(() => apiserver(identity({}, { advertiseAddress: 'node-1.example' })), {
      name: 'Error',
      message: 'error parsing LocalAPIEndpoint AdvertiseAddress node-1.example: is not a valid textual representation of an IP address',
    });
    assert.throws(() => apiserver(identity({}, { advertiseAddress: 'x' })), AltNamesError);
  });
});

describe('etcd SANs', () => {
  const etcd = { serverCertSANs: ['etcd.example.test', '10.0.0.7', 'ETCD_BAD', '::1'], peerCertSANs: ['peer.example.test', 'fd00::8', 'a.example.test'] };

  it('serving: node, localhost, advertise, 127.0.0.1, ::1 and the server SANs', () => {
    const r = altNamesFor('etcd-server', 'node-1', 'etcd/server.crt', identity({ etcd }));
    assert.deepEqual(r.dnsNames, ['etcd.example.test', 'localhost', 'node-1']);
    assert.deepEqual(r.ips, ['192.0.2.10', '127.0.0.1', '::1', '10.0.0.7']);
    assert.deepEqual(r.warnings, [
      "[certificates] WARNING: 'ETCD_BAD' was not added to the 'etcd/server.crt' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry",
    ]);
  });

  it('peer: the same base with the peer SANs, never the server ones', () => {
    const r = altNamesFor('etcd-peer', 'node-1', 'etcd/peer.crt', identity({ etcd }));
    assert.deepEqual(r.dnsNames, ['a.example.test', 'localhost', 'node-1', 'peer.example.test']);
    assert.deepEqual(r.ips, ['192.0.2.10', '127.0.0.1', '::1', 'fd00::8']);
    assert.deepEqual(r.warnings, []);
  });

  it('ignore the API server settings', () => {
    const r = altNamesFor('etcd-server', 'node-1', 'etcd/server.crt',
      identity({ certSANs: ['api.example.test'], controlPlaneEndpoint: 'cp.example.test:6443' }));
    assert.deepEqual(r, { dnsNames: ['localhost', 'node-1'], ips: ['192.0.2.10', '127.0.0.1', '::1'], warnings: [] });
  });
});

describe('other rules', () => {
  it('a self-signed CA carries its CommonName; a client certificate nothing', () => {
    assert.deepEqual(altNamesFor('ca-common-name', 'front-proxy-ca', 'front-proxy-ca.crt', identity()),
      { dnsNames: ['front-proxy-ca'], ips: [], warnings: [] });
    assert.deepEqual(altNamesFor('none', 'kube-apiserver-etcd-client', 'apiserver-etcd-client.crt', identity({ certSANs: ['x.test'] })),
      { dnsNames: [], ips: [], warnings: [] });
  });
});
