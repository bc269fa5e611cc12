// init's kubelet-start phase: on the fake host (exact output and the order of writes and service commands,
// with systemd present, absent and failing), on a real temp root (files and modes), and under --dry-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { InitConfig } from '../../../src/config/types.js';
import { dryRunHost, dryRunPath } from '../../../src/host/index.js';
import type { Host } from '../../../src/host/host.js';
import { applyInstanceConfig } from '../../../src/kubelet/instance-config.js';
import { captureOutput, type CapturedOutput } from '../../../src/output/output.js';
import type { InitContext } from '../../../src/phases/init/context.js';
import { kubeletStart } from '../../../src/phases/init/kubelet-start.js';
import type { PatchSet } from '../../../src/patches/patch-set.js';
import { fakeHost, type FakeCommand, type FakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { tempRootHost, withTempRoot } from '../../helpers/temp-root.js';
import { observedConfig, observedHostname, observedLines, skipReference } from '../../kubelet/reference.js';
import { initConfig } from '../../preflight/healthy-host.js';

const socket = 'unix:///var/run/containerd/containerd.sock';
const systemctl = (extra: Record<string, FakeCommand> = {}): Record<string, FakeCommand> => ({
  systemctl: {},
  'systemctl status kubelet': { exitCode: 3, stdout: '  Loaded: loaded (/lib/systemd/system/kubelet.service; enabled)' },
  'systemctl is-active systemd-resolved': { exitCode: 3, stdout: 'inactive\n' },
  ...extra,
});
const withSystemd = (extra: Record<string, FakeCommand> = {}): FakeHost =>
  fakeHost({ hostname: 'node-1', path: ['systemctl'], commands: systemctl(extra) });

async function run(cfg: InitConfig, host: Host, o: { dryRun?: boolean; patches?: PatchSet; writtenTo?: (p: string) => string } = {}): Promise<CapturedOutput> {
  const out = captureOutput();
  const ctx: InitContext = {
    ...initContext(cfg, host, out, { dryRun: o.dryRun ?? false, ...(o.patches ? { patches: o.patches } : {}) }),
    ...(o.writtenTo ? { writtenTo: o.writtenTo } : {}),
  };
  await kubeletStart.run!(ctx);
  return out;
}

const startLines = [
  '[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"',
  '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/instance-config.yaml"',
  '[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kubeletconfiguration"',
  '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"',
  '[kubelet-start] Starting the kubelet',
  '',
].join('\n');

/** The mutations as short strings, in order. */
const plan = (h: Host) => h.mutations.map((m) =>
  m.action === 'exec' ? `exec ${m.argv.join(' ')}` : m.action === 'remove' ? `remove ${m.path}` : `${m.action} ${m.path} ${m.mode.toString(8)}`);

test('systemd: kubelet stopped, three files written, then reloaded and restarted, with kubeadm lines', async () => {
  const h = withSystemd();
  const out = await run(initConfig(), h);
  assert.equal(out.stdout(), startLines);
  assert.equal(out.stderr(), '');
  assert.deepEqual(plan(h), [
    'exec systemctl stop kubelet',
    'mkdir /var/lib/kubelet 700',
    'write /var/lib/kubelet/kubeadm-flags.env 644',
    'write /var/lib/kubelet/instance-config.yaml 644',
    'write /var/lib/kubelet/config.yaml 644',
    'exec systemctl daemon-reload',
    'exec systemctl restart kubelet',
  ]);
  const files = h.files();
  assert.equal(files['/var/lib/kubelet/kubeadm-flags.env'], 'KUBELET_KUBEADM_ARGS=""\n');
  assert.equal(files['/var/lib/kubelet/instance-config.yaml'], `containerRuntimeEndpoint: "${socket}"\n`);
  assert.match(files['/var/lib/kubelet/config.yaml'] ?? '', new RegExp(`^containerRuntimeEndpoint: ${socket}$`, 'm'));
  assert.doesNotMatch(files['/var/lib/kubelet/config.yaml'] ?? '', /resolvConf/);
});

test('no init system: the files are written, kubeadm warns twice and carries on', async () => {
  const h = fakeHost({ hostname: 'node-1' });
  const out = await run(initConfig(), h);
  assert.equal(out.stdout(), startLines);
  assert.equal(out.stderr(), [
    "[kubelet-start] No supported init system detected, won't make sure the kubelet not running for a short period of time while setting up configuration for it.",
    "[kubelet-start] No supported init system detected, won't make sure the kubelet is running properly.",
    '',
  ].join('\n'));
  assert.deepEqual(h.execCalls, []);
  assert.deepEqual(Object.keys(h.files()), ['/var/lib/kubelet/config.yaml', '/var/lib/kubelet/instance-config.yaml', '/var/lib/kubelet/kubeadm-flags.env']);
});

test('a failing restart is a warning with the command and the way to find out why; the phase succeeds', async () => {
  const h = withSystemd({ 'systemctl restart kubelet': { exitCode: 1, stderr: 'Job for kubelet.service failed because the control process exited with error code.' } });
  const out = await run(initConfig(), h);
  assert.equal(out.stdout(), `${startLines}[kubelet-start] Please ensure kubelet is reloaded and running manually.\n`);
  assert.equal(out.stderr(), [
    '[kubelet-start] WARNING: unable to start the kubelet service: ["systemctl restart kubelet" exited with status 1: ' +
      'Job for kubelet.service failed because the control process exited with error code.]',
    "[kubelet-start] To see why it did not start: 'systemctl status kubelet' and 'journalctl -xeu kubelet'",
    '',
  ].join('\n'));
});

test('NodeLocalCRISocket off: no instance config, the endpoint is a flag, config.yaml keeps it empty', async () => {
  const h = withSystemd();
  const cfg = initConfig((c) => ({ ...c, cluster: { ...c.cluster, featureGates: { NodeLocalCRISocket: false } } }));
  const out = await run(cfg, h);
  assert.doesNotMatch(out.stdout(), /instance-config|\[patches\]/);
  const files = h.files();
  assert.equal(files['/var/lib/kubelet/instance-config.yaml'], undefined);
  assert.equal(files['/var/lib/kubelet/kubeadm-flags.env'], `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=${socket}"\n`);
  assert.match(files['/var/lib/kubelet/config.yaml'] ?? '', /^containerRuntimeEndpoint: ""$/m);
});

test("systemd-resolved active sets resolvConf; the user's patches and document warnings show up", async () => {
  const h = withSystemd({ 'systemctl is-active systemd-resolved': { stdout: 'active\n' } });
  const printed: string[] = [];
  const patches: PatchSet = {
    apply(target, doc) {
      printed.push(`[patches] Applied patch of type "application/strategic-merge-patch+json" to target "${target}"`);
      return applyInstanceConfig(doc, { maxPods: 42 });
    },
  };
  const cfg = initConfig((c) => ({ ...c, kubelet: { readOnlyPort: 10255 } }));
  const out = await run(cfg, h, { patches });
  assert.deepEqual(printed, ['[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kubeletconfiguration"']);
  const config = h.files()['/var/lib/kubelet/config.yaml'] ?? '';
  assert.match(config, /^resolvConf: \/run\/systemd\/resolve\/resolv.conf$/m);
  assert.match(config, /^maxPods: 42$/m);
  assert.equal(out.stderr(), '[kubelet-start] WARNING: The recommended value for "readOnlyPort" in "KubeletConfiguration" is: 0; the provided value is: 10255\n');
});

test('the lines kubeadm printed for init-dry-run.config.yaml, paths in its dry-run folder', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const dir = '/etc/kubernetes/tmp/kubeadm-init-dryrun2777250489';
  const h = fakeHost({ hostname: observedHostname });
  const out = await run(cfg, h, { dryRun: true, writtenTo: (p) => `${dir}/${path.posix.basename(p)}` });
  const expected = observedLines('[kubelet-start]').concat(observedLines('[patches]'));
  const got = out.stdout().trimEnd().split('\n');
  assert.deepEqual([...got].sort(), [...expected].sort());
  assert.deepEqual(got.map((l) => l.split(' ')[0]), ['[kubelet-start]', '[kubelet-start]', '[patches]', '[kubelet-start]']);
});

test('on a real root: the folder is 0700, the files 0644, and a rerun replaces them', () =>
  withTempRoot(async (root) => {
    const host = tempRootHost(root, { hostname: 'node-1', path: [], commands: {} });
    await run(initConfig(), host);
    await run(initConfig((c) => ({ ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, name: 'renamed' } } })), host);
    const dir = path.join(root, 'var/lib/kubelet');
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    for (const f of ['kubeadm-flags.env', 'instance-config.yaml', 'config.yaml']) {
      assert.equal((await stat(path.join(dir, f))).mode & 0o777, 0o644, f);
    }
    assert.equal(await readFile(path.join(dir, 'kubeadm-flags.env'), 'utf8'), 'KUBELET_KUBEADM_ARGS="--hostname-override=renamed"\n');
  }));

test('--dry-run: nothing under the real /var/lib/kubelet, the service commands are recorded, no start line', () =>
  withTempRoot(async (root) => {
    const dir = '/etc/kubernetes/tmp/tskubeadm-init-dryrun1';
    const base = tempRootHost(root, { hostname: 'node-1', path: ['systemctl'], commands: systemctl() });
    const host = dryRunHost(base, dir);
    const out = await run(initConfig(), host, { dryRun: true, writtenTo: (p) => dryRunPath(dir, p) });
    await assert.rejects(stat(path.join(root, 'var/lib/kubelet')), { code: 'ENOENT' });
    const written = path.join(root, dir, 'var/lib/kubelet/config.yaml');
    assert.match(await readFile(written, 'utf8'), /^kind: KubeletConfiguration$/m);
    assert.equal(out.stdout(), [
      `[kubelet-start] Writing kubelet environment file with flags to file "${dir}/var/lib/kubelet/kubeadm-flags.env"`,
      `[kubelet-start] Writing kubelet configuration to file "${dir}/var/lib/kubelet/instance-config.yaml"`,
      '[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kubeletconfiguration"',
      `[kubelet-start] Writing kubelet configuration to file "${dir}/var/lib/kubelet/config.yaml"`,
      '',
    ].join('\n'));
    assert.equal(out.stderr(), '');
    assert.deepEqual(host.mutations.filter((m) => m.action === 'exec').map((m) => m.action === 'exec' && m.argv.join(' ')), [
      'systemctl stop kubelet', 'systemctl daemon-reload', 'systemctl restart kubelet',
    ]);
  }));

test('a multi-interface host whose kubelet would report the NAT address gets --node-ip = the advertise address, said on its own line', async () => {
  const interfaces = [
    { name: 'eth0', address: '10.0.2.15', family: 4 as const, internal: false, prefix: 24 },
    { name: 'eth1', address: '192.0.2.10', family: 4 as const, internal: false, prefix: 24 },
  ];
  const h = fakeHost({ hostname: 'node-1', interfaces, defaultRoute: { 4: 'eth0' } });
  const out = await run(initConfig(), h);
  assert.match(await h.fs.readText('/var/lib/kubelet/kubeadm-flags.env') ?? '', /^KUBELET_KUBEADM_ARGS=".*--node-ip=192\.0\.2\.10.*"$/m);
  assert.match(out.stdout(), /^\[kubelet-start\] Passing --node-ip=192\.0\.2\.10: on its own the kubelet would report 10\.0\.2\.15 as this node's address/m);

  // The user's own node-ip wins, and nothing is said.
  const own = fakeHost({ hostname: 'node-1', interfaces, defaultRoute: { 4: 'eth0' } });
  const ownOut = await run(initConfig((c) => ({
    ...c, init: { ...c.init, nodeRegistration: { ...c.init.nodeRegistration, kubeletExtraArgs: [{ name: 'node-ip', value: '10.0.2.15' }] } },
  })), own);
  assert.match(await own.fs.readText('/var/lib/kubelet/kubeadm-flags.env') ?? '', /--node-ip=10\.0\.2\.15"/);
  assert.doesNotMatch(ownOut.stdout(), /Passing --node-ip/);

  // With the advertise address on the default-route interface, the file is kubeadm's: no flag.
  const single = fakeHost({ hostname: 'node-1', interfaces: [interfaces[1]!], defaultRoute: { 4: 'eth1' } });
  await run(initConfig(), single);
  assert.doesNotMatch(await single.fs.readText('/var/lib/kubelet/kubeadm-flags.env') ?? '', /node-ip/);
});
