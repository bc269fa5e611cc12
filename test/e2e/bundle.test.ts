// The built CLI as users run it: `node dist/tskubeadm.mjs …` in a child process, with the
// README's quick start, real exit codes, and a temporary root that must stay untouched when
// a run fails. `npm test` builds dist/ first; a bare `node scripts/test.mjs` without a build skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectedPlan, initFiles, initPlan, octalMode, plannedChanges } from '../cli/init-files.js';
import { quickstartRoot as quickstartRootIn, runProcess, type ProcessResult } from '../helpers/run-process.js';

const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'dist/tskubeadm.mjs');
const skip = existsSync(cli) ? false : 'dist/tskubeadm.mjs is not built (npm run build)';
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };

function tskubeadm(args: readonly string[], opts: { script?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [opts.script ?? cli, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
  });
}

/** Every file and directory under a root, relative, sorted. */
function tree(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? [`${rel}/`, ...tree(root, rel)] : [rel];
  }).sort();
}

const quickstartRoot = (edit?: (yaml: string) => string): string => quickstartRootIn('tsk-e2e-', edit);

for (const file of ['tskubeadm-single.mjs', 'tskubeadm.cjs']) {
  test(`the one-file bundle dist/${file} runs on its own, copied away from the repository`, { skip }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsk-single-'));
    try {
      const copy = path.join(dir, file);
      copyFileSync(path.join(repo, 'dist', file), copy);
      const r = await tskubeadm(['config', 'print', 'init-defaults'], { script: copy, cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, readFileSync(path.join(repo, 'test/golden/config/init-defaults.yaml'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const openssl = spawnSync('openssl', ['version']).status === 0;

test('the single-file bundle, copied away, makes a real PKI and kubeconfigs that openssl verifies', { skip: skip || (openssl ? false : 'openssl is not installed') }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-single-'));
  const root = quickstartRoot();
  try {
    const copy = path.join(dir, 'tskubeadm.mjs');
    copyFileSync(path.join(repo, 'dist/tskubeadm-single.mjs'), copy);
    for (const phase of ['certs', 'kubeconfig']) {
      const r = await tskubeadm(['init', 'phase', phase, 'all', '--rootfs', root, '--config', '/kubeadm.yaml'], { script: copy, cwd: dir });
      assert.equal(r.code, 0, r.stderr);
    }
    const pki = path.join(root, 'etc/kubernetes/pki');
    const verify = spawnSync('openssl', ['verify', '-CAfile', path.join(pki, 'ca.crt'), path.join(pki, 'apiserver.crt')], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /apiserver\.crt: OK/);
    for (const f of initFiles.filter((x) => /^\/etc\/kubernetes\/(pki\/|[^/]+\.conf$)/.test(x.path))) assert.ok(existsSync(path.join(root, f.path)), f.path);
    assertWorkingPki(root);
    assert.deepEqual(readdirSync(dir), ['tskubeadm.mjs'], 'nothing written next to it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
});

test('every bundle reports the same build: version, commit, tree state and build date', { skip }, async () => {
  const reports = await Promise.all(['tskubeadm.mjs', 'tskubeadm-single.mjs', 'tskubeadm.cjs'].map(async (file) => {
    const r = await tskubeadm(['version', '-o', 'json'], { script: path.join(repo, 'dist', file) });
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { clientVersion: Record<string, string> };
  }));
  const [first] = reports;
  for (const other of reports.slice(1)) assert.deepEqual(other, first);
  const info = first?.clientVersion ?? {};
  assert.equal(info.gitVersion, `v${pkg.version}`);
  assert.match(info.buildDate ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  // Built in a git checkout (the suite's own): the commit it was built from, and whether the tree differed.
  if (existsSync(path.join(repo, '.git'))) {
    assert.match(info.gitCommit ?? '', /^[0-9a-f]{40}$/);
    assert.match(info.gitTreeState ?? '', /^(clean|dirty)$/);
  }
});

test('version -o json reports this package and the default Kubernetes version', { skip }, async () => {
  const r = await tskubeadm(['version', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout) as { clientVersion: { gitVersion: string; kubernetesVersion: string } };
  assert.equal(info.clientVersion.gitVersion, `v${pkg.version}`);
  assert.match(info.clientVersion.kubernetesVersion, /^v1\.\d+\.\d+$/);
});

/** The folders init makes under a root, relative: in the --dry-run folder (which has no /var/lib/etcd: the etcd
 *  phase only says it would make it), and on a real run of the offline phases (no kubelet-start). */
const dryRunDirs = ['etc/', 'etc/kubernetes/', 'etc/kubernetes/manifests/', 'etc/kubernetes/pki/', 'etc/kubernetes/pki/etcd/', 'var/', 'var/lib/', 'var/lib/kubelet/'];
const offlineDirs = ['etc/', 'etc/kubernetes/', 'etc/kubernetes/manifests/', 'etc/kubernetes/pki/', 'etc/kubernetes/pki/etcd/', 'var/', 'var/lib/', 'var/lib/etcd/'];
const offlineFiles = initFiles.filter((f) => !f.path.startsWith('/var/lib/kubelet/'));

/** The real /etc/kubernetes of the machine running the tests, to prove a run did not touch it. */
function realKubernetesDir(): string[] | 'absent' {
  return existsSync('/etc/kubernetes') ? tree('/etc/kubernetes') : 'absent';
}

function certificate(root: string, rel: string): X509Certificate {
  return new X509Certificate(readFileSync(path.join(root, 'etc/kubernetes/pki', rel)));
}

/** The PKI and kubeconfigs under `root` form a working cluster identity. */
function assertWorkingPki(root: string): void {
  // The bundled x509 code made a working chain: each leaf is signed by its CA.
  for (const [leaf, ca] of [['apiserver.crt', 'ca.crt'], ['front-proxy-client.crt', 'front-proxy-ca.crt'], ['etcd/server.crt', 'etcd/ca.crt']] as const) {
    const issuer = certificate(root, ca);
    assert.ok(certificate(root, leaf).verify(issuer.publicKey), `${leaf} is signed by ${ca}`);
  }
  // Every kubeconfig points at the same API server, on the default port.
  const servers = new Set(initFiles.filter((f) => f.path.endsWith('.conf')).map((f) =>
    /^ {4}server: (\S+)$/m.exec(readFileSync(path.join(root, f.path), 'utf8'))?.[1]));
  assert.equal(servers.size, 1, [...servers].join(' '));
  assert.match([...servers][0] ?? '', /^https:\/\/[\d.:[\]a-f]+:6443$/);
}

test('the README quick start: init --dry-run into a temporary root plans every file and folder, shows the manifests, and writes only into its dry-run folder', { skip }, async () => {
  const root = quickstartRoot();
  // The child's working and temporary directories, which must stay empty as well.
  const cwd = mkdtempSync(path.join(tmpdir(), 'tsk-e2e-cwd-'));
  const tmp = mkdtempSync(path.join(tmpdir(), 'tsk-e2e-tmp-'));
  const before = realKubernetesDir();
  try {
    const r = await tskubeadm(['init', '--rootfs', root, '--config', '/kubeadm.yaml', '--dry-run'], { cwd, env: { TMPDIR: tmp } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[init\] Using Kubernetes version: v1\.\d+\.\d+\n\[preflight\] Running pre-flight checks\n/);
    assert.match(r.stdout, /^\[certs\] Generating "ca" certificate and key$/m);
    assert.match(r.stdout, /^\[kubeconfig\] Writing "scheduler\.conf" kubeconfig file$/m);
    assert.match(r.stdout, /^\[control-plane\] Creating static Pod manifest for "kube-apiserver"$/m);
    assert.match(r.stdout, /^\[dryrun\] Would make sure the kubelet returns 'ok' at http:\/\/127\.0\.0\.1:10248\/healthz$/m);
    assert.doesNotMatch(r.stderr, /\[ERROR /);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(plannedChanges(lines), expectedPlan());
    // Starting the kubelet is planned through the machine's init system, never run.
    for (const l of lines.filter((x) => x.includes('Would run:'))) assert.match(l, /^\[dryrun\] Would run: (systemctl|rc-service) /);
    assert.match(r.stdout, /^\[dryrun\] Would write file "\/etc\/kubernetes\/manifests\/etcd\.yaml" with content:\napiVersion: v1\nkind: Pod\n/m);

    const dir = /^\[dryrun\] The files it would write are in (.+)$/.exec(lines.at(-1) ?? '')?.[1];
    assert.ok(dir, r.stdout);
    // The directory is named on the real machine: inside the root, under its /etc/kubernetes/tmp.
    const rel = path.relative(root, dir);
    assert.match(rel, /^etc\/kubernetes\/tmp\/tskubeadm-init-dryrun\d+$/);
    assert.match(r.stderr, new RegExp(`^Using dry-run directory /${rel}\\. `, 'm'));
    assert.deepEqual(tree(root).filter((p) => !p.startsWith(`${rel}/`) || p === `${rel}/`), ['etc/', 'etc/kubernetes/', 'etc/kubernetes/tmp/', `${rel}/`, 'kubeadm.yaml']);
    assert.deepEqual(tree(dir), [...dryRunDirs, ...initFiles.map((f) => f.path.slice(1))].sort());
    for (const c of initPlan) assert.equal(octalMode(statSync(path.join(dir, c.path)).mode), octalMode(c.mode), c.path);
    assertWorkingPki(dir);

    assert.deepEqual(tree(cwd), [], 'nothing in the working directory');
    assert.deepEqual(tree(tmp), [], 'nothing in TMPDIR');
    assert.deepEqual(realKubernetesDir(), before, 'the machine\'s own /etc/kubernetes is as it was');
  } finally {
    for (const d of [root, cwd, tmp]) rmSync(d, { recursive: true, force: true });
  }
});

test('init of the offline phases into a temporary root writes the PKI, kubeconfigs, manifests and etcd folder there with kubeadm\'s modes', { skip }, async () => {
  const root = quickstartRoot();
  try {
    // kubelet-start and wait-control-plane act on the running machine's kubelet, the phases after them on a
    // cluster's API: not here (test/e2e/init-cluster.test.ts runs those against the test API server).
    const r = await tskubeadm(['init', '--rootfs', root, '--config', '/kubeadm.yaml', '--skip-phases',
      'kubelet-start,wait-control-plane,upload-config,upload-certs,mark-control-plane,bootstrap-token,kubelet-finalize,addon,show-join-command']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\[preflight\] Not pulling images: nodeRegistration\.imagePullPolicy is Never/);
    assert.match(r.stdout, /^\[etcd\] Creating static Pod manifest for local etcd in "\/etc\/kubernetes\/manifests"$/m);
    // And the host journal reset will undo (docs/decisions/0010-host-journal.md) and the progress a re-run
    // resumes from, private to root.
    const journal = ['var/lib/tskubeadm/', 'var/lib/tskubeadm/journal.json', 'var/lib/tskubeadm/progress.json'];
    assert.deepEqual(tree(root), [...offlineDirs, ...journal, ...offlineFiles.map((f) => f.path.slice(1)), 'kubeadm.yaml'].sort());
    assert.equal(octalMode(statSync(path.join(root, 'var/lib/tskubeadm')).mode), octalMode(0o700));
    for (const f of ['journal.json', 'progress.json']) assert.equal(octalMode(statSync(path.join(root, 'var/lib/tskubeadm', f)).mode), octalMode(0o600), f);
    for (const f of offlineFiles) assert.equal(octalMode(statSync(path.join(root, f.path)).mode), octalMode(f.mode), f.path);
    for (const d of ['etc/kubernetes/manifests', 'var/lib/etcd']) assert.equal(octalMode(statSync(path.join(root, d)).mode), '0700', d);
    assertWorkingPki(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a failed preflight exits 2, lists the failed check, and leaves the root as it was', { skip }, async () => {
  // A port this test holds open is a real, deterministic preflight failure.
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const root = quickstartRoot((y) => y.replace('kind: InitConfiguration\n', `kind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: ${port}\n`));
  try {
    const r = await tskubeadm(['init', '--rootfs', root, '--config', '/kubeadm.yaml']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`\\t\\[ERROR Port-${port}\\]: Port ${port} is in use`));
    assert.match(r.stderr, /^error: error execution phase preflight: preflight checks failed$/m);
    assert.deepEqual(tree(root), ['kubeadm.yaml']);
  } finally {
    server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('an invalid config exits 3 with file:line:column, document and field, and writes nothing', { skip }, async () => {
  const root = quickstartRoot((y) => y.replace('  podSubnet: 10.244.0.0/16', '  podSubnet: 10.244.0.0/33'));
  try {
    const r = await tskubeadm(['init', '--rootfs', root, '--config', '/kubeadm.yaml']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: \/kubeadm\.yaml:\d+:\d+, document 2 \(ClusterConfiguration\), networking\.podSubnet: .*couldn't parse subnet/m);
    assert.equal(r.stdout, '');
    assert.deepEqual(tree(root), ['kubeadm.yaml']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('usage errors exit 64: an unknown flag, an unknown phase, a flag kubeadm forbids next to --config', { skip }, async () => {
  const unknownFlag = await tskubeadm(['init', '--no-such-flag']);
  assert.equal(unknownFlag.code, 64);
  assert.match(unknownFlag.stderr, /^error: unknown option '--no-such-flag'/);
  const unknownPhase = await tskubeadm(['init', '--skip-phases', 'bogus']);
  assert.equal(unknownPhase.code, 64);
  assert.match(unknownPhase.stderr, /^error: invalid phase name: "bogus"\n/);
  const root = quickstartRoot();
  try {
    const mixed = await tskubeadm(['init', '--rootfs', root, '--config', '/kubeadm.yaml', '--pod-network-cidr', '10.0.0.0/16']);
    assert.equal(mixed.code, 64);
    assert.match(mixed.stderr, /can not mix '--config' with arguments \[pod-network-cidr\]/);
    assert.deepEqual(tree(root), ['kubeadm.yaml']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('reset without a terminal and without --force refuses and changes nothing', { skip }, async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tsk-e2e-'));
  try {
    writeFileSync(path.join(root, 'sentinel'), 'keep me');
    const r = await tskubeadm(['reset', '--rootfs', root]);
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /--force/);
    assert.deepEqual(tree(root), ['sentinel']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('config print init-defaults is the golden file, byte for byte', { skip }, async () => {
  const r = await tskubeadm(['config', 'print', 'init-defaults']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(path.join(repo, 'test/golden/config/init-defaults.yaml'), 'utf8'));
});

test('config validate prints ok for the quick start config', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsk-e2e-'));
  try {
    copyFileSync(path.join(repo, 'examples/quickstart.yaml'), path.join(dir, 'kubeadm.yaml'));
    const r = await tskubeadm(['config', 'validate', '--config', path.join(dir, 'kubeadm.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
