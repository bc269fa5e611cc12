import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIP, indexedIP, parseCIDR, parseIP } from '../../src/config/ip.js';
import { cidrContains, cidrFamilies, sameIP } from '../../src/preflight/ip-match.js';

const cidr = (s: string) => {
  const c = parseCIDR(s);
  assert.ok(c !== undefined, s);
  return c;
};
const ip = (s: string) => {
  const a = parseIP(s);
  assert.ok(a !== undefined, s);
  return a;
};

describe('ip matching', () => {
  it('finds the n-th address of a range', () => {
    assert.equal(formatIP(indexedIP(cidr('10.96.0.0/12'), 1)!), '10.96.0.1');
    assert.equal(formatIP(indexedIP(cidr('10.96.0.0/12'), 10)!), '10.96.0.10');
    assert.equal(formatIP(indexedIP(cidr('10.0.0.0/16'), 261)!), '10.0.1.5');
    assert.equal(indexedIP(cidr('10.0.0.0/24'), 256), undefined);
    assert.equal(formatIP(indexedIP(cidr('fd00:10:96::/112'), 1)!), 'fd00:10:96::1');
    assert.equal(indexedIP(cidr('192.0.2.1/32'), 1), undefined);
  });

  it('tests containment within one family only', () => {
    assert.equal(cidrContains(cidr('10.0.0.0/8'), ip('10.1.2.3')), true);
    assert.equal(cidrContains(cidr('10.0.0.0/8'), ip('11.0.0.1')), false);
    assert.equal(cidrContains(cidr('::/0'), ip('10.0.0.1')), false);
    assert.equal(cidrContains(cidr('fd00::/8'), ip('fd12::1')), true);
  });

  it('compares addresses and lists families', () => {
    assert.equal(sameIP(ip('fd00::1'), ip('fd00:0::1')), true);
    assert.equal(sameIP(ip('10.0.0.1'), ip('10.0.0.2')), false);
    assert.deepEqual([...cidrFamilies('10.96.0.0/12,fd00::/108')], [4, 6]);
    assert.deepEqual([...cidrFamilies('')], []);
  });
});
