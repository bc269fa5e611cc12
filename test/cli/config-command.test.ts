import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configCommand } from '../../src/cli/commands/config.js';
import { buildProgram } from '../../src/cli/program.js';
import type { CliDeps } from '../../src/cli/deps.js';
import type { Host } from '../../src/host/host.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { fakeHost, type FakeHost, type FakeHostSpec } from '../helpers/fake-host.js';
import { goldenRoot } from '../helpers/golden.js';
import { defaultClusterConfiguration } from '../../src/config/default-configs.js';
import { formatImages } from '../../src/config/encode-images.js';
import { controlPlaneImages } from '../../src/config/images.js';


interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly error: unknown;
  readonly host: FakeHost;
  readonly hostRequests: ReadonlyArray<{ readonly rootfs?: string }>;
}

/** The root program with only `config`, run in-process with captured output; errors are kept, not printed. */
async function run(args: readonly string[], spec: FakeHostSpec = {}, globals: readonly string[] = []): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const host = fakeHost({ hostname: 'vm', ...spec });
  const hostRequests: Array<{ readonly rootfs?: string }> = [];
  const deps: CliDeps = {
    argv: ['config', ...args],
    env: {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    makeHost: (o): Host => {
      hostRequests.push(o);
      return host;
    },
  };
  // The production root program over just this command: same globals, hidden copies and output wiring.
  const root = buildProgram(deps, [configCommand(deps)]);
  let error: unknown;
  try {
    await root.parseAsync([...globals, 'config', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { stdout, stderr, error, host, hostRequests };
}

const golden = (name: string) => readFileSync(path.join(goldenRoot, 'config', name), 'utf8');

test('config print init-defaults prints kubeadm\'s bytes', async () => {
  const r = await run(['print', 'init-defaults']);
  assert.equal(r.error, undefined);
  assert.equal(r.stdout, golden('init-defaults.yaml'));
  assert.equal(r.stderr, '');
});

test('config print init-defaults --component-configs adds the kubelet and kube-proxy documents', async () => {
  const r = await run(['print', 'init-defaults', '--component-configs', 'KubeletConfiguration,KubeProxyConfiguration']);
  assert.equal(r.error, undefined);
  assert.equal(r.stdout, golden('init-defaults-cc.yaml'));
});

test('--component-configs with an unknown kind is a usage error, and nothing is printed', async () => {
  const r = await run(['print', 'init-defaults', '--component-configs', 'KubeletConfiguration,Nope']);
  assert.ok(r.error instanceof UsageError);
  assert.match((r.error as Error).message, /--component-configs needs to contain some of/);
  assert.equal(r.stdout, '');
});

test('config print join-defaults takes the node name from the host, under --rootfs', async () => {
  const r = await run(['print', 'join-defaults'], { hostname: 'VM' }, ['--rootfs', '/mnt/host']);
  assert.equal(r.error, undefined);
  assert.equal(r.stdout, golden('join-defaults.yaml'));
  assert.deepEqual(r.hostRequests, [{ rootfs: '/mnt/host' }]);
});

test('config print reset-defaults and upgrade-defaults', async () => {
  assert.equal((await run(['print', 'reset-defaults'])).stdout, golden('reset-defaults.yaml'));
  assert.equal((await run(['print', 'upgrade-defaults'])).stdout, golden('upgrade-defaults.yaml'));
});

test('print subcommands take no arguments', async () => {
  const r = await run(['print', 'reset-defaults', 'extra']);
  assert.equal((r.error as { code?: string } | undefined)?.code, 'commander.excessArguments');
  assert.equal(r.stdout, '');
});

test('config validate and migrate need their file flag, with kubeadm\'s message', async () => {
  const v = await run(['validate']);
  assert.ok(v.error instanceof UsageError);
  assert.equal((v.error as Error).message, 'the --config flag is mandatory');
  const m = await run(['migrate']);
  assert.ok(m.error instanceof UsageError);
  assert.equal((m.error as Error).message, 'the --old-config flag is mandatory');
});

const v1beta4Init = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
imageRepository: mirror.example/k8s
`;

test('config validate prints ok for a good file', async () => {
  const r = await run(['validate', '--config', '/etc/kubeadm.yaml'], { files: { '/etc/kubeadm.yaml': v1beta4Init } });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.stdout, 'ok\n');
});

test('config validate fails with a ConfigError and prints nothing on stdout for a bad file', async () => {
  const r = await run(['validate', '--config', '/etc/kubeadm.yaml'], {
    files: { '/etc/kubeadm.yaml': 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: banana\n' },
  });
  assert.ok(r.error instanceof ConfigError, String(r.error));
  assert.equal(r.stdout, '');
});

test('config images list for v1.34.0 prints kubeadm\'s list', async () => {
  const r = await run(['images', 'list', '--kubernetes-version', 'v1.34.0'], { interfaces: [], defaultRoute: {} });
  assert.equal(r.error, undefined, String(r.error));
  // The list itself is pinned by test/config/images.test.ts (also against kubeadm's observed output).
  assert.equal(r.stdout, formatImages(controlPlaneImages({ ...defaultClusterConfiguration(), kubernetesVersion: 'v1.34.0' }), 'text'));
});

test('config images list reads the config file and prints json', async () => {
  const r = await run(['images', 'list', '--config', '/etc/kubeadm.yaml', '-o', 'json'], { files: { '/etc/kubeadm.yaml': v1beta4Init } });
  assert.equal(r.error, undefined, String(r.error));
  const obj = JSON.parse(r.stdout) as { kind: string; apiVersion: string; images: string[] };
  assert.equal(obj.kind, 'Images');
  assert.equal(obj.apiVersion, 'output.kubeadm.k8s.io/v1alpha3');
  assert.equal(obj.images[0], 'mirror.example/k8s/kube-apiserver:v1.34.0');
  assert.equal(obj.images[4], 'mirror.example/k8s/coredns:v1.12.3');
});

test('config images list -o wide is a usage error before any config is read', async () => {
  const r = await run(['images', 'list', '-o', 'wide']);
  assert.ok(r.error instanceof UsageError);
  assert.deepEqual(r.hostRequests, []);
});

test('config images pull pulls through crictl with the configured socket and policy', async () => {
  const cfg = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  criSocket: unix:///run/crio/crio.sock
  imagePullPolicy: Always
---
${v1beta4Init}`;
  const r = await run(['images', 'pull', '--config', '/etc/kubeadm.yaml'], { files: { '/etc/kubeadm.yaml': cfg }, commands: { crictl: {} } });
  assert.equal(r.error, undefined, String(r.error));
  const pulls = r.host.execCalls.filter((c) => c.argv[0] === 'crictl');
  assert.equal(pulls.length, 7);
  assert.deepEqual(pulls[0]?.argv, ['crictl', '--runtime-endpoint', 'unix:///run/crio/crio.sock', 'pull', 'mirror.example/k8s/kube-apiserver:v1.34.0']);
  assert.match(r.stdout, /^\[config\/images\] Pulled mirror\.example\/k8s\/kube-apiserver:v1\.34\.0$/m);
  assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('[config/images] Pulled')).length, 7);
});

const v1beta3File = `apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
bootstrapTokens:
- token: abcdef.0123456789abcdef
localAPIEndpoint:
  advertiseAddress: 192.168.10.5
nodeRegistration:
  name: cp-1
  criSocket: unix:///var/run/containerd/containerd.sock
  kubeletExtraArgs:
    node-ip: 192.168.10.5
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.34.1
apiServer:
  timeoutForControlPlane: 10m0s
  extraArgs:
    audit-log-maxage: "30"
    anonymous-auth: "false"
networking:
  podSubnet: 10.244.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
maxPods: 150
`;

test('config migrate writes v1beta4 to stdout, keeping the kubelet document', async () => {
  const r = await run(['migrate', '--old-config', '/old.yaml'], { files: { '/old.yaml': v1beta3File } });
  assert.equal(r.error, undefined, String(r.error));
  const out = r.stdout;
  assert.doesNotMatch(out, /v1beta3/);
  assert.match(out, /^apiVersion: kubeadm\.k8s\.io\/v1beta4\n/);
  assert.match(out, /^ {2}controlPlaneComponentHealthCheck: 10m0s$/m);
  assert.match(out, /^ {2}extraArgs:\n {2}- name: anonymous-auth\n {4}value: "false"\n {2}- name: audit-log-maxage\n {4}value: "30"$/m);
  assert.match(out, /^ {2}kubeletExtraArgs:\n {2}- name: node-ip\n {4}value: 192\.168\.10\.5$/m);
  assert.match(out, /^kind: KubeletConfiguration\nmaxPods: 150\n$/m);
  assert.deepEqual(r.host.mutations, []);
});

test('config migrate --new-config writes the file atomically with mode 0600', async () => {
  const r = await run(['migrate', '--old-config', '/old.yaml', '--new-config', '/new.yaml'], { files: { '/old.yaml': v1beta3File } });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.stdout, '');
  const written = r.host.mutations.find((m) => m.action === 'write');
  assert.equal(written?.action === 'write' ? written.mode : undefined, 0o600);
  assert.match(r.host.files()['/new.yaml'] ?? '', /kind: ClusterConfiguration/);
});

test('config migrate of a missing or broken file writes nothing', async () => {
  const missing = await run(['migrate', '--old-config', '/nope.yaml', '--new-config', '/new.yaml']);
  assert.ok(missing.error instanceof ConfigError);
  const broken = await run(['migrate', '--old-config', '/old.yaml', '--new-config', '/new.yaml'], {
    files: { '/old.yaml': 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nbogus: 1\n' },
  });
  assert.ok(broken.error instanceof ConfigError);
  assert.deepEqual(broken.host.mutations, []);
});
