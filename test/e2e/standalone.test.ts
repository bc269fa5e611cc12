// The standalone executable dist/tskubeadm (Node's single executable application, made by
// `npm run build`) as a VM without Node runs it: copied alone into an empty folder and started
// with an EMPTY environment, so there is no PATH and no `node` to fall back on. The templates,
// the pki/ tables and every dependency must be inside the one file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initFiles } from '../cli/init-files.js';
import { quickstartRoot as quickstartRootIn, runProcess, type ProcessResult } from '../helpers/run-process.js';

const repo = path.resolve(import.meta.dirname, '../..');
const executable = path.join(repo, 'dist/tskubeadm');
const skip = existsSync(executable) ? false : 'dist/tskubeadm (the standalone executable) is not built: `npm run build` prints why';
const openssl = spawnSync('openssl', ['version']).status === 0;
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };

/** A fresh folder holding only a copy of the executable, and a way to run it there with no environment. */
function installed(): { dir: string; run: (args: readonly string[]) => Promise<ProcessResult> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-standalone-'));
  const copy = path.join(dir, 'tskubeadm');
  copyFileSync(executable, copy);
  return { dir, run: (args) => runProcess(copy, args, { cwd: dir, env: {} }) };
}

/** The README's quick-start config in a fresh root, as /kubeadm.yaml. */
const quickstartRoot = (edit?: (yaml: string) => string): string => quickstartRootIn('tsk-standalone-root-', edit);

test('the executable is one file that runs without node: version -o json is the bundles\' build info', { skip }, async () => {
  assert.ok(statSync(executable).mode & 0o100, 'dist/tskubeadm is executable');
  const { dir, run } = installed();
  try {
    const r = await run(['version', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    // No "single executable applications is experimental" warning, nothing else on stderr.
    assert.equal(r.stderr, '');
    const info = JSON.parse(r.stdout) as { clientVersion: Record<string, string> };
    assert.equal(info.clientVersion.gitVersion, `v${pkg.version}`);
    // The same build as the ESM bundle it was made with: same commit, tree state and build date.
    const esm = spawnSync(process.execPath, [path.join(repo, 'dist/tskubeadm.mjs'), 'version', '-o', 'json'], { encoding: 'utf8' });
    assert.equal(esm.status, 0, esm.stderr);
    assert.deepEqual(info, JSON.parse(esm.stdout));
    assert.deepEqual(readdirSync(dir), ['tskubeadm'], 'nothing written next to it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the executable prints its help and exits 0', { skip }, async () => {
  const { dir, run } = installed();
  try {
    const r = await run(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: tskubeadm \[options\] \[command\]/);
    for (const command of ['init', 'join', 'reset', 'config']) assert.match(r.stdout, new RegExp(`^ {2}${command} \\[options\\]`, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the quick start runs from the executable: init --dry-run makes the PKI, kubeconfigs and manifests from its own templates', { skip }, async () => {
  const { dir, run } = installed();
  // `localhost` resolves from /etc/hosts: the Hostname check's DNS lookup works inside the executable.
  const root = quickstartRoot((y) => y.replace('name: quickstart-node', 'name: localhost'));
  try {
    const r = await run(['init', '--rootfs', root, '--config', '/kubeadm.yaml', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[certs\] Generating "apiserver-kubelet-client" certificate and key$/m);
    assert.match(r.stdout, /^\[control-plane\] Creating static Pod manifest for "kube-apiserver"$/m);
    assert.doesNotMatch(r.stderr, /\[(ERROR|WARNING) Hostname\]/);
    const out = /^\[dryrun\] The files it would write are in (.+)$/m.exec(r.stdout)?.[1];
    assert.ok(out, r.stdout);
    for (const f of initFiles) assert.ok(existsSync(path.join(out, f.path)), f.path);

    // templates/*.yaml: the manifests carry the fixed parts (probes, priority) only the templates hold.
    const apiserver = readFileSync(path.join(out, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8');
    assert.match(apiserver, /^ {4}livenessProbe:\n {6}failureThreshold: 8\n {6}httpGet:\n(?: {8}.*\n)*? {8}path: \/livez$/m);
    assert.match(apiserver, /^ {2}priorityClassName: system-node-critical$/m);
    // pki/certificates.ts: each certificate has its profile's subject.
    const kubeletClient = new (await import('node:crypto')).X509Certificate(
      readFileSync(path.join(out, 'etc/kubernetes/pki/apiserver-kubelet-client.crt')));
    assert.match(kubeletClient.subject, /^CN=kube-apiserver-kubelet-client$/m);
    assert.deepEqual(readdirSync(dir), ['tskubeadm'], 'nothing written next to it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});

test('certificates the executable made verify with openssl against its CA', { skip: skip || (openssl ? false : 'openssl is not installed') }, async () => {
  const { dir, run } = installed();
  const root = quickstartRoot();
  try {
    const r = await run(['init', 'phase', 'certs', 'all', '--rootfs', root, '--config', '/kubeadm.yaml']);
    assert.equal(r.code, 0, r.stderr);
    const pki = path.join(root, 'etc/kubernetes/pki');
    const verify = spawnSync('openssl', ['verify', '-CAfile', path.join(pki, 'etcd/ca.crt'), path.join(pki, 'etcd/server.crt')], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /server\.crt: OK/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});

test('the Kubernetes API client loads inside the executable, quietly: token list gets the API server\'s 403 and exits 5', { skip }, async () => {
  const { dir, run } = installed();
  // A cluster identity whose API server certificate is valid for 127.0.0.1, where this test answers.
  const root = quickstartRoot((y) => `${y}apiServer:\n  certSANs:\n  - 127.0.0.1\n`);
  const requests: string[] = [];
  let server: Server | undefined;
  try {
    for (const args of [['init', 'phase', 'certs', 'all'], ['init', 'phase', 'kubeconfig', 'admin']]) {
      const r = await run([...args, '--rootfs', root, '--config', '/kubeadm.yaml']);
      assert.equal(r.code, 0, r.stderr);
    }
    const pki = path.join(root, 'etc/kubernetes/pki');
    const listening = createServer({ cert: readFileSync(path.join(pki, 'apiserver.crt')), key: readFileSync(path.join(pki, 'apiserver.key')) }, (req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403,
        message: 'secrets is forbidden: User "kubernetes-admin" cannot list resource "secrets" in the namespace "kube-system"' }));
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const admin = path.join(root, 'etc/kubernetes/admin.conf');
    const port = (listening.address() as AddressInfo).port;
    writeFileSync(admin, readFileSync(admin, 'utf8').replace(/^( {4}server: ).*$/m, `$1https://127.0.0.1:${port}`));

    const r = await run(['token', 'list', '--kubeconfig', admin]);
    assert.equal(r.code, 5, r.stderr);
    assert.ok(requests.some((q) => q.startsWith('GET /api/v1/namespaces/kube-system/secrets')), requests.join('\n'));
    assert.match(r.stderr, /cannot list resource "secrets"/);
    // No warning from the executable's require() (an optional add-on a bundled package probes for).
    assert.doesNotMatch(r.stderr, /Warning|single-executable/);
  } finally {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});

test('an invalid config exits 3 from the executable, with the file, line and field, and writes nothing', { skip }, async () => {
  const { dir, run } = installed();
  const root = quickstartRoot((y) => y.replace('  podSubnet: 10.244.0.0/16', '  podSubnet: 10.244.0.0/33'));
  try {
    const r = await run(['init', '--rootfs', root, '--config', '/kubeadm.yaml']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: \/kubeadm\.yaml:\d+:\d+, document 2 \(ClusterConfiguration\), networking\.podSubnet: /m);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(root), ['kubeadm.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});
