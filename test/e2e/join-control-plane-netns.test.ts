// Three control-plane "hosts" in network namespaces, a real etcd cluster grown by tskubeadm's join. Each host
// is a namespace with its own address on a bridge (test/helpers/netns.ts) and a temp root; tskubeadm runs
// in-process for each root. Host 1 runs `init --upload-certs`; its etcd runs for real inside its namespace
// from the manifest init wrote, and the test API server, on the bridge address (the "load balancer" of
// controlPlaneEndpoint), stands in for the API servers. Hosts 2 and 3 run the control-plane join command init
// printed: discovery, download-certs, their own certificates, check-etcd, etcd member add as a learner, the
// etcd manifest (their emulated kubelet then starts that etcd in their namespace), promotion, the wait. Then
// etcdctl, inside host 1's namespace, must see three started voting members that are all healthy; and a
// wiped host 3 joining again finds its stale member, and replaces it when asked to. Last, host 3 runs
// `reset --force`: the two members left are started, voting and healthy, and host 3 keeps no etcd data,
// etcd manifest or PKI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { InitResult } from '../../src/tokens/closing-message.js';
import { run } from '../../src/cli/run.js';
import { createTopology, netnsUnavailable, type NetnsTopology } from '../helpers/netns.js';
import { cpNodeHost, emulateCpKubelet, type CpKubelet, type CpNodeSpec, type SharedApi } from './netns/cp-node.js';
import { etcdctlIn, memberList, waitFor, type EtcdMember } from './netns/etcdctl.js';

const missing = ['ip', 'etcd', 'etcdctl', 'openssl'].filter((b) => spawnSync('which', [b], { stdio: 'ignore' }).status !== 0);
const why = missing.length > 0 ? `${missing.join(', ')} not on PATH (.ci/run installs iproute2, etcd-server, etcd-client)` : netnsUnavailable();
const skip = why === undefined ? false : `!!! the multi-host etcd join test did NOT run: ${why}`;
if (skip) console.error(skip);

/** Every wait in this test is bounded by this; a failure shows the etcd logs. */
const waitMs = 60_000;
interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One tskubeadm command (init, or a join with its etcd member add and promotion). */
const cliMs = 60_000;

function clusterConfig(topo: NetnsTopology, port: number): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: ${topo.hosts[0]!.address}
  bindPort: ${port}
nodeRegistration:
  name: cp-1
bootstrapTokens:
- token: abcdef.0123456789abcdef
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
controlPlaneEndpoint: ${topo.bridgeAddress}:${port}
encryptionAlgorithm: ECDSA-P256
etcd:
  local:
    imageTag: 3.5.21-0
networking:
  podSubnet: 10.244.0.0/16
`;
}

async function freePortOn(address: string): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r, j) => { s.once('error', j); s.listen(0, address, r); });
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The words of init's control-plane join command, without `tskubeadm`, line continuations included. */
function joinArgs(command: string): string[] {
  const words = command.split(/\s+/).filter((w) => w !== '' && w !== '\\');
  assert.deepEqual(words.slice(0, 2), ['tskubeadm', 'join'], command);
  return words.slice(1);
}

test('three control-plane hosts in network namespaces: tskubeadm join grows a real etcd cluster, replaces a stale member only when asked, and reset leaves it', { skip, timeout: 180_000 }, async (t) => {
  const topo = createTopology(3);
  const roots: string[] = [];
  // Also when the test times out: no namespace, etcd or temp root outlives it.
  t.after(() => {
    topo.teardown();
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  t.diagnostic(`bridge ${topo.bridge} ${topo.bridgeAddress}/24; hosts ${topo.hosts.map((h) => `${h.netns}=${h.address}`).join(', ')}`);
  const port = await freePortOn(topo.bridgeAddress);
  const shared: SharedApi = { server: undefined };
  const kubelets = new Map<number, CpKubelet>();
  const specs: CpNodeSpec[] = [];
  const newRoot = async (i: number) => {
    const root = await mkdtemp(path.join(os.tmpdir(), `tskubeadm-netns-h${i + 1}-`));
    roots.push(root);
    specs[i] = { root, nodeName: `cp-${i + 1}`, netns: topo.hosts[i]!.netns, address: topo.hosts[i]!.address, lb: topo.bridgeAddress, port };
    return specs[i]!;
  };
  const boot = (i: number) => kubelets.set(i, emulateCpKubelet(t, specs[i]!, shared, i === 0));
  // NETNS_LOG_DIR=<dir>: also keep each etcd's whole log there when the test fails.
  const keepLogs = () => {
    const dir = process.env['NETNS_LOG_DIR'];
    if (dir !== undefined) for (const [i, k] of kubelets) writeFileSync(path.join(dir, `etcd-${specs[i]!.nodeName}.log`), k.etcd()?.log() ?? '');
  };
  const etcdLogs = () => (keepLogs(), `etcd members: ${membersText()}\n`) + [...kubelets].map(([i, k]) =>
    `--- ${specs[i]!.nodeName}: ${k.problems().join('; ') || 'no kubelet problems'}; etcd ${k.etcd() === undefined ? 'not started' : `exit ${k.etcd()!.exitCode() ?? 'running'}, log tail:\n${k.etcd()!.log().slice(-3000)}`}`).join('\n');
  // Each command is bounded: on time it is aborted and the test fails with what it printed so far and what
  // etcd and the kubelets logged.
  const cli = async (i: number, argv: string[]): Promise<CliResult> => {
    const abort = new AbortController();
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`tskubeadm ${argv.slice(0, 2).join(' ')} on ${specs[i]!.nodeName} did not finish within ${cliMs} ms; it printed:\n${stdout}\n${stderr}\n${etcdLogs()}`));
      }, cliMs);
    });
    const host = cpNodeHost(specs[i]!);
    const running = run({
      argv, env: {}, isTTY: false, signal: abort.signal, makeHost: () => host,
      stdout: (x) => void (stdout += x), stderr: (x) => void (stderr += x),
    }).then((code) => ({ code, stdout, stderr }));
    try {
      return await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const h1 = topo.hosts[0]!;
  const clientURL = (i: number) => `https://${topo.hosts[i]!.address}:2379`;
  const members = () => memberList(h1.netns, specs[0]!.root, clientURL(0));
  const membersText = () => {
    try {
      return JSON.stringify(members());
    } catch (err) {
      return String(err);
    }
  };

  try {
    // Host 1: init, printing the join command as JSON.
    const s1 = await newRoot(0);
    await writeFile(path.join(s1.root, 'kubeadm.yaml'), clusterConfig(topo, port));
    boot(0);
    const init = await cli(0, ['init', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight', '--upload-certs', '-o', 'json']);
    assert.equal(init.code, 0, `init failed:\n${init.stderr}\n${etcdLogs()}`);
    const result = JSON.parse(init.stdout) as InitResult;
    const command = result.joinCommands?.controlPlane;
    assert.ok(typeof command === 'string', `no control-plane join command in ${init.stdout}`);
    const join = joinArgs(command);
    assert.equal(join[1], `${topo.bridgeAddress}:${port}`, 'the join command names the load balancer');

    await waitFor('host 1 etcd healthy', waitMs, () => etcdctlIn(h1.netns, s1.root, [clientURL(0)], 'endpoint', 'health').status === 0 || undefined, etcdLogs);
    assert.deepEqual(members().map((m) => [m.name, m.peerURLs]), [['cp-1', [`https://${h1.address}:2380`]]]);

    // Hosts 2 and 3 join as control-plane nodes, one after the other (kubeadm's rule for stacked etcd).
    const joinHost = async (i: number, extra: string[] = []) => cli(i, [...join,
      '--apiserver-advertise-address', topo.hosts[i]!.address, '--apiserver-bind-port', String(port),
      '--node-name', specs[i]!.nodeName, '--skip-phases', 'preflight', ...extra]);
    // First a dry run on host 2: it reads the real cluster (discovery, kubeadm-certs, the etcd Pods and member
    // list through the admin.conf it prepared), changes no membership and writes only into its dry-run folder.
    const s2 = await newRoot(1);
    const dry = await joinHost(1, ['--dry-run']);
    assert.equal(dry.code, 0, `join --dry-run of cp-2 failed (exit ${dry.code}):\n${dry.stdout}\n${dry.stderr}\n${etcdLogs()}`);
    assert.match(dry.stdout, /^\[check-etcd\] Checking that the etcd cluster is healthy$/m);
    assert.ok(dry.stdout.includes(`[etcd] Would add etcd member: https://${topo.hosts[1]!.address}:2380`), dry.stdout);
    assert.deepEqual(members().map((m) => m.name), ['cp-1'], 'a dry run adds no etcd member');
    const written = readdirSync(s2.root, { recursive: true }).map(String).filter((p) => !statSync(path.join(s2.root, p)).isDirectory());
    assert.ok(written.length > 0 && written.every((p) => p.startsWith('etc/kubernetes/tmp/')), `a dry run writes only into its folder: ${written.join(', ')}`);

    for (const i of [1, 2]) {
      if (specs[i] === undefined) await newRoot(i);
      boot(i);
      const r = await joinHost(i);
      assert.equal(r.code, 0, `join of ${specs[i]!.nodeName} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}\n${etcdLogs()}`);
      for (const f of ['etc/kubernetes/manifests/etcd.yaml', 'etc/kubernetes/pki/etcd/peer.crt', 'etc/kubernetes/admin.conf']) {
        assert.ok(existsSync(path.join(specs[i]!.root, f)), `join of ${specs[i]!.nodeName} exited 0 without writing /${f}:\n${r.stdout}\n${r.stderr}`);
      }
    }

    const expectThreeHealthy = async () => {
      const list = await waitFor('three started voting members', waitMs, () => {
        const l = members();
        return l.length === 3 && l.every((m) => m.name !== '' && m.isLearner !== true) ? l : undefined;
      }, () => `${JSON.stringify(members())}\n${etcdLogs()}`);
      const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(sorted.map((m: EtcdMember) => [m.name, m.peerURLs, m.isLearner ?? false]),
        topo.hosts.map((h, i) => [`cp-${i + 1}`, [`https://${h.address}:2380`], false]));
      const all = topo.hosts.map((_, i) => clientURL(i));
      const health = await waitFor('all three endpoints healthy', waitMs, () => {
        const r = etcdctlIn(h1.netns, specs[0]!.root, all, 'endpoint', 'health');
        return r.status === 0 ? r : undefined;
      }, etcdLogs);
      for (const u of all) assert.match(health.out, new RegExp(`^${u.replaceAll('.', '\\.')} is healthy`, 'm'));
    };
    await expectThreeHealthy();

    // The same join run again on host 2 (cloud-init re-running its script): it resumes its own node and member.
    const ids = members().map((m) => m.ID).sort();
    const again = await joinHost(1);
    assert.equal(again.code, 0, `a second join of cp-2 failed (exit ${again.code}):\n${again.stdout}\n${again.stderr}\n${etcdLogs()}`);
    assert.deepEqual(members().map((m) => m.ID).sort(), ids, 'the second join added or removed no member');
    await expectThreeHealthy();

    // Each joined host made its own etcd peer certificate, for its own address, from the one etcd CA.
    const etcdCA = await readFile(path.join(s1.root, 'etc/kubernetes/pki/etcd/ca.crt'), 'utf8');
    for (const i of [1, 2]) {
      const pki = path.join(specs[i]!.root, 'etc/kubernetes/pki');
      assert.equal(await readFile(path.join(pki, 'etcd/ca.crt'), 'utf8'), etcdCA, `${specs[i]!.nodeName} holds the cluster's etcd CA`);
      assert.equal(await readFile(path.join(pki, 'ca.crt'), 'utf8'), await readFile(path.join(s1.root, 'etc/kubernetes/pki/ca.crt'), 'utf8'), 'and its CA');
      const peer = path.join(pki, 'etcd/peer.crt');
      const text = spawnSync('openssl', ['x509', '-in', peer, '-noout', '-ext', 'subjectAltName'], { encoding: 'utf8' }).stdout;
      assert.match(text, new RegExp(`IP Address:${topo.hosts[i]!.address.replaceAll('.', '\\.')}(,|$)`, 'm'), `${specs[i]!.nodeName}'s peer.crt: ${text}`);
      assert.doesNotMatch(text, new RegExp(`IP Address:${h1.address.replaceAll('.', '\\.')}(,|$)`, 'm'), 'not host 1\'s certificate copied');
      assert.ok(new X509Certificate(await readFile(peer)).verify(new X509Certificate(etcdCA).publicKey), 'signed by the etcd CA');
      const verify = spawnSync('openssl', ['verify', '-CAfile', path.join(pki, 'etcd/ca.crt'), peer], { encoding: 'utf8' });
      assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    }

    // Host 3 is wiped (its etcd gone, its member left behind) and joins again: the stale member stops it.
    const wipe = async (i: number) => {
      await kubelets.get(i)!.stop();
      kubelets.delete(i);
      await rm(specs[i]!.root, { recursive: true, force: true });
      await newRoot(i);
      boot(i);
    };
    const before = members().find((m) => m.name === 'cp-3');
    assert.ok(before !== undefined);
    await wipe(2);
    const refused = await joinHost(2);
    assert.notEqual(refused.code, 0, `a join over a stale member succeeded:\n${refused.stdout}\n${refused.stderr}`);
    assert.match(refused.stderr, /cp-3/, refused.stderr);
    assert.match(refused.stderr, /stale|already has a member/i, refused.stderr);
    assert.match(refused.stderr, /--replace-stale-member/, 'the fix names the flag');
    assert.deepEqual(members().map((m) => m.ID).sort(), [...new Set([...members().map((m) => m.ID), before.ID])].sort(), 'the refused join changed no membership');
    assert.equal(members().length, 3);
    assert.ok(!existsSync(path.join(specs[2]!.root, 'etc/kubernetes/manifests/etcd.yaml')), 'the refused join wrote no etcd manifest');

    await wipe(2);
    const replaced = await joinHost(2, ['--replace-stale-member']);
    assert.equal(replaced.code, 0, `join --replace-stale-member failed (exit ${replaced.code}):\n${replaced.stdout}\n${replaced.stderr}\n${etcdLogs()}`);
    await expectThreeHealthy();
    const after = members().find((m) => m.name === 'cp-3');
    assert.ok(after !== undefined && after.ID !== before.ID, 'cp-3 is a new member: the stale one was removed, this one added and promoted');

    // Host 3 leaves: `reset --force` on its root, through the same CLI and API server. Its member is removed
    // from the cluster through another member, its etcd (removed) stops, its data, manifest and PKI go.
    const reset = await cli(2, ['reset', '--force']);
    assert.equal(reset.code, 0, `reset of cp-3 failed (exit ${reset.code}):\n${reset.stdout}\n${reset.stderr}\n${etcdLogs()}`);
    assert.doesNotMatch(reset.stderr, /Failed to remove etcd member/, reset.stderr);
    assert.match(reset.stdout, /^\[reset\] Deleted contents of the etcd data directory: \/var\/lib\/etcd$/m, reset.stdout);
    const remaining = await waitFor('two started voting members without cp-3', waitMs, () => {
      const l = members();
      return l.length === 2 && l.every((m) => m.name !== '' && m.isLearner !== true) ? l : undefined;
    }, () => `${JSON.stringify(members())}\n${reset.stdout}\n${reset.stderr}\n${etcdLogs()}`);
    assert.deepEqual(remaining.map((m) => m.name).sort(), ['cp-1', 'cp-2']);
    assert.ok(!remaining.some((m) => m.ID === after.ID));
    const two = [clientURL(0), clientURL(1)];
    const health = await waitFor('the two remaining endpoints healthy', waitMs, () => {
      const r = etcdctlIn(h1.netns, specs[0]!.root, two, 'endpoint', 'health');
      return r.status === 0 ? r : undefined;
    }, etcdLogs);
    for (const u of two) assert.match(health.out, new RegExp(`^${u.replaceAll('.', '\\.')} is healthy`, 'm'));
    // A removed member's etcd shuts itself down; the test stops it if it has not within a few seconds.
    const etcd3 = kubelets.get(2)!.etcd();
    const exit = await Promise.race([etcd3?.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 10_000))]);
    if (exit === 'running') t.diagnostic('cp-3\'s etcd still ran 10 s after its removal: stopped by the test');
    await kubelets.get(2)!.stop();
    kubelets.delete(2);
    const root3 = specs[2]!.root;
    const etcdData = path.join(root3, 'var/lib/etcd');
    assert.deepEqual(existsSync(etcdData) ? readdirSync(etcdData) : [], [], 'no etcd data left on cp-3');
    assert.ok(!existsSync(path.join(root3, 'etc/kubernetes/manifests/etcd.yaml')), 'cp-3\'s etcd manifest is gone');
    const pki = path.join(root3, 'etc/kubernetes/pki');
    assert.deepEqual(existsSync(pki) ? readdirSync(pki) : [], [], 'cp-3\'s PKI is gone');
  } finally {
    for (const k of kubelets.values()) await k.stop();
    await shared.server?.close().catch(() => undefined);
    topo.teardown();
    for (const r of roots) await rm(r, { recursive: true, force: true });
  }
});
