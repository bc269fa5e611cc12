import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { ClusterConfiguration, InitConfig, JoinConfig, ResetConfig } from '../../src/config/types.js';
import { defaultInitConfig, defaultJoinConfig, defaultResetConfig } from '../../src/config/default-configs.js';
import { encodeClusterConfig, encodeInitConfig, encodeJoinConfig, encodeResetConfig, toGoYaml } from '../../src/config/encode.js';
import { kubeletConfiguration, kubeProxyConfiguration, tenthIP } from '../../src/config/encode-component-configs.js';
import { readConfigDocuments } from '../../src/config/decode.js';
import { assertGolden } from '../helpers/golden.js';



const hour = 3_600_000;

function customInit(): InitConfig {
  const base = defaultInitConfig({ advertiseAddress: '192.168.10.5', nodeName: 'cp-1', token: 'abcdef.0123456789abcdef' });
  return {
    ...base,
    init: {
      ...base.init,
      dryRun: true,
      bootstrapTokens: [
        { token: 'abcdef.0123456789abcdef', description: 'first', ttlMs: 0, usages: ['signing'], groups: [] },
        { token: 'ghijkl.0123456789abcdef', expires: '2030-01-01T00:00:00Z', usages: [], groups: ['system:bootstrappers:extra'] },
      ],
      nodeRegistration: {
        ...base.init.nodeRegistration,
        taints: [],
        kubeletExtraArgs: [{ name: 'node-ip', value: '192.168.10.5' }, { name: 'v', value: '' }],
        ignorePreflightErrors: ['swap'],
        imagePullPolicy: 'Always',
        imagePullSerial: false,
      },
      localAPIEndpoint: { advertiseAddress: '192.168.10.5', bindPort: 8443 },
      certificateKey: 'a'.repeat(64),
      skipPhases: ['addon/kube-proxy'],
      patches: { directory: '/etc/kubeadm/patches' },
      timeouts: { ...base.init.timeouts, controlPlaneComponentHealthCheckMs: 90 * 60_000 },
    },
    cluster: {
      ...base.cluster,
      networking: { serviceSubnet: '10.100.0.0/16,fd00:10::/108', podSubnet: '10.244.0.0/16', dnsDomain: 'example.internal' },
      kubernetesVersion: 'v1.34.2',
      controlPlaneEndpoint: 'cp.example.internal:6443',
      apiServer: {
        extraArgs: [{ name: 'audit-log-path', value: '-' }],
        extraVolumes: [{ name: 'audit', hostPath: '/var/log/audit', mountPath: '/var/log/audit', readOnly: true, pathType: 'DirectoryOrCreate' }],
        extraEnvs: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }, { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }],
        certSANs: ['cp.example.internal', '10.0.0.1'],
      },
      dns: { imageRepository: 'mirror.example/coredns', imageTag: 'v1.12.0', disabled: false },
      proxy: { disabled: true },
      featureGates: { WaitForAllControlPlaneComponents: true, ControlPlaneKubeletLocalMode: false },
      encryptionAlgorithm: 'ECDSA-P256',
      certificateValidityPeriodMs: 24 * hour,
    },
  };
}

test('a customised InitConfig encodes as kubeadm marshals it (golden)', () => {
  const text = encodeInitConfig(customInit());
  assertGolden('config/encode-init-custom.yaml', text);
  // The rules the golden file shows, stated so a regenerated golden cannot silently break them.
  assert.match(text, /^dryRun: true$/m);
  assert.match(text, /^ {2}taints: \[\]$/m); // an empty list is not nil
  assert.match(text, /^ {2}imagePullSerial: false$/m); // *bool prints false
  assert.match(text, /^ {2}ttl: 0s$/m); // a zero ttl is "never expires", still printed
  assert.match(text, /^- expires: "2030-01-01T00:00:00Z"$/m);
  assert.match(text, /^ {4}value: ""$/m); // Arg.value has no omitempty
  assert.match(text, /^ {2}controlPlaneComponentHealthCheck: 1h30m0s$/m);
  assert.match(text, /^certificateValidityPeriod: 24h0m0s$/m);
  assert.match(text, /^featureGates:\n {2}ControlPlaneKubeletLocalMode: false\n {2}WaitForAllControlPlaneComponents: true$/m);
  assert.match(text, /^proxy:\n {2}disabled: true$/m);
  assert.match(text, /^scheduler: \{\}$/m);
  assert.doesNotMatch(text, /groups: \[\]|usages: \[\]/); // empty lists are omitted
});

test('what we write decodes cleanly with our own strict decoder', () => {
  const text = encodeInitConfig(customInit());
  const decoded = readConfigDocuments(text, 'encoded.yaml');
  assert.deepEqual(decoded.problems, []);
  assert.deepEqual(decoded.documents.map((d) => d.kind), ['InitConfiguration', 'ClusterConfiguration']);
});

function externalEtcdCluster(): ClusterConfiguration {
  const base = defaultInitConfig({ advertiseAddress: '1.2.3.4', nodeName: 'n', token: 'abcdef.0123456789abcdef' }).cluster;
  return { ...base, etcd: { external: { endpoints: ['https://10.0.0.2:2379'], caFile: '', certFile: '', keyFile: '' } } };
}

test('external etcd prints every field, empty ones as ""', () => {
  const text = encodeClusterConfig(externalEtcdCluster());
  assert.match(text, /^etcd:\n {2}external:\n {4}caFile: ""\n {4}certFile: ""\n {4}endpoints:\n {4}- https:\/\/10\.0\.0\.2:2379\n {4}keyFile: ""\n/m);
});

test('taints: nil is null, a list prints each taint', () => {
  const base = defaultInitConfig({ advertiseAddress: '1.2.3.4', nodeName: 'n', token: 'abcdef.0123456789abcdef' });
  assert.match(encodeInitConfig(base), /^ {2}taints: null$/m);
  const tainted = {
    ...base,
    init: { ...base.init, nodeRegistration: { ...base.init.nodeRegistration, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] } },
  };
  assert.match(encodeInitConfig(tainted), /^ {2}taints:\n {2}- effect: NoSchedule\n {4}key: node-role\.kubernetes\.io\/control-plane\n/m);
});

test('a control-plane join with file discovery (golden)', () => {
  const base: JoinConfig = defaultJoinConfig({ nodeName: 'cp-2', apiServerEndpoint: 'x', token: 't' });
  const join: JoinConfig = {
    ...base,
    join: {
      ...base.join,
      discovery: { file: { kubeConfigPath: '/etc/kubernetes/discovery.conf' }, tlsBootstrapToken: 'abcdef.0123456789abcdef' },
      controlPlane: { localAPIEndpoint: { advertiseAddress: '192.168.10.6', bindPort: 6443 }, certificateKey: 'b'.repeat(64) },
    },
  };
  const text = encodeJoinConfig(join);
  assertGolden('config/encode-join-control-plane.yaml', text);
  assert.match(text, /^discovery:\n {2}file:\n {4}kubeConfigPath: \/etc\/kubernetes\/discovery\.conf\n {2}tlsBootstrapToken: abcdef\.0123456789abcdef$/m);
  assert.deepEqual(readConfigDocuments(text, 'join.yaml').problems, []);
});

test('token discovery keeps token (no omitempty) and the CA pins', () => {
  const base = defaultJoinConfig({ nodeName: 'w', apiServerEndpoint: '10.0.0.1:6443', token: 'abcdef.0123456789abcdef' });
  const join = {
    ...base,
    join: { ...base.join, discovery: { bootstrapToken: { token: '', apiServerEndpoint: '10.0.0.1:6443', caCertHashes: ['sha256:' + '0'.repeat(64)], unsafeSkipCAVerification: false }, tlsBootstrapToken: '' } },
  };
  const text = encodeJoinConfig(join);
  assert.match(text, /^ {4}token: ""$/m);
  assert.match(text, /^ {4}caCertHashes:\n {4}- sha256:0{64}$/m);
  assert.doesNotMatch(text, /unsafeSkipCAVerification|tlsBootstrapToken/);
});

test('reset prints only what differs from Go zero values', () => {
  const base: ResetConfig = defaultResetConfig();
  const text = encodeResetConfig({ reset: { ...base.reset, cleanupTmpDir: true, force: true, unmountFlags: ['MNT_DETACH'], criSocket: '' } });
  assert.match(text, /^cleanupTmpDir: true$/m);
  assert.match(text, /^force: true$/m);
  assert.match(text, /^unmountFlags:\n- MNT_DETACH$/m);
  assert.doesNotMatch(text, /criSocket|dryRun|skipPhases/);
});

test('Go-readable scalars: YAML 1.1 booleans, numbers and empty strings are quoted', () => {
  assert.equal(toGoYaml({ a: 'yes', b: 'on', c: '0', d: '', e: 'plain', f: 'y' }), 'a: "yes"\nb: "on"\nc: "0"\nd: ""\ne: plain\nf: "y"\n');
});

test('the DNS service IP is the 10th address of the first service CIDR', () => {
  assert.equal(tenthIP('10.96.0.0/12'), '10.96.0.10');
  assert.equal(tenthIP('10.100.3.7/16'), '10.100.0.10'); // host bits are cleared first
  assert.equal(tenthIP('fd00:10::/108'), 'fd00:10::a');
  assert.equal(tenthIP('10.0.0.0/29'), undefined); // 8 addresses: too small
  assert.equal(tenthIP('nonsense'), undefined);
});

test('KubeletConfiguration follows the cluster: DNS, domain, CA path', () => {
  const cluster = customInit().cluster;
  const { document, warnings } = kubeletConfiguration({ ...cluster, certificatesDir: '/srv/pki/' });
  assert.deepEqual(document['clusterDNS'], ['10.100.0.10']);
  assert.equal(document['clusterDomain'], 'example.internal');
  assert.equal((document['authentication'] as { x509: { clientCAFile: string } }).x509.clientCAFile, '/srv/pki/ca.crt');
  assert.deepEqual(warnings, []);
  // A service subnet too small for a DNS IP falls back to kubeadm's constant.
  const small = kubeletConfiguration({ ...cluster, networking: { ...cluster.networking, serviceSubnet: '10.0.0.0/29' } });
  assert.deepEqual(small.document['clusterDNS'], ['10.96.0.10']);
});

test('a user KubeletConfiguration wins over the skeleton, with kubeadm\'s warnings where it differs', () => {
  const cluster = customInit().cluster;
  const given = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'cgroupfs',
    clusterDNS: ['169.254.20.10'],
    rotateCertificates: false,
    authentication: { webhook: { cacheTTL: '2m0s' } },
    maxPods: 200,
  };
  const { document, warnings } = kubeletConfiguration(cluster, { given });
  assert.equal(document['cgroupDriver'], 'cgroupfs');
  assert.deepEqual(document['clusterDNS'], ['169.254.20.10']);
  assert.equal(document['rotateCertificates'], true); // kubeadm forces it
  assert.equal(document['maxPods'], 200);
  const auth = document['authentication'] as { webhook: { cacheTTL: string; enabled: boolean } };
  assert.deepEqual(auth.webhook, { cacheTTL: '2m0s', enabled: true });
  assert.deepEqual(warnings, [
    'The recommended value for "clusterDNS" in "KubeletConfiguration" is: [10.100.0.10]; the provided value is: [169.254.20.10]',
  ]);
  assert.equal(given.rotateCertificates, false, 'the given document is not modified');
});

test('KubeProxyConfiguration: bind address by family, clusterCIDR from the pod subnet, user mode kept', () => {
  const cluster = customInit().cluster;
  const v4 = kubeProxyConfiguration(cluster, { advertiseAddress: '192.168.10.5', given: { mode: 'ipvs' } });
  assert.equal(v4.document['bindAddress'], '0.0.0.0');
  assert.equal(v4.document['clusterCIDR'], '10.244.0.0/16');
  assert.equal(v4.document['mode'], 'ipvs');
  assert.equal((v4.document['clientConnection'] as { kubeconfig: string }).kubeconfig, '/var/lib/kube-proxy/kubeconfig.conf');
  const v6 = kubeProxyConfiguration(cluster, { advertiseAddress: 'fd00::5' });
  assert.equal(v6.document['bindAddress'], '::');
  const kinds = parse(toGoYaml(v6.document)) as { kind: string; conntrack: { maxPerCore: null } };
  assert.equal(kinds.kind, 'KubeProxyConfiguration');
  assert.equal(kinds.conntrack.maxPerCore, null);
});
