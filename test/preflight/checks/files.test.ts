import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pass } from '../../../src/preflight/check.js';
import { dirAvailable, fileAvailable, fileExisting, sysctlIsOne } from '../../../src/preflight/checks/files.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { runOn } from '../healthy-host.js';

const manifest = '/etc/kubernetes/manifests/kube-apiserver.yaml';

describe('file checks', () => {
  it('FileAvailable: absent passes, present is an error', async () => {
    const check = fileAvailable(() => manifest, 'run reset');
    assert.deepEqual(await runOn(check, fakeHost()), pass);
    const r = await runOn(check, fakeHost({ files: { [manifest]: 'x' } }));
    assert.deepEqual(r.errors, [`${manifest} already exists — run reset`]);
  });

  it('DirAvailable: absent or empty passes, content or a plain file is an error', async () => {
    const check = dirAvailable(() => '/var/lib/etcd', 'clean it');
    assert.deepEqual(await runOn(check, fakeHost()), pass);
    assert.deepEqual(await runOn(check, fakeHost({ dirs: ['/var/lib/etcd'] })), pass);
    const full = await runOn(check, fakeHost({ files: { '/var/lib/etcd/member/snap/db': 'x' } }));
    assert.deepEqual(full.errors, ['/var/lib/etcd is not empty — clean it']);
    const file = await runOn(check, fakeHost({ files: { '/var/lib/etcd': 'x' } }));
    assert.deepEqual(file.errors, ['/var/lib/etcd is not empty — clean it']);
  });

  it('FileExisting: the file must be there', async () => {
    const check = fileExisting(() => '/etc/etcd/ca.crt', 'check caFile');
    assert.deepEqual(await runOn(check, fakeHost({ files: { '/etc/etcd/ca.crt': 'pem' } })), pass);
    assert.deepEqual((await runOn(check, fakeHost())).errors, ["/etc/etcd/ca.crt doesn't exist — check caFile"]);
  });

  it('FileContent: the value must start with 1; missing and 0 are errors (or warnings)', async () => {
    const path = '/proc/sys/net/ipv4/ip_forward';
    const err = sysctlIsOne({ path, key: 'net.ipv4.ip_forward', severity: 'error' });
    assert.deepEqual(await runOn(err, fakeHost({ kernelFiles: { [path]: '1\n' } })), pass);
    const zero = await runOn(err, fakeHost({ kernelFiles: { [path]: '0\n' } }));
    assert.deepEqual(zero.warnings, []);
    assert.match(zero.errors[0] ?? '', /^\/proc\/sys\/net\/ipv4\/ip_forward contents are not set to 1 — enable it with: sysctl -w net\.ipv4\.ip_forward=1/);
    const missing = await runOn(err, fakeHost());
    assert.match(missing.errors[0] ?? '', /^\/proc\/sys\/net\/ipv4\/ip_forward does not exist — /);

    const bridge = '/proc/sys/net/bridge/bridge-nf-call-iptables';
    const warn = sysctlIsOne({ path: bridge, key: 'net.bridge.bridge-nf-call-iptables', severity: 'warning', missingFix: 'modprobe br_netfilter' });
    const absent = await runOn(warn, fakeHost());
    assert.deepEqual(absent, { warnings: [`${bridge} does not exist — modprobe br_netfilter`], errors: [] });
    const off = await runOn(warn, fakeHost({ kernelFiles: { [bridge]: '0' } }));
    assert.deepEqual(off.errors, []);
    assert.match(off.warnings[0] ?? '', /contents are not set to 1/);
  });
});
