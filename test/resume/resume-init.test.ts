// Resumable init, the whole CLI in-process on the emulated node (test/helpers/emulated-node.ts): a run that failed
// late completes when run again; a second run of a finished init verifies what is done, prints the same join
// command and makes no second token; a certSANs change re-issues the API server certificate only; another node
// name stops with exit 7 and writes nothing; a damaged record is a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, type CliResult } from '../cli/run-cli.js';
import { configFile, emulateNode, freePort, nodeHost } from '../helpers/emulated-node.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { treeListing } from '../helpers/tree-listing.js';

/** ECDSA keys (fast), short waits (a run without an API server fails in seconds) and no token: init generates it. */
function config(port: number, edit: (text: string) => string = (t) => t): string {
  return edit(configFile(port)
    .replace('bootstrapTokens:\n- token: abcdef.0123456789abcdef\n', '')
    .replace('kind: ClusterConfiguration\n', 'kind: ClusterConfiguration\nencryptionAlgorithm: ECDSA-P256\n')
    .replace('kind: InitConfiguration\n', 'kind: InitConfiguration\ntimeouts:\n  controlPlaneComponentHealthCheck: 2s\n  kubeletHealthCheck: 2s\n'));
}

interface Node {
  readonly root: string;
  readonly port: number;
  init(configText?: string, args?: readonly string[]): Promise<CliResult>;
}

function node(root: string, port: number): Node {
  const host = nodeHost(root, port);
  return {
    root,
    port,
    init: async (configText = config(port), args = []) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), configText);
      return runCli(['init', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight', '--v', '1', ...args], { host });
    },
  };
}

function ok(r: CliResult, what: string): void {
  assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

function joinCommand(r: CliResult): string {
  const m = /^tskubeadm join .*\n.*$/m.exec(r.stdout);
  assert.ok(m, `no join command in:\n${r.stdout}`);
  return m[0];
}

async function sha(root: string, p: string): Promise<string> {
  return createHash('sha256').update(await readFile(path.join(root, p))).digest('hex');
}

function verifiedPhases(r: CliResult): string[] {
  return [...`${r.stdout}\n${r.stderr}`.matchAll(/^\[phase\] (\S+) already done: finished by an earlier run/gm)].map((m) => m[1]!);
}

test('an init that failed waiting for the control plane completes when run again, reusing what the first run made', async () => {
  await withTempRoot(async (root) => {
    const port = await freePort();
    const n = node(root, port);
    // No emulated node yet: the API server never answers, wait-control-plane times out.
    const first = await n.init();
    assert.notEqual(first.code, 0, 'init without an API server should fail');
    assert.match(first.stderr, /wait-control-plane/);
    const progress = JSON.parse(await readFile(path.join(root, 'var/lib/tskubeadm/progress.json'), 'utf8')) as {
      phases: Record<string, { state: string }>; generated: { bootstrapToken?: string };
    };
    assert.equal(progress.phases['certs/ca']?.state, 'finished');
    assert.equal(progress.phases['control-plane/apiserver']?.state, 'finished');
    assert.equal(progress.phases['wait-control-plane'], undefined, 'a failed phase that wrote nothing leaves no record');
    const caBefore = await sha(root, 'etc/kubernetes/pki/ca.crt');
    const emulated = emulateNode(root, port);
    try {
      const second = await n.init();
      ok(second, 'the re-run');
      const verified = verifiedPhases(second);
      for (const p of ['certs/ca', 'certs/apiserver', 'certs/sa', 'kubeconfig/admin', 'etcd/local', 'control-plane/apiserver']) {
        assert.ok(verified.includes(p), `${p} should be verified, got ${verified.join(', ')}`);
      }
      assert.ok(!verified.includes('wait-control-plane'));
      assert.equal(await sha(root, 'etc/kubernetes/pki/ca.crt'), caBefore);
      assert.ok(second.stdout.includes(`--token ${progress.generated.bootstrapToken}`), 'the re-run uses the token the first run generated');
    } finally {
      await emulated.stop();
    }
  });
});

test('a second init of a finished node verifies its files, prints the same join command and makes no second token; new certSANs re-issue apiserver.crt only', async () => {
  await withTempRoot(async (root) => {
    const port = await freePort();
    const n = node(root, port);
    const emulated = emulateNode(root, port);
    try {
      const first = await n.init();
      ok(first, 'init');
      const tokens = () => emulated.server()!.objects('Secret', 'kube-system').filter((s) => s['type'] === 'bootstrap.kubernetes.io/token').length;
      const tokensAfterFirst = tokens();
      const pki = ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'apiserver-kubelet-client.crt', 'front-proxy-client.crt', 'etcd/server.crt', 'sa.key'];
      const before = new Map(await Promise.all(pki.map(async (f) => [f, await sha(root, `etc/kubernetes/pki/${f}`)] as const)));

      const second = await n.init();
      ok(second, 'the second init');
      assert.equal(joinCommand(second), joinCommand(first));
      assert.equal(tokens(), tokensAfterFirst, 'no second bootstrap token Secret');
      assert.equal(second.stdout.split('\n').filter((l) => l.startsWith('[resume] Continuing the earlier tskubeadm init on this node')).length, 1,
        'one line at -v 0 says why the re-run does little');
      const verified = verifiedPhases(second);
      for (const p of ['certs/ca', 'certs/apiserver', 'kubeconfig/admin', 'kubeconfig/super-admin', 'etcd/local', 'control-plane/scheduler']) {
        assert.ok(verified.includes(p), `${p} should be verified, got ${verified.join(', ')}`);
      }
      for (const f of pki) assert.equal(await sha(root, `etc/kubernetes/pki/${f}`), before.get(f), `${f} unchanged by the second init`);

      const third = await n.init(config(port, (t) => t.replace('kind: ClusterConfiguration\n', 'kind: ClusterConfiguration\napiServer:\n  certSANs:\n  - extra.example.test\n')));
      ok(third, 'the init with a new SAN');
      assert.match(third.stdout, /\[resume\] certs\/apiserver: its inputs changed since the earlier run; replacing the 2 file\(s\) it wrote/);
      for (const f of pki) {
        const same = (await sha(root, `etc/kubernetes/pki/${f}`)) === before.get(f);
        assert.equal(same, !f.startsWith('apiserver.'), `${f} ${same ? 'kept' : 'replaced'}`);
      }
      const text = await readFile(path.join(root, 'etc/kubernetes/pki/apiserver.crt'), 'utf8');
      const { X509Certificate } = await import('node:crypto');
      assert.match(new X509Certificate(text).subjectAltName ?? '', /DNS:extra\.example\.test/);
      assert.equal(joinCommand(third), joinCommand(first), 'same CA, same token: same join command');
    } finally {
      await emulated.stop();
    }
  });
});

test('init with another node name on a node set up by an earlier init stops with exit 7 and writes nothing', async () => {
  await withTempRoot(async (root) => {
    const port = await freePort();
    const n = node(root, port);
    // The first run fails (no API server), which is enough to leave a record.
    assert.notEqual((await n.init()).code, 0);
    const before = await treeListing(root);
    const other = config(port, (t) => t.replace(/name: node-1\n/, 'name: node-2\n'));
    assert.notEqual(other, config(port), 'the test config names node-1');
    const r = await n.init(other);
    assert.equal(r.code, 7, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /set up by an earlier tskubeadm init with nodeName "node-1", not "node-2"/);
    assert.match(r.stderr, /tskubeadm reset -f/);
    const after = await treeListing(root);
    after.set('/kubeadm.yaml', before.get('/kubeadm.yaml')!);
    assert.deepEqual(after, before);
  });
});

test('a damaged progress record is a warning and the run proceeds from scratch', async () => {
  await withTempRoot(async (root) => {
    const port = await freePort();
    const n = node(root, port);
    assert.notEqual((await n.init()).code, 0);
    await writeFile(path.join(root, 'var/lib/tskubeadm/progress.json'), '{"apiVersion": "tskubeadm.io/v1alpha1", "kind": "Progress", "phases": 3');
    const r = await n.init();
    assert.match(r.stderr, /\[resume\] ignoring .*progress\.json: it is not valid JSON/);
    // It got as far as the first run (no API server) and wrote a good record again.
    assert.match(r.stderr, /wait-control-plane/);
    const again = JSON.parse(await readFile(path.join(root, 'var/lib/tskubeadm/progress.json'), 'utf8')) as { phases: Record<string, unknown> };
    assert.ok(again.phases['certs/ca'] !== undefined);
  });
});
