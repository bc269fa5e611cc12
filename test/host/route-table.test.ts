import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4DefaultRoute, parseIpv6DefaultRoute } from '../../src/host/route-table.js';

// Shapes recorded from Linux /proc/net/route and /proc/net/ipv6_route.
const header = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n';

test('IPv4: the up default route with the lowest metric wins', () => {
  const text = header +
    'wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n' +
    'eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n' +
    'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n';
  assert.equal(parseIpv4DefaultRoute(text), 'eth0');
});

test('IPv4: no default route, a down one, or a reject one gives undefined', () => {
  assert.equal(parseIpv4DefaultRoute(header), undefined);
  assert.equal(parseIpv4DefaultRoute(`${header}eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`), undefined);
  assert.equal(parseIpv4DefaultRoute(`${header}eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n`), undefined);
  assert.equal(parseIpv4DefaultRoute(`${header}eth0\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0\n`), undefined);
  assert.equal(parseIpv4DefaultRoute(''), undefined);
});

const z = '0'.repeat(32);
test('IPv6: the default route skips lo reject routes and takes the lowest metric', () => {
  const text = [
    `fd000000000000000000000000000000 40 ${z} 00 ${z} 00000100 00000001 00000000 00000001     eth0`,
    `${z} 00 ${z} 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth1`,
    `${z} 00 ${z} 00 fd000000000000000000000000000001 00000200 00000002 00000000 00000003     eth0`,
    `${z} 00 ${z} 00 ${z} ffffffff 00000001 00000000 00200200       lo`,
    '',
  ].join('\n');
  assert.equal(parseIpv6DefaultRoute(text), 'eth0');
  assert.equal(parseIpv6DefaultRoute(`${z} 00 ${z} 00 ${z} ffffffff 00000001 00000000 00200200       lo\n`), undefined);
});
