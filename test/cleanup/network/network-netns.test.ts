// cleanNetwork against the REAL iptables (nft and legacy backends, IPv4 and IPv6), nft and ipset, inside a
// throwaway network namespace: kube-proxy-like rules planted there must go, the user's own rules, tables
// and sets must stay byte for byte. The host's exec runs every command inside the namespace; /sys/class/net
// is faked (the kernel here has no dummy/IPVS support: interfaces and IPVS are tested with fake hosts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cleanNetwork } from '../../../src/cleanup/network/network-cleanup.js';
import { dryRunHost, realHost, type Host } from '../../../src/host/index.js';
import { captureOutput } from '../../../src/output/output.js';
import { netnsUnavailable } from '../../helpers/netns.js';
import { resetContext } from '../../helpers/reset-context.js';

const tools = ['ip', 'iptables-save', 'iptables-nft', 'iptables-legacy', 'ip6tables-nft', 'nft', 'ipset'];
const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const why = missing.length > 0 ? `${missing.join(', ')} not on PATH (apt-get install iptables nftables ipset)` : netnsUnavailable();
const skip = why === undefined ? false : `!!! the real iptables/nft/ipset cleanup test did NOT run: ${why}`;
if (skip) console.error(skip);

function sh(ns: string, script: string): string {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'sh', '-ec', script], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`in ${ns}: ${script}\nexit ${r.status}: ${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

/** A real host whose commands run inside the namespace; /sys/class/net shows only lo. */
function netnsHost(ns: string): Host {
  const real = realHost();
  return {
    ...real,
    exec: {
      run: (argv, opts) => real.exec.run(['ip', 'netns', 'exec', ns, ...argv], opts),
      which: (name) => real.exec.which(name),
    },
    system: {
      ...real.system,
      listKernelDir: async (p) => (p === '/sys/class/net' ? ['lo'] : real.system.listKernelDir(p)),
      readKernelFile: async (p) => (p === '/proc/net/ip_vs' ? undefined : real.system.readKernelFile(p)),
    },
  };
}

// The user's own rules, planted first; they must read back identically after the cleanup.
const userRules = (ipt: string) => `
${ipt} -t nat -N USER-NAT
${ipt} -t nat -A USER-NAT -m comment --comment "user's \\"own\\" rule: -j KUBE-NOT-A-JUMP" -j RETURN
${ipt} -t nat -A POSTROUTING -j USER-NAT
${ipt} -t filter -N USER-FILTER
${ipt} -t filter -A USER-FILTER -p tcp --dport 22 -m comment --comment "ssh from anywhere" -j ACCEPT
${ipt} -t filter -A INPUT -j USER-FILTER
${ipt} -t mangle -A OUTPUT -p udp --dport 53 -j RETURN
`;

// kube-proxy's and the kubelet's rules, as they look on a node (jumps inserted at the top, as kube-proxy does).
const kubeRules = (ipt: string, v6: boolean) => `
${ipt} -t nat -N KUBE-SERVICES
${ipt} -t nat -N KUBE-POSTROUTING
${ipt} -t nat -N KUBE-MARK-MASQ
${ipt} -t nat -N KUBE-NODEPORTS
${ipt} -t nat -N KUBE-SVC-NPX46M4PTMTKRN6Y
${ipt} -t nat -N KUBE-SEP-ABCDEFGHIJKLMNOP
${ipt} -t nat -I PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
${ipt} -t nat -I OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
${ipt} -t nat -I POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
${ipt} -t nat -A KUBE-SERVICES -d ${v6 ? 'fd00::1/128' : '10.96.0.1/32'} -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y
${ipt} -t nat -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
${ipt} -t nat -A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https -> ${v6 ? '[fd00::10]' : '10.0.0.10'}:6443" -j KUBE-SEP-ABCDEFGHIJKLMNOP
${ipt} -t nat -A KUBE-SEP-ABCDEFGHIJKLMNOP -s ${v6 ? 'fd00::10/128' : '10.0.0.10/32'} -j KUBE-MARK-MASQ
${ipt} -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
${ipt} -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
${ipt} -t filter -N KUBE-FORWARD
${ipt} -t filter -N KUBE-FIREWALL
${ipt} -t filter -N KUBE-PROXY-FIREWALL
${ipt} -t filter -N KUBE-KUBELET-CANARY
${ipt} -t filter -I FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
${ipt} -t filter -I FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -g KUBE-PROXY-FIREWALL
${ipt} -t filter -I INPUT -j KUBE-FIREWALL
${ipt} -t filter -I OUTPUT -j KUBE-FIREWALL
${ipt} -t filter -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -j DROP
${ipt} -t mangle -N KUBE-KUBELET-CANARY
${ipt} -t mangle -N KUBE-PROXY-CANARY
`;

// The host's default iptables is one of the two backends; the cleanup names the other by its own binary.
const defaultIsNft = /nf_tables/.test(spawnSync('iptables-save', ['--version'], { encoding: 'utf8' }).stdout ?? '');
const nft4 = defaultIsNft ? 'iptables' : 'iptables-nft';
const nft6 = defaultIsNft ? 'ip6tables' : 'ip6tables-nft';
const legacy4 = defaultIsNft ? 'iptables-legacy' : 'iptables';
/** Labels in the order the cleanup visits them: each family's default backend first. */
const order4 = defaultIsNft ? [nft4, legacy4] : [legacy4, nft4];

const rulesOf = (ns: string, save: string) => sh(ns, save).split('\n').filter((l) => !l.startsWith('#')).join('\n');

test('cleanNetwork removes kube-proxy\'s iptables (both backends, both families), nft tables and ipsets, and nothing of the user\'s', { skip, timeout: 120_000 }, async (t) => {
  const ns = `tsk-h5-${process.pid}`;
  spawnSync('ip', ['netns', 'del', ns]);
  assert.equal(spawnSync('ip', ['netns', 'add', ns]).status, 0, `ip netns add ${ns}`);
  t.after(() => { spawnSync('ip', ['netns', 'del', ns]); });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tsk-h5-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  sh(ns, userRules('iptables-nft') + userRules('ip6tables-nft') + userRules('iptables-legacy') + `
nft add table inet user-table
nft add chain inet user-table input '{ type filter hook input priority 0; policy accept; }'
nft add rule inet user-table input tcp dport 2222 accept
ipset create user-set hash:ip
ipset add user-set 192.0.2.7
`);
  const saves = ['iptables-nft-save', 'ip6tables-nft-save', 'iptables-legacy-save'];
  const before = Object.fromEntries(saves.map((s) => [s, rulesOf(ns, s)]));
  const nftBefore = sh(ns, 'nft list table inet user-table');
  const ipsetBefore = sh(ns, 'ipset list user-set');

  sh(ns, kubeRules('iptables-nft', false) + kubeRules('ip6tables-nft', true) + kubeRules('iptables-legacy', false) + `
ipset create KUBE-CLUSTER-IP hash:ip,port
ipset create KUBE-LOOP-BACK hash:ip,port,ip
iptables-nft -t nat -A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
nft add table ip kube-proxy
nft add chain ip kube-proxy services
nft add table ip6 kube-proxy
`);
  for (const s of saves) assert.match(rulesOf(ns, s), /KUBE-SVC-NPX46M4PTMTKRN6Y/, `${s} shows the planted rules`);

  // --dry-run first: the plan is printed, the mutating commands recorded, nothing changes.
  const dryOut = captureOutput();
  const dryHost = dryRunHost(netnsHost(ns), dir);
  const dryCtx = resetContext({ host: dryHost, out: dryOut, dryRun: true });
  await cleanNetwork(dryCtx);
  for (const label of [nft4, legacy4, nft6]) {
    assert.match(dryOut.stdout(), new RegExp(`^\\[dryrun\\] Would remove kube-proxy's ${label} rules: 12 chains in nat, filter, mangle$`, 'm'));
  }
  assert.match(dryOut.stdout(), /\[dryrun\] Would remove kube-proxy's nftables tables "ip kube-proxy", "ip6 kube-proxy"/);
  assert.match(dryOut.stdout(), /\[dryrun\] Would destroy kube-proxy's ipsets: 2 KUBE-\* sets/);
  const planned = dryHost.mutations.map((m) => (m.action === 'exec' ? m.argv.join(' ') : m.action));
  assert.deepEqual(planned, [
    ...[...order4, nft6].map((l) => `${l}-restore --noflush --wait=5`),
    'nft delete table ip kube-proxy', 'nft delete table ip6 kube-proxy',
    'ipset destroy KUBE-CLUSTER-IP', 'ipset destroy KUBE-LOOP-BACK',
  ]);
  for (const s of saves) assert.match(rulesOf(ns, s), /KUBE-SERVICES/, `a dry run changes nothing (${s})`);
  assert.match(sh(ns, 'nft list tables'), /table ip kube-proxy/);

  const out = captureOutput(1);
  const ctx = resetContext({ host: netnsHost(ns), out });
  await cleanNetwork(ctx);

  for (const s of saves) assert.equal(rulesOf(ns, s), before[s], `${s}: only the user's rules are left, byte for byte`);
  const tables = sh(ns, 'nft list tables');
  assert.doesNotMatch(tables, /kube-proxy/);
  assert.equal(sh(ns, 'nft list table inet user-table'), nftBefore);
  assert.deepEqual(sh(ns, 'ipset list -n').trim().split('\n'), ['user-set']);
  assert.equal(sh(ns, 'ipset list user-set'), ipsetBefore);

  assert.deepEqual(ctx.report.leftovers, []);
  const items = ctx.report.actions.map((a) => `${a.kind} ${a.item}`);
  for (const expected of [
    `rules-removed ${nft4} nat KUBE-SERVICES`, `rules-removed ${nft4} nat KUBE-SEP-ABCDEFGHIJKLMNOP`,
    `rules-removed ${nft4} filter KUBE-KUBELET-CANARY`, `rules-removed ${nft4} mangle KUBE-PROXY-CANARY`,
    `rules-removed ${nft4} nat PREROUTING rule jumping to KUBE-SERVICES`,
    `rules-removed ${nft4} filter FORWARD rule jumping to KUBE-PROXY-FIREWALL`,
    `rules-removed ${legacy4} nat KUBE-SERVICES`, `rules-removed ${nft6} nat KUBE-SVC-NPX46M4PTMTKRN6Y`,
    'rules-removed nftables table ip kube-proxy', 'rules-removed nftables table ip6 kube-proxy',
    'rules-removed ipset KUBE-CLUSTER-IP', 'rules-removed ipset KUBE-LOOP-BACK',
  ]) assert.ok(items.includes(expected), `${expected} in ${items.join('\n')}`);
  assert.match(out.stdout(), new RegExp(`^\\[reset\\] Removed kube-proxy's ${nft4} rules: 12 chains in nat, filter, mangle$`, 'm'));
  assert.match(out.stderr(), /\[reset\] iptables(-nft)? nat: 3 rule\(s\) jumping to KUBE-\* chains, 6 chain\(s\): KUBE-MARK-MASQ, KUBE-NODEPORTS, /);

  // A second run finds nothing: no lines, no actions, no leftovers.
  const again = resetContext({ host: netnsHost(ns), out: captureOutput() });
  await cleanNetwork(again);
  assert.deepEqual(again.report.actions, []);
  assert.deepEqual(again.report.leftovers, []);
});
