import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrsOverlap, formatCIDR, formatIP, isGlobalUnicast, parseCIDR, parseIP, rangeSize } from '../../src/config/ip.js';

test('IP parsing follows Go (sloppy IPv4 leading zeros, IPv6 forms, no zones)', () => {
  assert.equal(formatIP(parseIP('10.0.0.1')!), '10.0.0.1');
  assert.equal(formatIP(parseIP('010.000.000.001')!), '10.0.0.1');
  assert.equal(formatIP(parseIP('fd00:0:0:0:0:0:0:1')!), 'fd00::1');
  for (const bad of ['999.1.1.1', '1.2.3', 'fe80::1%eth0', '1::2::3', 'abc', '']) assert.equal(parseIP(bad), undefined, bad);
});

test('ParseCIDR keeps the network and allows host bits (corpus 048)', () => {
  assert.equal(formatCIDR(parseCIDR('192.168.51.0/16')!), '192.168.0.0/16');
  assert.equal(formatCIDR(parseCIDR('fd00:1:2:3::5/56')!), 'fd00:1:2::/56');
  assert.equal(parseCIDR('10.96.0.0/33'), undefined);
  assert.equal(parseCIDR('10.96.0.0'), undefined);
  assert.equal(rangeSize(parseCIDR('10.96.0.0/12')!), 1n << 20n);
  assert.equal(rangeSize(parseCIDR('fd00::/8')!), (1n << 63n) - 1n);
});

test('overlap and unicast checks', () => {
  assert.ok(cidrsOverlap(parseCIDR('10.96.0.0/12')!, parseCIDR('10.100.0.0/16')!));
  assert.ok(!cidrsOverlap(parseCIDR('10.96.0.0/12')!, parseCIDR('10.244.0.0/16')!));
  assert.ok(!cidrsOverlap(parseCIDR('10.0.0.0/8')!, parseCIDR('fd00::/8')!));
  assert.ok(isGlobalUnicast(parseIP('192.168.1.1')!));
  for (const no of ['127.0.0.1', '169.254.1.1', '0.0.0.0', '255.255.255.255', '224.0.0.1', '::1', 'fe80::1', 'ff02::1']) {
    assert.ok(!isGlobalUnicast(parseIP(no)!), no);
  }
});
