// cleanNetwork's decisions with fake hosts: missing tools, failing commands, IPVS (the test kernel has no
// ip_vs or dummy devices) and CNI interfaces with and without a journal. The real rules: network-netns.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipvsadmService, parseInterfaceAddresses, parseIpvsServices } from '../../../src/cleanup/network/ipvs.js';
import { isCniInterface } from '../../../src/cleanup/network/interfaces.js';
import { cleanNetwork } from '../../../src/cleanup/network/network-cleanup.js';
import { dryRunHost } from '../../../src/host/index.js';
import { journalApiVersion, journalKind, type HostJournal } from '../../../src/journal/journal.js';
import { captureOutput } from '../../../src/output/output.js';
import { fakeHost, type FakeHostSpec } from '../../helpers/fake-host.js';
import { resetContext } from '../../helpers/reset-context.js';

const netDir = (names: readonly string[]) => Object.fromEntries(names.map((n) => [`/sys/class/net/${n}/ifindex`, '1']));

function journalWith(interfaces: readonly string[]): HostJournal {
  return {
    apiVersion: journalApiVersion,
    kind: journalKind,
    runs: [{ command: 'init', startedAt: '2025-01-01T00:00:00Z', phases: ['preflight'] }],
    snapshot: { takenAt: '2025-01-01T00:00:00Z', dirs: {}, interfaces },
    entries: [],
  };
}

const ipvsProc = `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port Forward Weight ActiveConn InActConn
TCP  0A600001:01BB rr
  -> C0A80102:192B      Masq    1      0          0
UDP  0A60000A:0035 rr
TCP  C0A80105:0050 rr
TCP  [fd00:0000:0000:0000:0000:0000:0000:0001]:01BB rr
FWM  00000001 rr
`;
const ipvsAddrs = `9: kube-ipvs0    inet 10.96.0.1/32 scope global kube-ipvs0\\       valid_lft forever preferred_lft forever
9: kube-ipvs0    inet 10.96.0.10/32 scope global kube-ipvs0\\       valid_lft forever preferred_lft forever
9: kube-ipvs0    inet6 fd00::1/128 scope global \\       valid_lft forever preferred_lft forever
`;

test('with no network tools at all, nothing is run, reported or printed', async () => {
  const out = captureOutput(1);
  const host = fakeHost({ kernelFiles: netDir(['lo', 'eth0']) });
  const ctx = resetContext({ host, out });
  await cleanNetwork(ctx);
  assert.deepEqual(host.execCalls, []);
  assert.equal(out.stdout(), '');
  assert.match(out.stderr(), /iptables-save is not installed/);
  assert.deepEqual([ctx.report.actions, ctx.report.leftovers], [[], []]);
});

test('an iptables-save that fails is a warning and a leftover, and the cleanup goes on', async () => {
  const out = captureOutput();
  const host = fakeHost({
    path: ['iptables-save', 'nft'],
    commands: {
      'iptables-save --version': { stdout: 'iptables-save v1.8.9 (nf_tables)\n' },
      'iptables-save': { exitCode: 4, stderr: 'iptables-save: Permission denied (you must be root)\n' },
      'nft list tables': { stdout: 'table ip kube-proxy\ntable inet mine\n' },
      'nft delete table ip kube-proxy': {},
    },
  });
  const ctx = resetContext({ host, out });
  await cleanNetwork(ctx);
  assert.match(out.stderr(), /could not read the iptables rules.*Permission denied/);
  assert.equal(ctx.report.leftovers.length, 1);
  assert.equal(ctx.report.leftovers[0]!.kind, 'iptables');
  assert.match(ctx.report.leftovers[0]!.fix ?? '', /iptables -t nat -S \| grep KUBE-/);
  assert.match(out.stdout(), /^\[reset\] Removed kube-proxy's nftables table "ip kube-proxy"$/m);
});

test('a failed restore reports what went (an earlier table) and leaves what stayed, with a fix', async () => {
  let saves = 0;
  const first = '*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\nCOMMIT\n' +
    '*filter\n:INPUT ACCEPT [0:0]\n:KUBE-FIREWALL - [0:0]\n-A INPUT -j KUBE-FIREWALL\nCOMMIT\n';
  const after = '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:KUBE-FIREWALL - [0:0]\n-A INPUT -j KUBE-FIREWALL\nCOMMIT\n';
  const spec: FakeHostSpec = {
    path: ['iptables-save'],
    commands: {
      'iptables-save --version': { stdout: 'iptables-save v1.8.9 (legacy)\n' },
      'iptables-save': () => ({ stdout: saves++ === 0 ? first : after }),
      'iptables-restore': { exitCode: 1, stderr: 'iptables-restore: line 7 failed\n' },
    },
  };
  const out = captureOutput();
  const host = fakeHost(spec);
  const ctx = resetContext({ host, out });
  await cleanNetwork(ctx);
  const restore = host.execCalls.find((c) => c.argv[0] === 'iptables-restore')!;
  assert.equal(restore.opts.input, '*nat\n-D PREROUTING -j KUBE-SERVICES\n-F KUBE-SERVICES\n-X KUBE-SERVICES\nCOMMIT\n' +
    '*filter\n-D INPUT -j KUBE-FIREWALL\n-F KUBE-FIREWALL\n-X KUBE-FIREWALL\nCOMMIT\n');
  assert.match(out.stderr(), /could not remove kube-proxy's iptables rules: iptables-restore exited with status 1: iptables-restore: line 7 failed/);
  assert.deepEqual(ctx.report.actions.map((a) => a.item), ['iptables nat PREROUTING rule jumping to KUBE-SERVICES', 'iptables nat KUBE-SERVICES']);
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item]), [['iptables', 'iptables filter KUBE-*']]);
});

test('/proc/net/ip_vs and `ip -o addr` are read as the kernel writes them', () => {
  assert.deepEqual(parseIpvsServices(ipvsProc), [
    { protocol: 'TCP', address: '10.96.0.1', port: 443 },
    { protocol: 'UDP', address: '10.96.0.10', port: 53 },
    { protocol: 'TCP', address: '192.168.1.5', port: 80 },
    { protocol: 'TCP', address: 'fd00::1', port: 443 },
  ]);
  assert.deepEqual(parseInterfaceAddresses(ipvsAddrs), ['10.96.0.1', '10.96.0.10', 'fd00::1']);
  assert.deepEqual(ipvsadmService({ protocol: 'TCP', address: 'fd00::1', port: 443 }), ['-t', '[fd00::1]:443']);
  assert.deepEqual(ipvsadmService({ protocol: 'SCTP', address: '10.0.0.1', port: 9 }), ['--sctp-service', '10.0.0.1:9']);
});

const ipvsSpec = (withIpvsadm: boolean): FakeHostSpec => ({
  kernelFiles: { ...netDir(['lo', 'eth0', 'kube-ipvs0']), '/proc/net/ip_vs': ipvsProc },
  path: ['ip', ...(withIpvsadm ? ['ipvsadm'] : [])],
  commands: { 'ip -o addr show dev kube-ipvs0': { stdout: ipvsAddrs }, 'ip link delete kube-ipvs0': {}, ipvsadm: {} },
});

test('IPVS: the virtual services on kube-ipvs0 addresses go (not the host\'s own), then kube-ipvs0', async () => {
  const out = captureOutput();
  const host = fakeHost(ipvsSpec(true));
  const ctx = resetContext({ host, out });
  await cleanNetwork(ctx);
  assert.deepEqual(host.execCalls.filter((c) => c.opts.mutates).map((c) => c.argv.join(' ')), [
    'ipvsadm -D -t 10.96.0.1:443', 'ipvsadm -D -u 10.96.0.10:53', 'ipvsadm -D -t [fd00::1]:443', 'ip link delete kube-ipvs0',
  ]);
  assert.match(out.stdout(), /^\[reset\] Removed kube-proxy's IPVS state: 3 virtual services and the kube-ipvs0 interface$/m);
  assert.ok(ctx.report.actions.some((a) => a.kind === 'interface-removed' && a.item === 'kube-ipvs0'));
  assert.deepEqual(ctx.report.leftovers, []);
});

test('IPVS without ipvsadm: the services are leftovers with the command that removes them; kube-ipvs0 still goes', async () => {
  const out = captureOutput();
  const host = fakeHost(ipvsSpec(false));
  const ctx = resetContext({ host, out });
  await cleanNetwork(ctx);
  assert.match(out.stderr(), /ipvsadm is not installed/);
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item, l.fix]), [
    ['ipvs', 'TCP 10.96.0.1:443', 'ipvsadm -D -t 10.96.0.1:443'],
    ['ipvs', 'UDP 10.96.0.10:53', 'ipvsadm -D -u 10.96.0.10:53'],
    ['ipvs', 'TCP [fd00::1]:443', 'ipvsadm -D -t [fd00::1]:443'],
  ]);
  assert.match(out.stdout(), /Removed kube-proxy's IPVS state: the kube-ipvs0 interface$/m);
});

test('IPVS under --dry-run: the plan is printed and recorded, nothing runs', async () => {
  const out = captureOutput();
  const inner = fakeHost(ipvsSpec(true));
  const host = dryRunHost(inner, '/tmp/tsk-dry-unused');
  const ctx = resetContext({ host, out, dryRun: true });
  await cleanNetwork(ctx);
  assert.deepEqual(inner.execCalls.filter((c) => c.opts.mutates), []);
  assert.equal(host.mutations.length, 4);
  assert.match(out.stdout(), /^\[dryrun\] Would remove kube-proxy's IPVS state: 3 virtual services and the kube-ipvs0 interface$/m);
});

test('CNI interface names: the plugins\' devices, not LXC\'s bridge, the kernel\'s tunl0 or docker0', () => {
  for (const n of ['cni0', 'flannel.1', 'cilium_host', 'vxlan.calico', 'cali1a2b3c4d5e6', 'lxc12ab34cd56ef', 'lxc_health', 'nodelocaldns']) {
    assert.ok(isCniInterface(n), n);
  }
  for (const n of ['lxcbr0', 'tunl0', 'docker0', 'eth0', 'calico', 'kube-ipvs0', 'cni']) assert.ok(!isCniInterface(n), n);
});

test('CNI interfaces that appeared after the snapshot are deleted; ones that were there before are leftovers', async () => {
  const now = ['lo', 'eth0', 'cni0', 'flannel.1', 'cali1a2b3c4d5e6', 'cilium_host', 'cilium_net', 'lxcbr0', 'docker0'];
  let present = [...now];
  const out = captureOutput();
  const base = fakeHost({
    path: ['ip'],
    commands: {
      ip: (argv) => {
        const name = argv[3]!;
        if (!present.includes(name)) return { exitCode: 1, stderr: `Cannot find device "${name}"\n` };
        // One end of a veth pair takes the other with it.
        present = present.filter((n) => n !== name && !(name === 'cilium_host' && n === 'cilium_net'));
        return {};
      },
    },
  });
  const host = { ...base, system: { ...base.system, listKernelDir: async () => [...present] } };
  const ctx = resetContext({ host, out, journal: journalWith(['lo', 'eth0', 'cni0', 'lxcbr0']) });
  await cleanNetwork(ctx);
  assert.deepEqual(host.execCalls.map((c) => c.argv.join(' ')), [
    'ip link delete flannel.1', 'ip link delete cali1a2b3c4d5e6', 'ip link delete cilium_host', 'ip link delete cilium_net',
  ]);
  assert.deepEqual(ctx.report.actions.filter((a) => a.kind === 'interface-removed').map((a) => a.item),
    ['flannel.1', 'cali1a2b3c4d5e6', 'cilium_host', 'cilium_net']);
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.kind, l.item, l.fix]), [['interface', 'cni0', 'ip link delete cni0']]);
  assert.match(ctx.report.leftovers[0]!.reason, /there before tskubeadm first ran/);
  assert.match(out.stdout(), /^\[reset\] Removed the network plugin's interfaces: flannel.1, cali1a2b3c4d5e6, cilium_host, cilium_net$/m);
});

test('without a journal no CNI interface is deleted: each is a leftover with its command', async () => {
  const host = fakeHost({ path: ['ip'], kernelFiles: netDir(['lo', 'cni0', 'flannel.1']), commands: { ip: {} } });
  const ctx = resetContext({ host });
  await cleanNetwork(ctx);
  assert.deepEqual(host.execCalls, []);
  assert.deepEqual(ctx.report.leftovers.map((l) => [l.item, l.fix]), [['cni0', 'ip link delete cni0'], ['flannel.1', 'ip link delete flannel.1']]);
  assert.match(ctx.report.leftovers[0]!.reason, /no tskubeadm journal/);
});
