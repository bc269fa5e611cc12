// The local etcd static Pod: goldens per config (the `observed` one must equal what a real kubeadm
// printed), the flags per etcd tag, IPv6, extraArgs and the probe they move, a joining member.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { Arg, InitConfig } from '../../src/config/types.js';
import { InternalError } from '../../src/errors.js';
import { isIPv6Address } from '../../src/config/ip.js';
import { etcdCommand, etcdPod, etcdProbeEndpoint, etcdTagAtLeast36, type EtcdPodInput } from '../../src/manifests/etcd.js';
import { encodeManifest } from '../../src/manifests/static-pod.js';
import { assertGolden, goldenRoot } from '../helpers/golden.js';
import { kubectlMissing } from '../helpers/kubectl.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';
import { goldenConfigs, loadConfig, observedConfig } from './control-plane-fixture.js';

// Deep reads of the Pod object; its shape is checked by the assertions themselves.
type Json = Record<string, any>;

/** etcd.local settings the control-plane configs leave out, added to the `extra` golden config: they change
 *  only etcd.yaml (no advertise-client-urls, which would move the API server's etcd-servers). */
const etcdExtras = `etcd:
  local:
    imageTag: 3.5.21-0
    dataDir: /data/etcd
    extraArgs:
    - {name: snapshot-count, value: "5000"}
    - {name: listen-metrics-urls, value: "https://0.0.0.0:12381,http://127.0.0.1:2381"}
    - {name: cipher-suites, value: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}
    - {name: cipher-suites, value: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}
    extraEnvs:
    - {name: ETCD_QUOTA_BACKEND_BYTES, value: "8589934592"}
    - {name: no_proxy, value: "localhost,127.0.0.1"}
`;

/** The configs of test/golden/manifests/<name>/, shared with the control-plane goldens so that each folder
 *  holds the manifests of one configuration. External etcd has no etcd manifest. */
const etcdGoldenConfigs = goldenConfigs.filter((g) => g.name !== 'external-etcd').map((g) => {
  if (g.name !== 'extra') return g;
  assert.ok(!/^etcd:/m.test(g.yaml), 'the shared extra config sets no etcd section of its own');
  // The ClusterConfiguration is the last document, so a top-level key appended at the end lands in it.
  return { ...g, yaml: `${g.yaml.replace(/\n*$/, '\n')}${etcdExtras}` };
});

/** A config of its own for the path and env tests: certificatesDir, dataDir, registry with a port, timeout. */
const pathsConfig = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
nodeRegistration:
  name: node-1
timeouts:
  controlPlaneComponentHealthCheck: 2m30s
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
certificatesDir: /srv/pki
imageRepository: registry.example.test:5000/k8s
${etcdExtras}`;
const pathsEnv = { HTTPS_PROXY: 'http://proxy.example.test:3128', no_proxy: 'localhost,10.0.0.0/8', HOME: '/root' };

function inputOf(cfg: InitConfig, env: Readonly<Record<string, string>> = {}): EtcdPodInput {
  return {
    cluster: cfg.cluster,
    endpoint: cfg.init.localAPIEndpoint,
    nodeName: cfg.init.nodeRegistration.name,
    hostEnv: env,
    controlPlaneComponentHealthCheckMs: cfg.init.timeouts.controlPlaneComponentHealthCheckMs,
  };
}

/** The observed config with etcd.local changed. */
async function withLocal(local: { imageTag?: string; extraArgs?: Arg[]; advertiseAddress?: string }): Promise<EtcdPodInput> {
  const cfg = await loadConfig(observedConfig);
  const etcd = cfg.cluster.etcd.local!;
  const cluster = { ...cfg.cluster, etcd: { local: { ...etcd, imageTag: local.imageTag ?? etcd.imageTag, extraArgs: local.extraArgs ?? [] } } };
  const input = inputOf({ ...cfg, cluster });
  return local.advertiseAddress === undefined ? input : { ...input, endpoint: { ...input.endpoint, advertiseAddress: local.advertiseAddress } };
}

const podOf = (input: EtcdPodInput): Json => etcdPod(input);
const container = (pod: Json): Json => pod['spec']['containers'][0];
const probes = (pod: Json): Json[] => ['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => container(pod)[p]['httpGet']);

/** The etcd manifest inside kubeadm's `init --dry-run` output. */
function observedManifest(text: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf('[dryrun] Would write file "/etc/kubernetes/manifests/etcd.yaml" with content:');
  assert.ok(start >= 0, 'the etcd manifest is in init-dry-run.txt');
  const end = lines.findIndex((l, i) => i > start && l.startsWith('['));
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

describe('etcd manifest goldens', () => {
  for (const g of etcdGoldenConfigs) {
    test(`${g.name}: test/golden/manifests/${g.name}/etcd.yaml`, async () => {
      assertGolden(`manifests/${g.name}/etcd.yaml`, encodeManifest(podOf(inputOf(await loadConfig(g.yaml), g.env))));
    });
  }

  test('external-etcd: no etcd golden', () => {
    assert.equal(existsSync(path.join(goldenRoot, 'manifests/external-etcd/etcd.yaml')), false);
  });

  test('observed: the config is the one kubeadm ran with', { skip: skipWithoutShared('reference/kubeadm-observed/init-dry-run.config.yaml') }, async () => {
    assert.equal(observedConfig, await readFile(sharedPath('reference/kubeadm-observed/init-dry-run.config.yaml'), 'utf8'));
  });

  test('observed: byte for byte the manifest a real kubeadm printed', { skip: skipWithoutShared('reference/kubeadm-observed/init-dry-run.txt') }, async () => {
    const reference = observedManifest(await readFile(sharedPath('reference/kubeadm-observed/init-dry-run.txt'), 'utf8'));
    assert.equal(encodeManifest(podOf(inputOf(await loadConfig(observedConfig)))), reference);
  });

  test('kubectl decodes every golden into a Pod with nothing lost or misspelt', { skip: kubectlMissing }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-etcd-'));
    try {
      for (const g of etcdGoldenConfigs) {
        const name = g.name;
        const file = path.join(dir, `${name}.yaml`);
        const text = encodeManifest(podOf(inputOf(await loadConfig(g.yaml), g.env)));
        await writeFile(file, text);
        // Offline decode into kubectl's Pod type (a live server is not needed for `set … --local`).
        const args = ['set', 'serviceaccount', '--local', '-f', file, 'default', '-o', 'json'];
        const decoded = JSON.parse(execFileSync('kubectl', args, { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir } })) as Json;
        delete decoded['spec']['serviceAccountName'];
        delete decoded['metadata']['creationTimestamp'];
        assert.deepEqual(decoded, parse(text), `${name}: kubectl's Pod differs from the file`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('etcd flags by image tag', () => {
  test('kubeadm compares tags as semantic versions: a 3.6.0 pre-release or a non-semver tag is older', () => {
    const cases: [string, boolean][] = [
      ['3.6.4-0', true], ['3.6.0', true], ['v3.6.1', true], ['3.7.0-0', true], ['3.6.0+meta', true],
      ['3.5.21-0', false], ['3.6.0-0', false], ['3.6.0-rc.1', false], ['3.6', false], ['latest', false], ['03.6.0', false], ['', false],
    ];
    for (const [tag, expected] of cases) assert.equal(etcdTagAtLeast36(tag), expected, tag);
  });

  test('below 3.6.0: the experimental flags etcd 3.5 and older know', async () => {
    const cmd = etcdCommand(await withLocal({ imageTag: '3.5.21-0' }));
    assert.ok(cmd.includes('--experimental-initial-corrupt-check=true'));
    assert.ok(cmd.includes('--experimental-watch-progress-notify-interval=5s'));
    assert.ok(!cmd.some((a) => a.startsWith('--feature-gates=') || a.startsWith('--watch-progress-notify-interval=')));
  });

  test('3.6.0 and later: the feature gate and the graduated flag', async () => {
    const cmd = etcdCommand(await withLocal({ imageTag: '3.6.0' }));
    assert.ok(cmd.includes('--feature-gates=InitialCorruptCheck=true'));
    assert.ok(cmd.includes('--watch-progress-notify-interval=5s'));
    assert.ok(!cmd.some((a) => a.startsWith('--experimental-')));
  });

  test('no imageTag: the tag paired with the Kubernetes version decides (3.6.4-0 for 1.34)', async () => {
    const pod = podOf(await withLocal({}));
    assert.equal(container(pod)['image'], 'registry.k8s.io/etcd:3.6.4-0');
    assert.ok((container(pod)['command'] as string[]).includes('--feature-gates=InitialCorruptCheck=true'));
  });

  test('a registry with a port does not confuse the tag', async () => {
    const pod = podOf(inputOf(await loadConfig(pathsConfig)));
    assert.equal(container(pod)['image'], 'registry.example.test:5000/k8s/etcd:3.5.21-0');
    assert.ok((container(pod)['command'] as string[]).includes('--experimental-initial-corrupt-check=true'));
  });
});

describe('etcd IPv6', () => {
  test('loopback is ::1 and every URL brackets its address', async () => {
    const pod = podOf(await withLocal({ advertiseAddress: 'fd00:10::10' }));
    const cmd = container(pod)['command'] as string[];
    for (const flag of [
      '--advertise-client-urls=https://[fd00:10::10]:2379',
      '--listen-client-urls=https://[::1]:2379,https://[fd00:10::10]:2379',
      '--listen-peer-urls=https://[fd00:10::10]:2380',
      '--initial-advertise-peer-urls=https://[fd00:10::10]:2380',
      '--initial-cluster=node-1=https://[fd00:10::10]:2380',
      '--listen-metrics-urls=http://[::1]:2381',
    ]) assert.ok(cmd.includes(flag), flag);
    assert.deepEqual(pod['metadata']['annotations'], { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': 'https://[fd00:10::10]:2379' });
    for (const get of probes(pod)) assert.deepEqual([get['host'], get['scheme']], ['::1', 'HTTP']);
    assert.equal(container(pod)['ports'][0]['containerPort'], 2381);
  });

  test('an IPv4-mapped address counts as IPv4 (Go: To4() != nil), yet is bracketed in URLs', async () => {
    assert.equal(isIPv6Address('::ffff:192.0.2.10'), false);
    assert.equal(isIPv6Address('fd00::1'), true);
    assert.equal(isIPv6Address('192.0.2.10'), false);
    const cmd = etcdCommand(await withLocal({ advertiseAddress: '::ffff:192.0.2.10' }));
    assert.ok(cmd.includes('--listen-client-urls=https://127.0.0.1:2379,https://[::ffff:192.0.2.10]:2379'));
  });
});

describe('etcd extraArgs', () => {
  test('a given flag replaces the default of that name, repeats are kept, everything sorted', async () => {
    const cmd = etcdCommand(await withLocal({
      extraArgs: [
        { name: 'snapshot-count', value: '5000' },
        { name: 'cipher-suites', value: 'B' },
        { name: 'cipher-suites', value: 'A' },
        { name: 'experimental-initial-corrupt-check', value: 'false' },
      ],
    }));
    assert.ok(cmd.includes('--snapshot-count=5000') && !cmd.includes('--snapshot-count=10000'));
    const ciphers = cmd.filter((a) => a.startsWith('--cipher-suites='));
    assert.deepEqual(ciphers, ['--cipher-suites=A', '--cipher-suites=B']);
    // Any extra arg goes in as given, even beside the 3.6 flags kubeadm itself sets.
    assert.ok(cmd.includes('--experimental-initial-corrupt-check=false') && cmd.includes('--feature-gates=InitialCorruptCheck=true'));
    assert.deepEqual(cmd.slice(1), [...cmd.slice(1)].sort());
    assert.equal(cmd[0], 'etcd');
  });

  test('listen-metrics-urls moves the probes to its first URL: host, port and scheme', async () => {
    const pod = podOf(await withLocal({ extraArgs: [{ name: 'listen-metrics-urls', value: 'https://192.0.2.10:12381,http://127.0.0.1:2381' }] }));
    for (const get of probes(pod)) assert.deepEqual([get['host'], get['port'], get['scheme']], ['192.0.2.10', 'probe-port', 'HTTPS']);
    assert.equal(container(pod)['ports'][0]['containerPort'], 12381);
    assert.ok((container(pod)['command'] as string[]).includes('--listen-metrics-urls=https://192.0.2.10:12381,http://127.0.0.1:2381'));
  });

  test("the probe reads the last listen-metrics-urls arg (kubeadm's GetArgValue walks backwards)", () => {
    const local = { extraArgs: [{ name: 'listen-metrics-urls', value: 'http://10.0.0.1:1111' }, { name: 'listen-metrics-urls', value: 'http://10.0.0.2:2222' }] };
    assert.deepEqual(etcdProbeEndpoint(local as never, false), { host: '10.0.0.2', port: 2222, scheme: 'HTTP' });
  });

  test("URLs as Go's url.Parse reads them", () => {
    const probe = (value: string, ipv6 = false) => etcdProbeEndpoint({ extraArgs: [{ name: 'listen-metrics-urls', value }] } as never, ipv6);
    assert.deepEqual(probe('http://[fd00::5]:9000'), { host: 'fd00::5', port: 9000, scheme: 'HTTP' });
    assert.deepEqual(probe('HTTPS://example.test'), { host: 'example.test', port: 2381, scheme: 'HTTPS' });
    assert.deepEqual(probe('http://127.0.0.1:80'), { host: '127.0.0.1', port: 80, scheme: 'HTTP' }); // Go keeps a default port
    assert.deepEqual(probe('http://:9000', true), { host: '::1', port: 9000, scheme: 'HTTP' });
    assert.deepEqual(probe('http://127.0.0.1:0'), { host: '127.0.0.1', port: 2381, scheme: 'HTTP' }); // not a valid port
    assert.deepEqual(probe('127.0.0.1:9000'), { host: '127.0.0.1', port: 2381, scheme: 'HTTP' }); // a parse error in Go
    assert.deepEqual(probe('http://127.0.0.1:x'), { host: '127.0.0.1', port: 2381, scheme: 'HTTP' });
    assert.deepEqual(probe('http://[::1'), { host: '127.0.0.1', port: 2381, scheme: 'HTTP' });
  });

  test('extraEnvs over the host proxy variables, sorted; other host variables stay out', async () => {
    const pod = podOf(inputOf(await loadConfig(pathsConfig), pathsEnv));
    assert.deepEqual(container(pod)['env'], [
      { name: 'ETCD_QUOTA_BACKEND_BYTES', value: '8589934592' },
      { name: 'HTTPS_PROXY', value: 'http://proxy.example.test:3128' },
      { name: 'no_proxy', value: 'localhost,127.0.0.1' },
    ]);
  });
});

describe('etcd volumes and paths', () => {
  test('data and certificate folders mounted read-write, etcd-data first; flags under certificatesDir', async () => {
    const pod = podOf(inputOf(await loadConfig(pathsConfig)));
    assert.deepEqual(container(pod)['volumeMounts'], [
      { mountPath: '/data/etcd', name: 'etcd-data' },
      { mountPath: '/srv/pki/etcd', name: 'etcd-certs' },
    ]);
    assert.deepEqual(pod['spec']['volumes'].map((v: Json) => [v['name'], v['hostPath']['path'], v['hostPath']['type']]), [
      ['etcd-certs', '/srv/pki/etcd', 'DirectoryOrCreate'],
      ['etcd-data', '/data/etcd', 'DirectoryOrCreate'],
    ]);
    const cmd = container(pod)['command'] as string[];
    for (const f of ['--cert-file=/srv/pki/etcd/server.crt', '--key-file=/srv/pki/etcd/server.key', '--trusted-ca-file=/srv/pki/etcd/ca.crt',
      '--peer-cert-file=/srv/pki/etcd/peer.crt', '--peer-key-file=/srv/pki/etcd/peer.key', '--peer-trusted-ca-file=/srv/pki/etcd/ca.crt',
      '--data-dir=/data/etcd']) assert.ok(cmd.includes(f), f);
    // 2m30s in 10 s periods, rounded up.
    assert.equal(container(pod)['startupProbe']['failureThreshold'], 15);
  });

  test('external etcd has no local Pod: asking for one is a bug', async () => {
    const cfg = await loadConfig(observedConfig);
    const cluster = { ...cfg.cluster, etcd: { external: { endpoints: ['https://10.0.0.9:2379'], caFile: '', certFile: '', keyFile: '' } } };
    assert.throws(() => podOf(inputOf({ ...cfg, cluster })), InternalError);
  });
});

describe('a joining etcd member', () => {
  test('initial-cluster lists every member in the given order, with initial-cluster-state=existing', async () => {
    const input = {
      ...(await withLocal({})),
      initialCluster: [
        { name: 'node-1', peerURL: 'https://192.0.2.10:2380' },
        { name: 'node-0', peerURL: 'https://192.0.2.9:2380' },
      ],
    };
    const cmd = etcdCommand(input);
    assert.ok(cmd.includes('--initial-cluster=node-1=https://192.0.2.10:2380,node-0=https://192.0.2.9:2380'));
    assert.ok(cmd.includes('--initial-cluster-state=existing'));
  });

  test('alone (no members, or an empty list): a new cluster of this node, no initial-cluster-state', async () => {
    for (const initialCluster of [undefined, []]) {
      const cmd = etcdCommand({ ...(await withLocal({})), ...(initialCluster ? { initialCluster } : {}) });
      assert.ok(cmd.includes('--initial-cluster=node-1=https://192.0.2.10:2380'));
      assert.ok(!cmd.some((a) => a.startsWith('--initial-cluster-state=')));
    }
  });

  test('an initial-cluster extra arg still wins over the member list', async () => {
    const input = { ...(await withLocal({ extraArgs: [{ name: 'initial-cluster', value: 'x=https://1.2.3.4:2380' }] })), initialCluster: [{ name: 'a', peerURL: 'https://5.6.7.8:2380' }] };
    const cmd = etcdCommand(input);
    assert.deepEqual(cmd.filter((a) => a.startsWith('--initial-cluster=')), ['--initial-cluster=x=https://1.2.3.4:2380']);
  });
});
