// `tskubeadm join` of a worker end to end: `tskubeadm init` on temp root A against the test API server (as
// test/e2e/init-cluster.test.ts), then the join command init printed, run from temp root B whose kubelet is
// emulated (test/helpers/emulated-kubelet.ts: CSR with the bootstrap token, approval, its own certificate,
// its Node), and a second worker through `--join-string` from `token create`. Then the ways a join must fail before
// it writes anything on B, each with its own message. cluster-info is tampered with in transit (the test server's
// bootstrapsigner re-signs whatever the stored ConfigMap holds).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import type { Host } from '../../src/host/host.js';
import { runCli } from '../cli/run-cli.js';
import { emulateNode, freePort, initEmulatedNode, nodeHost } from '../helpers/emulated-node.js';
import { emulateKubelet } from '../helpers/emulated-kubelet.js';
import { withTempRoot } from '../helpers/temp-root.js';
import type { TestApiServer } from '../helpers/api-server/server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

/** Every path under root (files and directories), sorted: what a failed join must leave unchanged. */
async function listing(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      out.push(path.relative(root, p) + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) await walk(p);
    }
  };
  await walk(root);
  return out.sort();
}

describe('tskubeadm join (worker) against a cluster set up by tskubeadm init', () => {
  let rootA = '';
  let port = 0;
  let node: ReturnType<typeof emulateNode> | undefined;
  let server: TestApiServer;
  let joinArgs: string[] = [];

  before(async () => {
    rootA = await mkdtemp(path.join(tmpdir(), 'tskubeadm-join-a-'));
    // The worker join command init printed (tskubeadm join <endpoint> --token … --discovery-token-ca-cert-hash …).
    ({ port, node, joinArgs } = await initEmulatedNode(rootA));
    server = node.server()!;
  });

  after(async () => {
    await node?.stop();
    if (rootA !== '') await rm(rootA, { recursive: true, force: true });
  });

  it('joins: kubeadm\'s files on the worker, its Node in the cluster, and kubeadm\'s closing message', async () => {
    await withTempRoot(async (rootB) => {
      const kubelet = emulateKubelet(rootB, 'worker-1');
      try {
        const r = await runCli([...joinArgs, '--ignore-preflight-errors', 'all'], { host: kubelet.host });
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}\n${String(kubelet.error())}`);
        const lines = r.stdout.split('\n');
        const order = [
          '[preflight] Running pre-flight checks',
          '[preflight] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...',
          "[preflight] Use 'tskubeadm init phase upload-config --config your-config.yaml' to re-upload it.",
          '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"',
          '[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"',
          '[kubelet-start] Starting the kubelet',
          '[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap',
        ];
        let at = -1;
        for (const l of order) {
          const i = lines.indexOf(l, at + 1);
          assert.ok(i > at, `"${l}" comes next in:\n${r.stdout}`);
          at = i;
        }
        assert.ok(r.stdout.endsWith('\nThis node has joined the cluster:\n* Certificate signing request was sent to apiserver and a response was received.\n' +
          "* The Kubelet was informed of the new secure connection details.\n\nRun 'kubectl get nodes' on the control-plane to see this node join the cluster.\n\n"), r.stdout);

        const b = (p: string) => path.join(rootB, p);
        await assert.rejects(stat(b('etc/kubernetes/bootstrap-kubelet.conf')), /ENOENT/, 'the bootstrap credentials are removed');
        assert.equal(await readFile(b('etc/kubernetes/pki/ca.crt'), 'utf8'), await readFile(path.join(rootA, 'etc/kubernetes/pki/ca.crt'), 'utf8'));
        const kubeletConf = parse(await readFile(b('etc/kubernetes/kubelet.conf'), 'utf8')) as { users: { user: Record<string, string> }[] };
        assert.equal(kubeletConf.users[0]!.user['client-certificate'], '/var/lib/kubelet/pki/kubelet-client-current.pem');
        const clusterKubelet = (server.get('ConfigMap', 'kubelet-config', 'kube-system') as KubeObject & { data: Record<string, string> }).data['kubelet']!;
        const written = parse(await readFile(b('var/lib/kubelet/config.yaml'), 'utf8')) as Record<string, unknown>;
        assert.deepEqual(written, { ...(parse(clusterKubelet) as Record<string, unknown>), containerRuntimeEndpoint: written['containerRuntimeEndpoint'] },
          'config.yaml is the cluster\'s kubelet-config with this node\'s runtime endpoint');
        assert.match(await readFile(b('var/lib/kubelet/instance-config.yaml'), 'utf8'), /^containerRuntimeEndpoint: "unix:\/\//);
        const flags = await readFile(b('var/lib/kubelet/kubeadm-flags.env'), 'utf8');
        assert.match(flags, /^KUBELET_KUBEADM_ARGS=".*"\n$/);
        assert.doesNotMatch(flags, /register-with-taints|hostname-override/, 'a worker with no taints and its own hostname as name');
        assert.ok(server.get('Node', 'worker-1'), 'the kubelet registered its Node');

        // The same join again (cloud-init re-running it, say): its Node is Ready now, and it is this machine's own.
        server.put({ ...server.get('Node', 'worker-1')!, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as unknown as KubeObject);
        const again = await runCli([...joinArgs, '--ignore-preflight-errors', 'all'], { host: kubelet.host });
        assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
        assert.match(again.stdout, /^\[kubelet-start\] The Node "worker-1" was registered by this machine's earlier join: resuming it$/m);
        assert.match(again.stdout, /This node has joined the cluster/);
      } finally {
        await kubelet.stop();
      }
    });
  });

  it('joins a second worker with the join string `token create --print-join-string` gives', async () => {
    const created = await runCli(['token', 'create', '--print-join-string'], { host: nodeHost(rootA, port) });
    assert.equal(created.code, 0, created.stderr);
    const joinString = created.stdout.trim();
    assert.match(joinString, /^tskj1\.[A-Za-z0-9_-]+$/);
    await withTempRoot(async (rootB) => {
      const kubelet = emulateKubelet(rootB, 'worker-4');
      try {
        const r = await runCli(['join', '--join-string', joinString, '--ignore-preflight-errors', 'all'], { host: kubelet.host });
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}\n${String(kubelet.error())}`);
        assert.ok(server.get('Node', 'worker-4'), 'the kubelet registered its Node');
      } finally {
        await kubelet.stop();
      }
    });
  });

  /** Runs a join that must fail on root B; returns its result, after checking B is untouched. `wrap` may change
   *  what the joining node's network sees. */
  async function failing(
    args: readonly string[], files: Record<string, string> = {}, wrap: (h: Host) => Host = (h) => h,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return withTempRoot(async (rootB) => {
      for (const [p, text] of Object.entries(files)) await writeFile(path.join(rootB, p), text);
      const kubelet = emulateKubelet(rootB, 'worker-2');
      const before = await listing(rootB);
      try {
        const r = await runCli([...args, '--ignore-preflight-errors', 'all'], { host: wrap(kubelet.host) });
        assert.notEqual(r.code, 0, r.stdout);
        assert.deepEqual(await listing(rootB), before, 'nothing written under root B');
        return r;
      } finally {
        await kubelet.stop();
      }
    });
  }

  it('refuses a CA hash that is not the cluster\'s (exit 6)', async () => {
    const args = joinArgs.map((a) => (a.startsWith('sha256:') ? `sha256:${'0'.repeat(64)}` : a));
    const r = await failing(args);
    assert.equal(r.code, 6, r.stderr);
    const served = joinArgs[joinArgs.indexOf('--discovery-token-ca-cert-hash') + 1]!;
    assert.match(r.stderr, /none of the public keys/);
    assert.ok(r.stderr.includes(served), 'the message shows the hash the server presented');
  });

  it('refuses a cluster-info changed in transit: its signature no longer verifies (exit 6)', async () => {
    // A man in the middle points the kubeconfig at another server; the JWS was made over the original text.
    const tamper = (h: Host): Host => ({
      ...h,
      net: {
        ...h.net,
        async httpGet(url, opts) {
          const r = await h.net.httpGet(url, opts);
          if (!url.endsWith('/configmaps/cluster-info') || r.status !== 200) return r;
          const cm = JSON.parse(r.body) as { data: Record<string, string> };
          cm.data['kubeconfig'] = cm.data['kubeconfig']!.replace(/server: \S+/, 'server: https://203.0.113.66:6443');
          return { ...r, body: JSON.stringify(cm) };
        },
      },
    });
    const r = await failing(joinArgs, {}, tamper);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /failed to verify JWS signature of received cluster info object, can't trust this API Server/);
  });

  /** A JoinConfiguration file for this cluster with a 2 s discovery timeout (kubeadm keeps polling until it). */
  function shortDiscovery(o: { endpoint?: string; token?: string } = {}): Record<string, string> {
    const endpoint = o.endpoint ?? joinArgs[1]!;
    const token = o.token ?? joinArgs[joinArgs.indexOf('--token') + 1]!;
    const hash = joinArgs[joinArgs.indexOf('--discovery-token-ca-cert-hash') + 1]!;
    return {
      'join.yaml': [
        'apiVersion: kubeadm.k8s.io/v1beta4', 'kind: JoinConfiguration',
        'discovery:', '  bootstrapToken:', `    apiServerEndpoint: ${endpoint}`, `    token: ${token}`, `    caCertHashes: ["${hash}"]`,
        'timeouts:', '  discovery: 2s', '',
      ].join('\n'),
    };
  }

  it('refuses an unknown token (exit 6)', async () => {
    const r = await failing(['join', '--config', '/join.yaml'], shortDiscovery({ token: 'zzzzzz.0123456789abcdef' }));
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /token id "zzzzzz" is invalid for this cluster or it has expired/);
    assert.match(r.stderr, /tskubeadm token create --print-join-command/, 'the fix says how to get a new token');
  });

  it('refuses an expired token (exit 6)', async () => {
    server.put({
      apiVersion: 'v1', kind: 'Secret', type: 'bootstrap.kubernetes.io/token',
      metadata: { name: 'bootstrap-token-oldtok', namespace: 'kube-system' },
      data: Object.fromEntries(Object.entries({
        'token-id': 'oldtok', 'token-secret': '0123456789abcdef', expiration: '2020-01-01T00:00:00Z',
        'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true',
      }).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    } as unknown as KubeObject);
    await server.runControllers();
    const r = await failing(['join', '--config', '/join.yaml'], shortDiscovery({ token: 'oldtok.0123456789abcdef' }));
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /token id "oldtok" is invalid for this cluster or it has expired/);
    assert.match(r.stderr, /tskubeadm token create --print-join-command/);
  });

  it('refuses an endpoint nobody answers on, within timeouts.discovery (exit 6)', async () => {
    const endpoint = `127.0.0.1:${await freePort()}`;
    const r = await failing(['join', '--config', '/join.yaml'], shortDiscovery({ endpoint }));
    assert.equal(r.code, 6, r.stderr);
    assert.ok(r.stderr.includes(`https://${endpoint}/`), r.stderr);
    assert.match(r.stderr, /ECONNREFUSED|refused/);
  });

  it('refuses the name of a Node that is Ready in the cluster, before it writes anything', async () => {
    server.put({
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-ready' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    } as unknown as KubeObject);
    const r = await failing([...joinArgs, '--node-name', 'worker-ready']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /a Node with name "worker-ready" and status "Ready" already exists in the cluster/);
    assert.match(r.stderr, /kubectl delete node worker-ready/);
  });

  it('with --dry-run writes nothing outside its dry-run folder', async () => {
    await withTempRoot(async (rootB) => {
      const kubelet = emulateKubelet(rootB, 'worker-3');
      try {
        const r = await runCli([...joinArgs, '--dry-run', '--ignore-preflight-errors', 'all'], { host: kubelet.host, env: { TSKUBEADM_JOIN_DRYRUN_DIR: '/dry' } });
        assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        const all = await listing(rootB);
        assert.deepEqual(all.filter((p) => !p.startsWith('dry/')), [], all.join('\n'));
        assert.ok(all.includes('dry/var/lib/kubelet/config.yaml'), 'the files went to the dry-run folder');
        assert.equal(server.get('Node', 'worker-3'), undefined);
      } finally {
        await kubelet.stop();
      }
    });
  });
});
