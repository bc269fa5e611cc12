// `tskubeadm init` end to end, the API phases included: a temp root, the whole CLI in-process with the real
// API client (@kubernetes/client-node), and the strict test API server standing in for the control plane.
// What cannot run here is emulated where kubeadm would meet it: the kubelet (its healthz, registering the
// Node, rotating its client certificate) and the controller-manager and scheduler health endpoints. The API
// server comes up when its manifest appears, serving the apiserver certificate init generated; every object
// init created is then compared, field by field, with the one a real kubeadm v1.35 printed for the same
// config (kubeadm-observed/init-dry-run.txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import { componentConfigHash, componentConfigHashAnnotation } from '../../src/cluster-objects/component-config-hash.js';
import { publicKeyPin } from '../../src/pki/ca-hash.js';
import { verifyDetached } from '../../src/tokens/jws.js';
import { allObservedRequests, observedSection } from '../helpers/observed-api.js';
import { runCli } from '../cli/run-cli.js';
import { configFile, emulateNode, freePort, nodeHost } from '../helpers/emulated-node.js';
import { withTempRoot } from '../helpers/temp-root.js';
import { skipReference as skip } from '../kubelet/reference.js';

const token = 'abcdef.0123456789abcdef';

/** What the server keeps that the client did not send. */
function sent(obj: KubeObject): Record<string, unknown> {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...metadata } = obj.metadata;
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata };
}

test('tskubeadm init against the test API server creates every object a real kubeadm creates, as kubeadm does, and prints a join command that works', { skip }, async () => {
  await withTempRoot(async (root) => {
    const port = await freePort();
    await writeFile(path.join(root, 'kubeadm.yaml'), configFile(port));
    const node = emulateNode(root, port);
    try {
      const r = await runCli(['init', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight'], { host: nodeHost(root, port) });
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const server = node.server();
      assert.ok(server !== undefined);
      const endpoint = `127.0.0.1:${port}`;
      const caPem = await readFile(path.join(root, 'etc/kubernetes/pki/ca.crt'), 'utf8');

      // kubeadm's lines, in kubeadm's order, from upload-config on.
      const phaseLine = (l: string) => /^\[(upload-config|kubelet|upload-certs|mark-control-plane|bootstrap-token|kubelet-finalize|addons)\] /.test(l);
      const ours = r.stdout.split('\n').filter(phaseLine);
      const expected = observedSection('[upload-config]', 'Your Kubernetes control-plane').filter(phaseLine);
      // kubeadm's dry run has no rotated kubelet certificate, so it skipped this line; a real init prints it (facts, Appendix A).
      expected.splice(expected.findIndex((l) => l.startsWith('[addons]')), 0,
        '[kubelet-finalize] Updating "/etc/kubernetes/kubelet.conf" to point to a rotatable kubelet client certificate and key');
      assert.deepEqual(ours, expected, 'phase lines');

      // Every object kubeadm created, as the server now holds it.
      const created = allObservedRequests().filter((q) => q.verb === 'CREATE');
      assert.equal(created.length, 27, 'kubeadm created 27 objects');
      for (const q of created) {
        const expected = parse(q.body!.replaceAll('cp.example.test:6443', endpoint)) as KubeObject;
        const got = server.get(expected.kind, expected.metadata.name, expected.metadata.namespace);
        assert.ok(got !== undefined, `${expected.kind} ${expected.metadata.namespace ?? ''}/${expected.metadata.name} was created`);
        const want = sent(expected) as { data?: Record<string, string>; metadata: { annotations?: Record<string, string> } };
        const have = sent(got) as typeof want;
        if (expected.kind === 'Secret') {
          // Expiry is 24 h from the run, not from kubeadm's.
          const exp = new Date(Buffer.from(have.data!['expiration']!, 'base64').toString()).getTime();
          assert.ok(Math.abs(exp - Date.now() - 24 * 3600_000) < 120_000, 'the token expires in 24 h');
          have.data!['expiration'] = want.data!['expiration']!;
        }
        if (expected.metadata.name === 'cluster-info') {
          const kubeconfig = parse(have.data!['kubeconfig']!) as { clusters: { cluster: Record<string, string> }[] };
          assert.equal(Buffer.from(kubeconfig.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString(), caPem);
          const jws = have.data!['jws-kubeconfig-abcdef'];
          assert.ok(jws !== undefined && verifyDetached(jws, have.data!['kubeconfig']!, 'abcdef', '0123456789abcdef'), 'the bootstrapsigner signed cluster-info for the token');
          delete have.data!['jws-kubeconfig-abcdef'];
          want.data!['kubeconfig'] = want.data!['kubeconfig']!.replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`);
        }
        // The kube-proxy kubeconfig names our endpoint, so kubeadm's hash is recomputed over the substituted data.
        if (want.metadata.annotations?.[componentConfigHashAnnotation] !== undefined) {
          want.metadata.annotations[componentConfigHashAnnotation] = componentConfigHash(want.data!);
        }
        if (expected.kind === 'Service') delete (want.metadata as Record<string, unknown>)['resourceVersion'];
        assert.deepEqual(have, want, `${expected.kind} ${expected.metadata.name}`);
      }

      // Beyond the dry run: the binding that makes admin.conf an administrator, created through super-admin.conf
      // after admin.conf was refused.
      assert.ok(server.get('ClusterRoleBinding', 'kubeadm:cluster-admins'));
      const crbPosts = server.requests.filter((q) => q.method === 'POST' && q.path === '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings').slice(0, 2);
      assert.deepEqual(crbPosts.map((q) => [q.user, q.status]), [['kubernetes-admin', 403], ['kubernetes-super-admin', 201]]);
      assert.ok(server.requests.filter((q) => q.user === 'kubernetes-super-admin').length === 1, 'super-admin.conf is used for that one request only');

      // mark-control-plane on the registered Node.
      const nodeObj = server.get('Node', 'node-1') as KubeObject & { spec: { taints?: unknown } };
      assert.deepEqual(nodeObj.metadata.labels, {
        'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '',
      });
      assert.deepEqual(nodeObj.spec.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);

      // kubelet-finalize pointed kubelet.conf at the rotated certificate.
      const kubeletConf = parse(await readFile(path.join(root, 'etc/kubernetes/kubelet.conf'), 'utf8')) as { users: { user: Record<string, string> }[] };
      assert.deepEqual(kubeletConf.users[0]!.user, {
        'client-certificate': '/var/lib/kubelet/pki/kubelet-client-current.pem', 'client-key': '/var/lib/kubelet/pki/kubelet-client-current.pem',
      });

      // The closing message's join command pins this cluster's CA.
      const pin = publicKeyPin(new X509Certificate(caPem));
      assert.match(r.stdout, new RegExp(`^tskubeadm join ${endpoint.replaceAll('.', '\\.')} --token ${token} \\\\\\n\\t--discovery-token-ca-cert-hash ${pin} $`, 'm'));

      // The token commands against the same cluster, with admin.conf.
      const host = nodeHost(root, port);
      const created2 = await runCli(['token', 'create', '--print-join-command', '--description', 'e2e'], { host });
      assert.equal(created2.code, 0, created2.stderr);
      const id = /--token ([a-z0-9]{6})\.[a-z0-9]{16} /.exec(created2.stdout)?.[1];
      assert.ok(id !== undefined, created2.stdout);
      assert.match(created2.stdout, new RegExp(`--discovery-token-ca-cert-hash ${pin}`));
      const list = await runCli(['token', 'list', '-o', 'json'], { host });
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, new RegExp(`"${id}\\.`));
      const signatures = () => (server.get('ConfigMap', 'cluster-info', 'kube-public') as unknown as { data: Record<string, string> }).data;
      await server.runControllers();
      assert.ok(signatures()[`jws-kubeconfig-${id}`], 'a second token adds a second signature');
      const del = await runCli(['token', 'delete', id], { host });
      assert.equal(del.code, 0, del.stderr);
      assert.equal(del.stdout, `bootstrap token "${id}" deleted\n`);
      await server.runControllers();
      assert.equal(signatures()[`jws-kubeconfig-${id}`], undefined, 'deleting the token removes its signature');

      // A second init on the same node converges: everything exists, and is updated in place.
      const count = (k: string) => server.objects(k).length;
      const before = ['ConfigMap', 'Secret', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'DaemonSet', 'Service'].map(count);
      const again = await runCli(['init', '--config', '/kubeadm.yaml', '--skip-phases', 'preflight'], { host: nodeHost(root, port) });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(['ConfigMap', 'Secret', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'DaemonSet', 'Service'].map(count), before);
    } finally {
      await node.stop();
    }
  });
});
