// `tskubeadm init` then `tskubeadm reset` on a temp root, the whole CLI in-process: the root must come back to
// what it was before init, byte for byte, except what the user made, which survives. The cluster the init
// meets is the emulated node of the init e2e test (the strict test API server from the generated PKI, an
// emulated kubelet); reset reads kubeadm-config from it, and finds no etcd to leave (the manifest's member is
// not running here, so its removal is reported as a leftover after a short etcd timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { initPhases } from '../../src/phases/init/tree.js';
import { runCli, type CliResult } from '../cli/run-cli.js';
import { configFile, emulateNode, freePort, nodeHost } from '../helpers/emulated-node.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { treeListing } from '../helpers/tree-listing.js';

/** reset's config: the etcd member of the manifest does not run here, so its removal gives up quickly. kubeadm
 *  does not let --force be mixed with --config, so the forced runs use a config that says force. */
const resetConfig = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\ntimeouts:\n  etcdAPICall: 500ms\n';
const forcedResetConfig = `${resetConfig}force: true\n`;

interface Node {
  readonly root: string;
  init(args?: readonly string[]): Promise<CliResult>;
  /** `reset --config /reset-force.yaml` by default; `reset --config /reset.yaml <args>` when args are given. */
  reset(args?: readonly string[], o?: { confirm?: () => Promise<boolean> }): Promise<CliResult>;
  stop(): Promise<void>;
}

/** A node on `root` with its own API server port; the config files are written first (they are the user's). */
async function node(root: string): Promise<Node> {
  const port = await freePort();
  // ECDSA keys: the reset tests run many inits, and what reset does does not depend on the key type.
  await writeFile(path.join(root, 'kubeadm.yaml'), configFile(port).replace('kind: ClusterConfiguration\n', 'kind: ClusterConfiguration\nencryptionAlgorithm: ECDSA-P256\n'));
  await writeFile(path.join(root, 'reset.yaml'), resetConfig);
  await writeFile(path.join(root, 'reset-force.yaml'), forcedResetConfig);
  const emulated = emulateNode(root, port);
  const host = nodeHost(root, port);
  return {
    root,
    init: (args = []) => runCli(['init', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight', ...args], { host }),
    reset: (args, o = {}) =>
      runCli(['reset', '--config', args === undefined ? '/reset-force.yaml' : '/reset.yaml', ...(args ?? [])], { host, ...(o.confirm ? { confirm: o.confirm } : {}) }),
    stop: () => emulated.stop(),
  };
}

function ok(r: CliResult, what: string): void {
  assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

async function withOutsideDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-outside-'));
  try {
    await writeFile(path.join(dir, 'keep.txt'), 'not the cluster\'s\n');
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('init then reset: the root is as before init, user files survive, a replaced file is restored, planted symlinks are not followed', async () => {
  await withTempRoot((root) => withOutsideDir(async (outside) => {
    // What the user had before init.
    const put = async (p: string, text: string, mode = 0o644) => {
      await mkdir(path.dirname(path.join(root, p)), { recursive: true });
      await writeFile(path.join(root, p), text, { mode });
    };
    await put('etc/kubernetes/notes.txt', 'my notes\n');
    await put('etc/kubernetes/pki/README.user', 'my sentinel in the certificates directory\n', 0o600);
    await put('var/lib/kubelet/config.yaml', '# the kubelet config the image shipped\n', 0o640);
    await put('etc/cni/net.d/99-loopback.conf', '{"cniVersion":"1.0.0","name":"lo","type":"loopback"}\n');
    await put('etc/hosts', '127.0.0.1 localhost\n');
    await symlink(outside, path.join(root, 'etc/kubernetes/pki/outside-before'));
    const home = process.env.HOME ?? '/root';
    await mkdir(path.join(root, home, '.kube'), { recursive: true });
    const n = await node(root);
    const before = await treeListing(root);
    try {
      ok(await n.init(), 'init');
      assert.notEqual(await readFile(path.join(root, 'var/lib/kubelet/config.yaml'), 'utf8'), '# the kubelet config the image shipped\n', 'init replaced the kubelet config');
      // What the user and the cluster did after init: admin.conf copied for kubectl, a CNI plugin's config, links
      // planted in kubeadm's directories pointing out of the root.
      await copyFile(path.join(root, 'etc/kubernetes/admin.conf'), path.join(root, home, '.kube/config'));
      await put('etc/cni/net.d/10-flannel.conflist', '{"name":"cbr0","cniVersion":"0.3.1","plugins":[{"type":"flannel"}]}\n');
      await symlink(outside, path.join(root, 'etc/kubernetes/manifests/outside-abs'));
      await symlink(path.relative(path.join(root, 'etc/kubernetes/pki'), outside), path.join(root, 'etc/kubernetes/pki/outside-rel'));
      await symlink(path.join(outside, 'keep.txt'), path.join(root, 'var/lib/kubelet/outside-file'));

      const r = await n.reset();
      ok(r, 'reset');
      assert.match(r.stdout, /\[reset\] Deleting files: \[\/etc\/kubernetes\/admin\.conf /);
      assert.match(r.stdout, /Restored .*\/var\/lib\/kubelet\/config\.yaml/);
    } finally {
      await n.stop();
    }
    // ~/.kube/config held only this cluster (a copy of admin.conf): it went; ~/.kube is the user's and stays.
    assert.deepEqual(await treeListing(root), before);
    assert.equal(await readFile(path.join(outside, 'keep.txt'), 'utf8'), 'not the cluster\'s\n', 'the link targets outside the root are untouched');
  }));
});

test('reset after init stopped after each phase, and reset run twice, both leave the root as before', async () => {
  const tops = initPhases.map((p) => p.name).filter((p) => p !== 'preflight');
  const tried: string[] = [];
  for (const [i, last] of tops.entries()) {
    await withTempRoot(async (root) => {
      const n = await node(root);
      try {
        const before = await treeListing(root);
        const rest = tops.slice(i + 1);
        ok(await n.init(rest.length === 0 ? [] : ['--skip-phases', `preflight,${rest.join(',')}`]), `init up to ${last}`);
        ok(await n.reset(), `reset after ${last}`);
        assert.deepEqual(await treeListing(root), before, `after init up to ${last} and reset`);
        const again = await n.reset();
        ok(again, `second reset after ${last}`);
        assert.deepEqual(await treeListing(root), before, `after a second reset (${last})`);
        tried.push(last);
      } finally {
        await n.stop();
      }
    });
  }
  assert.deepEqual(tried, tops);
});

test('reset without a terminal and without --force refuses and changes nothing; --dry-run changes nothing and lists every action', async () => {
  await withTempRoot(async (root) => {
    const n = await node(root);
    // A file init replaces: the dry run must restore nothing, not even into a dry-run folder.
    await mkdir(path.join(root, 'var/lib/kubelet'), { recursive: true });
    await writeFile(path.join(root, 'var/lib/kubelet/config.yaml'), '# shipped by the image\n');
    try {
      ok(await n.init(['--skip-phases', 'preflight,addon,show-join-command']), 'init');
      const initialised = await treeListing(root);

      const refused = await n.reset([]);
      assert.equal(refused.code, 64, refused.stderr);
      assert.match(refused.stderr, /no terminal to ask on\n {2}fix: set force: true in the ResetConfiguration \(--force cannot be mixed with --config\)/);
      assert.deepEqual(await treeListing(root), initialised);

      const declined = await n.reset([], { confirm: async () => false });
      assert.equal(declined.code, 1);
      assert.deepEqual(await treeListing(root), initialised);

      const dry = await n.reset(['--dry-run', '-o', 'json']);
      ok(dry, 'reset --dry-run');
      assert.deepEqual(await treeListing(root), initialised, '--dry-run changed nothing');
      const report = JSON.parse(dry.stdout) as { kind: string; dryRun: boolean; actions: { kind: string; item: string }[] };
      assert.equal(report.kind, 'ResetReport');
      assert.equal(report.dryRun, true);
      const removed = new Set(report.actions.filter((a) => a.kind === 'removed').map((a) => a.item));
      for (const p of ['/etc/kubernetes/admin.conf', '/etc/kubernetes/manifests/kube-apiserver.yaml', '/etc/kubernetes/pki/ca.key', '/var/lib/tskubeadm/journal.json']) {
        assert.ok([...removed].some((x) => x === p || p.startsWith(`${x}/`)), `the dry run lists the removal of ${p}: ${[...removed].join(' ')}`);
      }
      assert.match(dry.stderr, /\[dryrun\] Would delete files: \[/);
      assert.ok(report.actions.some((a) => a.kind === 'restored' && a.item === '/var/lib/kubelet/config.yaml'), 'the dry run lists the restore');

      // And the real one, through the prompt.
      ok(await n.reset([], { confirm: async () => true }), 'reset after yes');
      assert.ok(!(await treeListing(root)).has('etc/kubernetes/admin.conf'));
    } finally {
      await n.stop();
    }
  });
});
