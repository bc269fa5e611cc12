import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterface } from '../../src/host/host.js';
import { kubeletDefaultNodeIP, nodeIPFlag, type NodeAddressFacts } from '../../src/kubelet/node-ip.js';

const nic = (name: string, address: string, family: 4 | 6 = 4): NetworkInterface => ({ name, address, family, internal: false, prefix: family === 4 ? 24 : 64 });
const lo: NetworkInterface = { name: 'lo', address: '127.0.0.1', family: 4, internal: true, prefix: 8 };

// A Vagrant/VirtualBox machine: the default route leaves through the NAT interface; the cluster network is eth1.
const vagrant: NodeAddressFacts = {
  interfaces: [lo, nic('eth0', '10.0.2.15'), nic('eth1', '192.168.56.10')],
  nodeNameAddresses: ['127.0.1.1'],
  defaultRoute: { 4: 'eth0', 6: undefined },
};

test('the kubelet alone takes the default-route address: on a Vagrant box the NAT one', () => {
  assert.equal(kubeletDefaultNodeIP(vagrant), '10.0.2.15');
  assert.equal(nodeIPFlag('192.168.56.10', vagrant), '192.168.56.10');
});

test('no flag when the kubelet would choose the advertise address anyway (kubeadm-flags.env stays kubeadm\'s)', () => {
  assert.equal(nodeIPFlag('10.0.2.15', vagrant), undefined);
  const single: NodeAddressFacts = { interfaces: [lo, nic('eth0', '192.0.2.10')], nodeNameAddresses: [], defaultRoute: { 4: 'eth0', 6: undefined } };
  assert.equal(nodeIPFlag('192.0.2.10', single), undefined);
});

test('a node name that resolves to one of the host\'s IPv4 addresses wins over the default route, as in the kubelet', () => {
  const resolved = { ...vagrant, nodeNameAddresses: ['fe80::1', '127.0.1.1', '192.168.56.10'] };
  assert.equal(kubeletDefaultNodeIP(resolved), '192.168.56.10');
  assert.equal(nodeIPFlag('192.168.56.10', resolved), undefined);
  // An address that is not on this host is not taken from DNS.
  assert.equal(kubeletDefaultNodeIP({ ...vagrant, nodeNameAddresses: ['203.0.113.9'] }), '10.0.2.15');
});

test('an advertise address that is not on this host, or not unicast, gets no flag', () => {
  assert.equal(nodeIPFlag('198.51.100.7', vagrant), undefined);
  assert.equal(nodeIPFlag('0.0.0.0', vagrant), undefined);
  assert.equal(nodeIPFlag('', vagrant), undefined);
});

test('an IPv6 advertise address on a dual-stack host whose kubelet would report IPv4', () => {
  const dual: NodeAddressFacts = {
    interfaces: [lo, nic('eth0', '192.0.2.10'), nic('eth0', '2001:db8::10', 6)],
    nodeNameAddresses: [],
    defaultRoute: { 4: 'eth0', 6: 'eth0' },
  };
  assert.equal(nodeIPFlag('2001:db8::10', dual), '2001:db8::10');
  assert.equal(nodeIPFlag('2001:0db8:0:0::10', dual), '2001:db8::10');
});
