// The control-plane phases composed as `init` runs them, on a real temp root: certs → kubeconfig → etcd →
// control-plane → kubelet-start → wait-control-plane. Stand-ins take the place of what cannot run here (the
// kubelet's healthz, and the three components, the API server serving the certificate the certs phase made);
// wait-control-plane finds them only through the manifests the control-plane phase wrote. systemctl is faked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { defaultInitConfig } from '../../../src/config/default-configs.js';
import type { InitConfig } from '../../../src/config/types.js';
import { captureOutput } from '../../../src/output/output.js';
import { initPhases } from '../../../src/phases/init/tree.js';
import { selectPhases } from '../../../src/workflow/select.js';
import type { FakeCommand } from '../../helpers/fake-host.js';
import { freePort } from '../../helpers/emulated-node.js';
import { initContext } from '../../helpers/init-context.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';

type Server = http.Server | https.Server;

const listen = (s: Server, port: number) => new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
const close = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });

/** A cluster whose API server advertises 127.0.0.1 on a free port; the other components and the kubelet's
 *  healthz moved to free ports through extraArgs and the KubeletConfiguration, as a user could. */
function config(ports: { api: number; kcm: number; scheduler: number; kubelet: number }): InitConfig {
  const base = defaultInitConfig({ advertiseAddress: '127.0.0.1', nodeName: 'node-1', token: 'abcdef.0123456789abcdef' });
  return {
    ...base,
    init: {
      ...base.init,
      localAPIEndpoint: { advertiseAddress: '127.0.0.1', bindPort: ports.api },
      timeouts: { ...base.init.timeouts, kubeletHealthCheckMs: 20_000, controlPlaneComponentHealthCheckMs: 20_000 },
    },
    cluster: {
      ...base.cluster,
      encryptionAlgorithm: 'ECDSA-P256',
      controllerManager: { ...base.cluster.controllerManager, extraArgs: [{ name: 'secure-port', value: String(ports.kcm) }] },
      scheduler: { ...base.cluster.scheduler, extraArgs: [{ name: 'secure-port', value: String(ports.scheduler) }] },
    },
    kubelet: { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', healthzPort: ports.kubelet },
  };
}

const systemd: Record<string, FakeCommand> = {
  systemctl: {},
  'systemctl is-system-running': { stdout: 'running\n' },
  'systemctl status kubelet': { exitCode: 3, stdout: '  Loaded: loaded (/lib/systemd/system/kubelet.service; enabled)' },
  'systemctl is-active systemd-resolved': { exitCode: 3, stdout: 'inactive\n' },
};

test('init from certs to wait-control-plane on a temp root: the wait finds the components through the written manifests and trusts the API server through the generated CA', async () => {
  await withTempRoot(async (root) => {
    const ports = { api: await freePort(), kcm: await freePort(), scheduler: await freePort(), kubelet: await freePort() };
    const cfg = config(ports);
    const host = tempRootHost(root, { commands: systemd, path: ['systemctl'] });
    const out = captureOutput();
    // The phases after wait-control-plane talk to the API: test/e2e/init-cluster.test.ts runs those.
    const apiPhases = ['upload-config', 'upload-certs', 'mark-control-plane', 'bootstrap-token', 'kubelet-finalize', 'addon', 'show-join-command'];
    const selection = selectPhases(initPhases, { skip: ['preflight', ...apiPhases] });
    const ctx = initContext(cfg, host, out, { selected: selection.run.map((p) => p.path) });
    const servers: Server[] = [];
    let apiRequests = 0;
    try {
      for (const placed of selection.run) {
        if (placed.path === 'wait-control-plane') {
          // The kubelet "started" the static Pods: stand-ins come up where the manifests say.
          const pki = path.join(root, 'etc/kubernetes/pki');
          const tls = { cert: await readFile(path.join(pki, 'apiserver.crt')), key: await readFile(path.join(pki, 'apiserver.key')) };
          const ok = (_req: http.IncomingMessage, res: http.ServerResponse) => res.end('ok');
          const api = https.createServer(tls, (_req, res) => {
            apiRequests++;
            res.statusCode = apiRequests <= 2 ? 500 : 200; // etcd still starting, then healthy
            res.end();
          });
          const pairs: [Server, number][] = [
            [http.createServer(ok), ports.kubelet], [api, ports.api],
            [https.createServer(tls, ok), ports.kcm], [https.createServer(tls, ok), ports.scheduler],
          ];
          for (const [s, port] of pairs) {
            await listen(s, port);
            servers.push(s);
          }
        }
        await placed.phase.run?.(ctx);
      }
    } finally {
      await Promise.all(servers.map(close));
    }

    const stdout = out.stdout();
    assert.match(stdout, new RegExp(`^\\[control-plane-check\\] Checking kube-apiserver at https://127\\.0\\.0\\.1:${ports.api}/livez$`, 'm'));
    assert.match(stdout, new RegExp(`^\\[control-plane-check\\] Checking kube-controller-manager at https://127\\.0\\.0\\.1:${ports.kcm}/healthz$`, 'm'));
    assert.match(stdout, new RegExp(`^\\[control-plane-check\\] Checking kube-scheduler at https://127\\.0\\.0\\.1:${ports.scheduler}/livez$`, 'm'));
    assert.match(stdout, /^\[control-plane-check\] kube-apiserver is healthy after /m);
    assert.match(stdout, new RegExp(`^\\[kubelet-check\\] Waiting for a healthy kubelet at http://127\\.0\\.0\\.1:${ports.kubelet}/healthz\\.`, 'm'));
    assert.ok(apiRequests >= 3, `the API server was polled until healthy (${apiRequests} requests)`);

    // What the earlier phases left for the kubelet, with kubeadm's modes.
    for (const f of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      assert.equal((await stat(path.join(root, `etc/kubernetes/manifests/${f}.yaml`))).mode & 0o777, 0o600, f);
    }
    assert.equal((await stat(path.join(root, 'var/lib/etcd'))).mode & 0o777, 0o700);
    assert.match(await readFile(path.join(root, 'var/lib/kubelet/config.yaml'), 'utf8'), new RegExp(`^healthzPort: ${ports.kubelet}$`, 'm'));
    // The kubelet was stopped before its files changed and restarted after.
    assert.deepEqual(host.mutations.filter((m) => m.action === 'exec').map((m) => (m.action === 'exec' ? m.argv.join(' ') : '')),
      ['systemctl stop kubelet', 'systemctl daemon-reload', 'systemctl restart kubelet']);
  });
});
