import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyFor } from '../../src/preflight/proxy-env.js';

const proxy = 'http://proxy.example:3128';

describe('proxyFor (Go httpproxy rules)', () => {
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, upper case first', () => {
    assert.equal(proxyFor({ HTTPS_PROXY: proxy }, 'https', '192.0.2.10'), proxy);
    assert.equal(proxyFor({ https_proxy: 'http://lower:1' }, 'https', '192.0.2.10'), 'http://lower:1');
    assert.equal(proxyFor({ HTTPS_PROXY: proxy, https_proxy: 'http://lower:1' }, 'https', '192.0.2.10'), proxy);
    assert.equal(proxyFor({ HTTP_PROXY: proxy }, 'https', '192.0.2.10'), undefined);
    assert.equal(proxyFor({ HTTP_PROXY: proxy }, 'http', '192.0.2.10'), proxy);
    assert.equal(proxyFor({}, 'https', '192.0.2.10'), undefined);
  });

  it('reads a bare host:port as http:// and hides passwords', () => {
    assert.equal(proxyFor({ HTTPS_PROXY: 'proxy.example:3128' }, 'https', 'x.test'), proxy);
    assert.equal(proxyFor({ HTTPS_PROXY: 'http://me:secret@proxy.example:3128' }, 'https', 'x.test'), 'http://me:xxxxx@proxy.example:3128');
  });

  it('never proxies localhost and loopback addresses', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1']) assert.equal(proxyFor({ HTTPS_PROXY: proxy }, 'https', h), undefined, h);
  });

  it('honours NO_PROXY: *, CIDRs, IPs with and without port, domains', () => {
    const env = (NO_PROXY: string) => ({ HTTPS_PROXY: proxy, NO_PROXY });
    assert.equal(proxyFor(env('*'), 'https', 'anything.test'), undefined);
    assert.equal(proxyFor(env('10.0.0.0/8'), 'https', '10.96.0.1', 1234), undefined);
    assert.equal(proxyFor(env('10.0.0.0/8'), 'https', '11.0.0.1'), proxy);
    assert.equal(proxyFor(env('fd00::/8'), 'https', 'fd00::1', 1234), undefined);
    assert.equal(proxyFor(env('192.0.2.10'), 'https', '192.0.2.10'), undefined);
    assert.equal(proxyFor(env('192.0.2.10:443'), 'https', '192.0.2.10'), undefined);
    assert.equal(proxyFor(env('192.0.2.10:6443'), 'https', '192.0.2.10'), proxy);
    assert.equal(proxyFor(env(' example.com , other'), 'https', 'example.com'), undefined);
    assert.equal(proxyFor(env('example.com'), 'https', 'api.example.com'), undefined);
    assert.equal(proxyFor(env('.example.com'), 'https', 'example.com'), proxy);
    assert.equal(proxyFor(env('.example.com'), 'https', 'api.example.com'), undefined);
    assert.equal(proxyFor(env('*.example.com'), 'https', 'api.example.com'), undefined);
    assert.equal(proxyFor(env('example.com'), 'https', 'notexample.com'), proxy);
    assert.equal(proxyFor({ HTTPS_PROXY: proxy, no_proxy: 'EXAMPLE.com' }, 'https', 'Example.COM'), undefined);
  });

  it('refuses HTTP_PROXY under CGI as Go does', () => {
    assert.equal(proxyFor({ HTTP_PROXY: proxy, REQUEST_METHOD: 'GET' }, 'http', 'x.test'), undefined);
  });
});
