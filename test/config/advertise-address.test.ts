import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAdvertiseAddress } from '../../src/config/advertise-address.js';
import { configHost, eth0, lo } from './config-host.js';

const v6: typeof eth0 = { name: 'eth1', address: '2001:db8::10', family: 6, internal: false, prefix: 64 };
const linkLocal: typeof eth0 = { name: 'eth0', address: 'fe80::1', family: 6, internal: false, prefix: 64 };

test('the default-route interface\'s global address, IPv4 first', async () => {
  const host = configHost({ interfaces: [lo, eth0, v6], defaultRoute: { 4: 'eth0', 6: 'eth1' } });
  assert.deepEqual(await chooseAdvertiseAddress(host, ''), { ok: true, address: '192.168.1.10' });
  assert.deepEqual(await chooseAdvertiseAddress(host, '0.0.0.0'), { ok: true, address: '192.168.1.10' });
  const v6only = configHost({ interfaces: [lo, v6], defaultRoute: { 6: 'eth1' } });
  assert.deepEqual(await chooseAdvertiseAddress(v6only, ''), { ok: true, address: '2001:db8::10' });
});

test('a given address is kept; loopback means the global address on lo (RFC 5549 setups)', async () => {
  const host = configHost({ interfaces: [lo, { ...lo, address: '10.1.1.1' }, linkLocal], defaultRoute: { 4: 'eth0' } });
  assert.deepEqual(await chooseAdvertiseAddress(host, '10.2.2.2'), { ok: true, address: '10.2.2.2' });
  assert.deepEqual(await chooseAdvertiseAddress(host, '127.0.0.1'), { ok: true, address: '10.1.1.1' });
  // The default-route interface has only a link-local address: lo's global address is used.
  assert.deepEqual(await chooseAdvertiseAddress(host, ''), { ok: true, address: '10.1.1.1' });
  const bare = configHost({ interfaces: [lo] });
  const r = await chooseAdvertiseAddress(bare, '127.0.0.1');
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.message, 'unable to resolve link-local addresses');
});

test('no default route: 0.0.0.0 with kubeadm\'s warning; a route without usable address: kubeadm\'s error', async () => {
  const r = await chooseAdvertiseAddress(configHost({ interfaces: [lo, eth0], defaultRoute: {} }), '');
  assert.equal(r.ok && r.address, '0.0.0.0');
  assert.match((r.ok && r.warning) || '', /^could not obtain a bind address for the API Server: no default routes found/);
  const bad = await chooseAdvertiseAddress(configHost({ interfaces: [lo, linkLocal], defaultRoute: { 6: 'eth0' } }), '');
  assert.equal(!bad.ok && bad.message, 'unable to select an IP from default routes.');
});

test('a multi-NIC host: the default-route address is used, and the other candidates are named in a warning', async () => {
  const eth1: typeof eth0 = { name: 'eth1', address: '10.0.2.15', family: 4, internal: false, prefix: 24 };
  const host = configHost({ interfaces: [lo, eth1, eth0, v6], defaultRoute: { 4: 'eth0' } });
  assert.deepEqual(await chooseAdvertiseAddress(host, ''), {
    ok: true,
    address: '192.168.1.10',
    warning:
      'using advertise address 192.168.1.10, the address of eth0 which holds the default route; this host also has ' +
      '10.0.2.15 (eth1): if other nodes must reach the API server on one of those, set localAPIEndpoint.advertiseAddress ' +
      'in the config file or pass --apiserver-advertise-address',
  });
  // An explicit address is never second-guessed.
  assert.deepEqual(await chooseAdvertiseAddress(host, '10.0.2.15'), { ok: true, address: '10.0.2.15' });
});
