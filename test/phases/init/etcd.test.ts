// init's etcd phase on a temp root: the data directory (0700, an existing one left as it is), the
// manifest (0600 in a 0700 folder, patches applied), external etcd skipped, and --dry-run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InitConfig } from '../../../src/config/types.js';
import { TskubeadmError } from '../../../src/errors.js';
import { dryRunHost, dryRunPath } from '../../../src/host/index.js';
import { etcdPod } from '../../../src/manifests/etcd.js';
import { encodeManifest } from '../../../src/manifests/static-pod.js';
import { captureOutput } from '../../../src/output/output.js';
import type { PatchSet } from '../../../src/patches/patch-set.js';
import { etcd } from '../../../src/phases/init/etcd.js';
import { initContext } from '../../helpers/init-context.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';
import { initConfig } from '../../preflight/healthy-host.js';

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const local = etcd.phases![0]!;

/** `init phase etcd local` on a temp root. */
async function runLocal(root: string, o: { cfg?: InitConfig; patches?: PatchSet; env?: Record<string, string> } = {}) {
  const cfg = o.cfg ?? initConfig();
  const host = tempRootHost(root, { env: o.env ?? {} });
  const out = captureOutput();
  await local.run!(initContext(cfg, host, out, { selected: ['etcd', 'etcd/local'], ...(o.patches ? { patches: o.patches } : {}) }));
  return { cfg, out };
}

const externalEtcd = (): InitConfig => initConfig((c) => ({
  ...c,
  cluster: { ...c.cluster, etcd: { external: { endpoints: ['https://10.0.0.21:2379'], caFile: '/etc/etcd/ca.crt', certFile: '', keyFile: '' } } },
}));

describe('init phase etcd local', () => {
  test('the tree: etcd with one child, local, taking the flags of kubeadm\'s phase', () => {
    assert.equal(etcd.name, 'etcd');
    assert.deepEqual(etcd.phases!.map((p) => p.name), ['local']);
    assert.deepEqual(local.flags, ['cert-dir', 'config', 'image-repository', 'patches', 'dry-run']);
  });

  test('writes /var/lib/etcd 0700 and etcd.yaml 0600 in a 0700 folder, the Pod etcdPod builds', () => withTempRoot(async (root) => {
    const { cfg, out } = await runLocal(root, { env: { https_proxy: 'http://proxy.test:3128' } });
    assert.equal(await modeOf(path.join(root, 'var/lib/etcd')), 0o700);
    const file = path.join(root, 'etc/kubernetes/manifests/etcd.yaml');
    assert.equal(await modeOf(file), 0o600);
    assert.equal(await modeOf(path.dirname(file)), 0o700);
    const expected = etcdPod({
      cluster: cfg.cluster, endpoint: cfg.init.localAPIEndpoint, nodeName: 'node-1', hostEnv: { https_proxy: 'http://proxy.test:3128' },
      controlPlaneComponentHealthCheckMs: cfg.init.timeouts.controlPlaneComponentHealthCheckMs,
    });
    assert.equal(await readFile(file, 'utf8'), encodeManifest(expected));
    assert.match(await readFile(file, 'utf8'), /- name: https_proxy\n {6}value: http:\/\/proxy.test:3128\n/);
    assert.equal(out.stdout(), '[etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests"\n');
    assert.equal(out.stderr(), '');
  }));

  test('runs again over its own files without complaint, rewriting the manifest', () => withTempRoot(async (root) => {
    await runLocal(root);
    const file = path.join(root, 'etc/kubernetes/manifests/etcd.yaml');
    await writeFile(file, 'stale');
    const { out } = await runLocal(root);
    assert.match(await readFile(file, 'utf8'), /^apiVersion: v1\nkind: Pod\n/);
    assert.equal(out.stderr(), '');
  }));

  test('an existing data directory keeps its mode, as with kubeadm; a mode open to others is warned about', () => withTempRoot(async (root) => {
    const dataDir = path.join(root, 'var/lib/etcd');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'member'), 'data');
    await chmod(dataDir, 0o755);
    const { out } = await runLocal(root);
    assert.equal(await modeOf(dataDir), 0o755);
    assert.equal(await readFile(path.join(dataDir, 'member'), 'utf8'), 'data');
    assert.equal(out.stderr(), '[etcd] WARNING: the etcd data directory "/var/lib/etcd" has mode 0755, open to users other than its owner, and it holds every Secret of the cluster. Run "chmod 700 /var/lib/etcd"\n');

    await chmod(dataDir, 0o700);
    assert.equal((await runLocal(root)).out.stderr(), '');
  }));

  test('a file where the data directory should be stops the phase before any manifest is written', () => withTempRoot(async (root) => {
    await mkdir(path.join(root, 'var/lib'), { recursive: true });
    await writeFile(path.join(root, 'var/lib/etcd'), 'not a directory');
    await assert.rejects(runLocal(root), (err: unknown) => {
      assert.ok(err instanceof TskubeadmError);
      assert.match(err.message, /^failed to create the etcd data directory "\/var\/lib\/etcd": /);
      assert.match(err.fix ?? '', /etcd\.local\.dataDir/);
      return true;
    });
    await assert.rejects(stat(path.join(root, 'etc/kubernetes/manifests/etcd.yaml')), { code: 'ENOENT' });
  }));

  test('the patches for "etcd" are applied before writing', () => withTempRoot(async (root) => {
    const patches: PatchSet = {
      apply: (target, doc) => {
        const copy = structuredClone(doc) as Record<string, unknown>;
        if (target === 'etcd') (copy['metadata'] as Record<string, unknown>)['labels'] = { component: 'etcd', patched: 'yes' };
        return copy;
      },
    };
    await runLocal(root, { patches });
    assert.match(await readFile(path.join(root, 'etc/kubernetes/manifests/etcd.yaml'), 'utf8'), /labels:\n {4}component: etcd\n {4}patched: "yes"\n/);
  }));

  test('external etcd: says so and writes nothing', () => withTempRoot(async (root) => {
    const { out } = await runLocal(root, { cfg: externalEtcd() });
    assert.equal(out.stdout(), '[etcd] External etcd mode: Skipping etcd static pod generation\n');
    await assert.rejects(stat(path.join(root, 'var/lib/etcd')), { code: 'ENOENT' });
    await assert.rejects(stat(path.join(root, 'etc/kubernetes/manifests')), { code: 'ENOENT' });
  }));

  test('--dry-run: the data directory is only announced; the manifest goes to the dry-run folder', () => withTempRoot(async (root) => {
    const dir = '/etc/kubernetes/tmp/tskubeadm-init-dryrun1';
    const base = tempRootHost(root, { env: {} });
    const host = dryRunHost(base, dir, { cwd: '/' });
    const out = captureOutput();
    const ctx = { ...initContext(initConfig(), host, out, { dryRun: true }), writtenTo: (p: string) => dryRunPath(dir, p) };
    await local.run!(ctx);
    assert.equal(out.stdout(),
      '[etcd] Would ensure that "/var/lib/etcd" directory is present\n' +
      `[etcd] Creating static Pod manifest for local etcd in "${dir}/etc/kubernetes/manifests"\n`);
    await assert.rejects(stat(path.join(root, 'var/lib/etcd')), { code: 'ENOENT' });
    await assert.rejects(stat(path.join(root, 'etc/kubernetes/manifests')), { code: 'ENOENT' });
    const written = path.join(root, dir, 'etc/kubernetes/manifests/etcd.yaml');
    assert.match(await readFile(written, 'utf8'), /^apiVersion: v1\nkind: Pod\n/);
    assert.deepEqual(host.mutations.filter((m) => m.action === 'write').map((m) => m.path), ['/etc/kubernetes/manifests/etcd.yaml']);
  }));
});
