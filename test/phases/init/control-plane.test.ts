// init's control-plane phase on a temp root: the three manifests (0600 in a 0700 folder) equal to the
// golden files, the host facts it looks up (CA folders, an external CA), patches, output, --dry-run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { initFlags } from '../../../src/config/flags.js';
import type { InitConfig } from '../../../src/config/types.js';
import { dryRunHost, dryRunPath } from '../../../src/host/index.js';
import { captureOutput } from '../../../src/output/output.js';
import type { PatchSet } from '../../../src/patches/patch-set.js';
import { controlPlane } from '../../../src/phases/init/control-plane.js';
import { goldenRoot } from '../../helpers/golden.js';
import { initContext } from '../../helpers/init-context.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';
import { loadConfig, observedConfig } from '../../manifests/control-plane-fixture.js';

const components = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const manifest = (root: string, c: string) => path.join(root, 'etc/kubernetes/manifests', `${c}.yaml`);
const golden = (config: string, c: string) => readFile(path.join(goldenRoot, 'manifests', config, `${c}.yaml`), 'utf8');

/** A Debian host's CA folders, one of them reached through a symlink, and a dangling link that must not count. */
async function debianHost(root: string): Promise<void> {
  for (const d of ['etc/ssl/certs', 'etc/ca-certificates', 'usr/share/ca-certificates', 'opt/local-cas']) {
    await mkdir(path.join(root, d), { recursive: true });
  }
  await mkdir(path.join(root, 'usr/local/share'), { recursive: true });
  await symlink('../../../opt/local-cas', path.join(root, 'usr/local/share/ca-certificates'));
  await mkdir(path.join(root, 'etc/pki'), { recursive: true });
  await symlink('/nowhere', path.join(root, 'etc/pki/ca-trust'));
}

async function run(root: string, o: { cfg?: InitConfig; only?: string; patches?: PatchSet } = {}) {
  const cfg = o.cfg ?? await loadConfig(observedConfig);
  const host = tempRootHost(root, { env: {} });
  if (o.patches === undefined) return runInitPhases([controlPlane], cfg, host, { only: o.only ?? 'control-plane' });
  const out = captureOutput();
  const ctx = initContext(cfg, host, out, { patches: o.patches });
  await controlPlane.run!(ctx);
  for (const p of controlPlane.phases!.filter((p) => p.run !== undefined)) await p.run!(ctx);
  return { ctx, out };
}

describe('init phase control-plane', () => {
  test('the tree: all, apiserver, controller-manager, scheduler, with kubeadm\'s flags that tskubeadm has', () => {
    assert.equal(controlPlane.name, 'control-plane');
    const [all, ...subs] = controlPlane.phases!;
    assert.deepEqual(controlPlane.phases!.map((p) => p.name), ['all', 'apiserver', 'controller-manager', 'scheduler']);
    assert.equal(all!.selectsParent, true);
    const common = ['config', 'cert-dir', 'kubernetes-version', 'image-repository', 'patches', 'dry-run'];
    assert.deepEqual(subs.map((p) => p.flags), [
      [...common, 'apiserver-advertise-address', 'control-plane-endpoint', 'apiserver-bind-port', 'feature-gates', 'service-cidr'],
      [...common, 'pod-network-cidr'],
      common,
    ]);
    assert.deepEqual(new Set(all!.flags), new Set(subs.flatMap((p) => p.flags ?? [])));
    const known = new Set(initFlags.map((f) => f.name));
    for (const p of controlPlane.phases!) for (const f of p.flags ?? []) assert.ok(known.has(f), `${p.name} lists unknown flag ${f}`);
  });

  test('writes the three manifests, 0600 in a 0700 folder, equal to the golden files', () => withTempRoot(async (root) => {
    await debianHost(root);
    const { out } = await run(root);
    assert.equal(await modeOf(path.join(root, 'etc/kubernetes/manifests')), 0o700);
    for (const c of components) {
      assert.equal(await modeOf(manifest(root, c)), 0o600, c);
      assert.equal(await readFile(manifest(root, c), 'utf8'), await golden('observed', c), c);
    }
    assert.equal(out.stdout(), '[control-plane] Using manifest folder "/etc/kubernetes/manifests"\n' +
      components.map((c) => `[control-plane] Creating static Pod manifest for "${c}"\n`).join(''));
    assert.equal(out.stderr(), '');
  }));

  test('mounts only the CA folders this host has', () => withTempRoot(async (root) => {
    await mkdir(path.join(root, 'etc/pki/tls/certs'), { recursive: true });
    await run(root);
    const text = await readFile(manifest(root, 'kube-controller-manager'), 'utf8');
    assert.match(text, /name: etc-pki-tls-certs/);
    for (const absent of ['etc-pki-ca-trust', 'etc-ca-certificates', 'usr-share-ca-certificates', 'usr-local-share-ca-certificates']) {
      assert.doesNotMatch(text, new RegExp(`name: ${absent}\\n`), absent);
    }
  }));

  test('an external CA (ca.crt without ca.key) leaves the controller manager without a signing key', () => withTempRoot(async (root) => {
    await mkdir(path.join(root, 'etc/kubernetes/pki'), { recursive: true });
    await writeFile(path.join(root, 'etc/kubernetes/pki/ca.crt'), 'a certificate');
    await run(root, { only: 'control-plane/controller-manager' });
    const external = await readFile(manifest(root, 'kube-controller-manager'), 'utf8');
    assert.match(external, /- --cluster-signing-cert-file=\n {4}- --cluster-signing-key-file=\n/);
    await writeFile(path.join(root, 'etc/kubernetes/pki/ca.key'), 'a key');
    await run(root, { only: 'control-plane/controller-manager' });
    assert.match(await readFile(manifest(root, 'kube-controller-manager'), 'utf8'), /- --cluster-signing-key-file=\/etc\/kubernetes\/pki\/ca.key\n/);
  }));

  test('one sub-phase writes its own manifest only', () => withTempRoot(async (root) => {
    const { out } = await run(root, { only: 'control-plane/scheduler' });
    assert.equal(out.stdout(), '[control-plane] Creating static Pod manifest for "kube-scheduler"\n');
    await stat(manifest(root, 'kube-scheduler'));
    await assert.rejects(stat(manifest(root, 'kube-apiserver')), { code: 'ENOENT' });
  }));

  test('the configuration\'s warnings go to stderr; an existing manifest is replaced', () => withTempRoot(async (root) => {
    await mkdir(path.join(root, 'etc/kubernetes/manifests'), { recursive: true });
    await writeFile(manifest(root, 'kube-apiserver'), 'old');
    const yaml = `${observedConfig}apiServer:\n  extraArgs:\n  - {name: authorization-mode, value: "Node,Magic,RBAC"}\n` +
      'featureGates:\n  RootlessControlPlane: true\n';
    const { out } = await run(root, { cfg: await loadConfig(yaml) });
    assert.equal(out.stderr(),
      '[control-plane] WARNING: the RootlessControlPlane feature gate is not implemented by tskubeadm: the control-plane components run as root\n' +
      '[control-plane] WARNING: ignoring unknown kube-apiserver authorization-mode "Magic"\n');
    assert.match(await readFile(manifest(root, 'kube-apiserver'), 'utf8'), /- --authorization-mode=Node,RBAC\n/);
  }));

  test('the patches for each target are applied before writing', () => withTempRoot(async (root) => {
    const targets: string[] = [];
    const patches: PatchSet = {
      apply: (target, doc) => {
        targets.push(target);
        const copy = structuredClone(doc) as Record<string, any>;
        copy['metadata'].labels.patched = target;
        return copy;
      },
    };
    await run(root, { patches });
    assert.deepEqual(targets, [...components]);
    for (const c of components) assert.match(await readFile(manifest(root, c), 'utf8'), new RegExp(`\\n {4}patched: ${c}\\n`));
  }));

  test('--dry-run writes nothing under the real path: the manifests go to the dry-run folder', () => withTempRoot(async (root) => {
    const dir = '/etc/kubernetes/tmp/tskubeadm-init-dryrun1';
    const host = dryRunHost(tempRootHost(root, { env: {} }), dir, { cwd: '/' });
    const out = captureOutput();
    const ctx = { ...initContext(await loadConfig(observedConfig), host, out, { dryRun: true }), writtenTo: (p: string) => dryRunPath(dir, p) };
    await controlPlane.run!(ctx);
    for (const p of controlPlane.phases!) await p.run?.(ctx);
    assert.match(out.stdout(), new RegExp(`^\\[control-plane\\] Using manifest folder "${dir}/etc/kubernetes/manifests"\n`));
    await assert.rejects(stat(path.join(root, 'etc/kubernetes/manifests')), { code: 'ENOENT' });
    for (const c of components) assert.match(await readFile(path.join(root, dir, 'etc/kubernetes/manifests', `${c}.yaml`), 'utf8'), /^apiVersion: v1\nkind: Pod\n/);
    assert.deepEqual(host.mutations.filter((m) => m.action === 'write').map((m) => m.path),
      components.map((c) => `/etc/kubernetes/manifests/${c}.yaml`));
  }));
});
