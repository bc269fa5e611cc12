import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pass } from '../../../src/preflight/check.js';
import { dns1123SubdomainErrors as nodeNameProblems } from '../../../src/config/host-port.js';
import { firewalld, hostname, httpProxy, httpProxyCIDR } from '../../../src/preflight/checks/network.js';
import { healthyHost, initTargetOf, runOn } from '../healthy-host.js';

const proxied = { env: { HTTPS_PROXY: 'http://proxy.example:3128' } };

describe('Hostname', () => {
  it('passes for a valid, resolvable name', async () => {
    assert.deepEqual(await runOn(hostname, healthyHost()), pass);
  });

  it("warns when the name does not resolve, and says how to fix it", async () => {
    const r = await runOn(hostname, healthyHost({ lookup: { 'node-1': undefined } }));
    assert.deepEqual(r, { warnings: ['hostname "node-1" could not be reached — add "192.0.2.10 node-1" to /etc/hosts, or make DNS resolve it'], errors: [] });
  });

  it('warns for a name that is not a DNS-1123 subdomain', async () => {
    assert.deepEqual(nodeNameProblems('node-1.example.com'), []);
    assert.equal(nodeNameProblems('Node_1').length, 1);
    assert.deepEqual(nodeNameProblems(`${'a'.repeat(254)}`), ['must be no more than 253 characters']);
    const t = initTargetOf((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, name: 'bad_name' } } }));
    const r = await runOn(hostname, healthyHost({ lookup: { bad_name: ['192.0.2.10'] } }), t);
    assert.match(r.warnings[0] ?? '', /^invalid node name format "bad_name": a lowercase RFC 1123 subdomain must consist of/);
    assert.deepEqual(r.errors, []);
  });
});

describe('HTTPProxy and HTTPProxyCIDR', () => {
  it('HTTPProxy warns when the advertise address would go through the proxy', async () => {
    const check = httpProxy((ctx) => ctx.target.controlPlane?.advertiseAddress);
    assert.deepEqual(await runOn(check, healthyHost()), pass);
    assert.deepEqual(await runOn(check, healthyHost({ env: { ...proxied.env, NO_PROXY: '192.0.2.10' } })), pass);
    const r = await runOn(check, healthyHost(proxied));
    assert.deepEqual(r.warnings, [
      'Connection to "https://192.0.2.10" uses proxy "http://proxy.example:3128". If that is not intended, adjust your proxy settings — add 192.0.2.10 to NO_PROXY (and no_proxy)',
    ]);
  });

  it('HTTPProxy gives an IPv6 host a port, as kubeadm does', async () => {
    const r = await runOn(httpProxy(() => 'fd00::10'), healthyHost(proxied));
    assert.match(r.warnings[0] ?? '', /^Connection to "https:\/\/\[fd00::10\]:1234" uses proxy/);
  });

  it('HTTPProxyCIDR tests the first address of the range', async () => {
    const check = httpProxyCIDR(() => '10.96.0.0/12');
    assert.deepEqual(await runOn(check, healthyHost({ env: { ...proxied.env, NO_PROXY: '10.96.0.1' } })), pass);
    assert.deepEqual(await runOn(check, healthyHost({ env: { ...proxied.env, NO_PROXY: '10.96.0.0/12' } })), pass);
    const r = await runOn(check, healthyHost({ env: { ...proxied.env, NO_PROXY: '10.96.0.2' } }));
    assert.match(r.warnings[0] ?? '',
      /^connection to "10\.96\.0\.0\/12" uses proxy "http:\/\/proxy\.example:3128"\. This may lead to malfunctional cluster setup\. Make sure that Pod and Services IP ranges specified correctly as exceptions in proxy configuration — add 10\.96\.0\.0\/12 to NO_PROXY/);
  });

  it('HTTPProxyCIDR passes an empty list entry and errors on a bad one', async () => {
    assert.deepEqual(await runOn(httpProxyCIDR(() => ''), healthyHost(proxied)), pass);
    const r = await runOn(httpProxyCIDR(() => '10.96.0.0/40'), healthyHost(proxied));
    assert.match(r.errors[0] ?? '', /^error parsing CIDR "10\.96\.0\.0\/40": invalid CIDR address: 10\.96\.0\.0\/40/);
  });
});

describe('Firewalld', () => {
  const check = firewalld(() => [6443, 10250]);

  it('passes when firewalld is not active', async () => {
    assert.deepEqual(await runOn(check, healthyHost()), pass);
  });

  it('warns with the ports to open when it is active', async () => {
    const r = await runOn(check, healthyHost({ commands: { 'systemctl is-active firewalld': { stdout: 'active\n' } } }));
    assert.deepEqual(r.warnings, [
      'firewalld is active, please ensure ports [6443 10250] are open or your cluster may not function correctly — ' +
        'e.g. firewall-cmd --permanent --add-port=6443/tcp --add-port=10250/tcp && firewall-cmd --reload',
    ]);
  });
});
