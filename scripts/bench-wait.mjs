// Health-detection latency of `init phase wait-control-plane`: how long after the API server turns
// healthy tskubeadm notices. Stand-ins on loopback: the kubelet's healthz (plain HTTP, healthy from the
// start), an "API server" with the generated apiserver certificate that answers 500 until the flip, and
// the controller manager and scheduler (healthy). Figures: the first 200 the server sends after the flip
// (the poller's reaction) and the "[control-plane-check] kube-apiserver is healthy" line reaching us.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function freePort() {
  const s = createNetServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

function config(ports) {
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
  bindPort: ${ports.api}
nodeRegistration:
  name: bench-node
  criSocket: unix:///var/run/containerd/containerd.sock
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
encryptionAlgorithm: ECDSA-P256
apiServer:
  certSANs: [127.0.0.1]
  extraArgs:
  - {name: advertise-address, value: 127.0.0.1}
controllerManager:
  extraArgs:
  - {name: secure-port, value: "${ports.kcm}"}
scheduler:
  extraArgs:
  - {name: secure-port, value: "${ports.scheduler}"}
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
healthzPort: ${ports.kubelet}
`;
}

async function listen(server, port) {
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

/** One wait: returns {reactionMs, noticedMs} measured from the flip. */
async function oneRun(node, bin, root, ports, tls) {
  let flippedAt;
  let first200At;
  let sawRequest;
  const seen = new Promise((r) => (sawRequest = r));
  const api = await listen(createHttpsServer(tls, (req, res) => {
    sawRequest();
    if (flippedAt === undefined) {
      res.writeHead(500).end('etcd not ready');
      return;
    }
    first200At ??= now();
    res.writeHead(200).end('ok');
  }), ports.api);
  const ok = (req, res) => res.writeHead(200).end('ok');
  const others = await Promise.all([
    listen(createHttpServer(ok), ports.kubelet),
    listen(createHttpsServer(tls, ok), ports.kcm),
    listen(createHttpsServer(tls, ok), ports.scheduler),
  ]);
  try {
    const child = spawn(node, [bin, 'init', 'phase', 'wait-control-plane', '--rootfs', root, '--config', '/kubeadm.yaml'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let noticedAt;
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      if (noticedAt === undefined && /kube-apiserver is healthy after/.test(out)) noticedAt = now();
    });
    const exited = new Promise((r) => child.on('close', r));
    await seen;
    // Let it poll an unhealthy server for a while, then turn healthy at a moment it does not know.
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 200));
    flippedAt = now();
    const code = await exited;
    if (code !== 0 || noticedAt === undefined) throw new Error(`wait-control-plane exited ${code}:\n${out}`);
    return { reactionMs: first200At - flippedAt, noticedMs: noticedAt - flippedAt };
  } finally {
    await Promise.all([api, ...others].map((s) => new Promise((r) => { s.closeAllConnections?.(); s.close(r); })));
  }
}

export async function benchHealthDetection({ node, bin, runs }) {
  const root = mkdtempSync(path.join(tmpdir(), 'tskubeadm-bench-wait-'));
  try {
    const ports = { api: await freePort(), kubelet: await freePort(), kcm: await freePort(), scheduler: await freePort() };
    writeFileSync(path.join(root, 'kubeadm.yaml'), config(ports));
    for (const phase of ['certs', 'control-plane']) {
      const r = spawnSync(node, [bin, 'init', 'phase', phase, 'all', '--rootfs', root, '--config', '/kubeadm.yaml'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`init phase ${phase} all exited ${r.status}: ${r.stderr}`);
    }
    const pki = path.join(root, 'etc/kubernetes/pki');
    const tls = { cert: readFileSync(path.join(pki, 'apiserver.crt')), key: readFileSync(path.join(pki, 'apiserver.key')) };
    const reaction = [];
    const noticed = [];
    for (let i = 0; i < runs; i++) {
      const r = await oneRun(node, bin, root, ports, tls);
      reaction.push(r.reactionMs);
      noticed.push(r.noticedMs);
    }
    const fmt = (xs) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
    console.log(`health detection        ${fmt(reaction)}   (API server healthy -> its first 200 to tskubeadm; median of ${runs}; target < 100 ms)`);
    console.log(`health noticed          ${fmt(noticed)}   (API server healthy -> "[control-plane-check] kube-apiserver is healthy" printed)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
