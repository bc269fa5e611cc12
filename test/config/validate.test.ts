// One test per validation rule, each with the exact message, through `config validate`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigFile } from '../../src/config/load.js';
import { ConfigError, formatProblem } from '../../src/errors.js';
import { configHost } from './config-host.js';

const cluster = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n';
const init = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n';
const join = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n';
const reset = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\n';
const token = 'abcdef.0123456789abcdef';
const okDiscovery = `discovery:\n  bootstrapToken:\n    token: ${token}\n    apiServerEndpoint: cp:6443\n    unsafeSkipCAVerification: true\n`;

/** The problems of a file, formatted and without the file prefix; [] when valid. */
async function check(text: string, files: Record<string, string> = {}): Promise<string[]> {
  const host = configHost({ files: { '/k.yaml': text, ...files } });
  try {
    await validateConfigFile({ host, configPath: '/k.yaml' });
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => formatProblem({ ...p, file: undefined }).replace(/^:\d+:\d+, /, ''));
  }
}

const rfc1123 =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

test('serviceSubnet must parse', async () => {
  assert.deepEqual(await check(`${cluster}networking:\n  serviceSubnet: 10.96.0.0/33\n`), [
    `document 1 (ClusterConfiguration), networking.serviceSubnet: invalid value "10.96.0.0/33": couldn't parse subnet`,
  ]);
});

test('dual-stack: at most two CIDRs, one per family', async () => {
  const msg = 'expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking';
  assert.deepEqual(await check(`${cluster}networking:\n  serviceSubnet: 10.96.0.0/16,10.97.0.0/16\n`), [
    `document 1 (ClusterConfiguration), networking.serviceSubnet: invalid value "10.96.0.0/16,10.97.0.0/16": ${msg}`,
  ]);
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 10.1.0.0/16,fd00::/56,10.2.0.0/16\n`), [
    `document 1 (ClusterConfiguration), networking.podSubnet: invalid value "10.1.0.0/16,fd00::/56,10.2.0.0/16": ${msg}`,
  ]);
  assert.deepEqual(await check(`${cluster}networking:\n  serviceSubnet: 10.96.0.0/16,fd00:1::/112\n  podSubnet: 10.244.0.0/16,fd00:2::/56\n`), []);
});

test('service subnet size: at least 10 addresses, at most 20 host bits', async () => {
  assert.deepEqual(await check(`${cluster}networking:\n  serviceSubnet: 10.96.0.0/29\n`), [
    'document 1 (ClusterConfiguration), networking.serviceSubnet: invalid value "10.96.0.0/29": subnet with 8 address(es) is too small, the minimum is 10',
  ]);
  assert.deepEqual(await check(`${cluster}networking:\n  serviceSubnet: 10.0.0.0/8\n`), [
    'document 1 (ClusterConfiguration), networking.serviceSubnet: invalid value "10.0.0.0/8": specified service subnet is too large; for 32-bit addresses, the mask must be >= 12',
  ]);
  assert.deepEqual(await check(`${cluster}networking:\n  serviceSubnet: fd00::/64\n`), [
    'document 1 (ClusterConfiguration), networking.serviceSubnet: invalid value "fd00::/64": specified service subnet is too large; for 128-bit addresses, the mask must be >= 108',
  ]);
});

test('pod subnet against the node CIDR mask (kube-controller-manager node-cidr-mask-size-ipv4/-ipv6)', async () => {
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 10.244.0.0/25\n`), [
    'document 1 (ClusterConfiguration), networking.podSubnet: invalid value "10.244.0.0/25": the size of pod subnet with mask 25 is smaller than the size of node subnet with mask 24',
  ]);
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 20.0.0.0/7\n`), [
    'document 1 (ClusterConfiguration), networking.podSubnet: invalid value "20.0.0.0/7": pod subnet mask (7) and node-mask (24) difference is greater than 16',
  ]);
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 10.244.0.0/25\ncontrollerManager:\n  extraArgs:\n  - name: node-cidr-mask-size-ipv4\n    value: "26"\n`), []);
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 10.244.0.0/25\ncontrollerManager:\n  extraArgs:\n  - name: allocate-node-cidrs\n    value: "false"\n`), []);
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 10.244.0.0/16\ncontrollerManager:\n  extraArgs:\n  - name: node-cidr-mask-size-ipv4\n    value: big\n`), [
    'document 1 (ClusterConfiguration), networking.podSubnet: invalid value "10.244.0.0/16": could not parse the value of the kube-controller-manager flag node-cidr-mask-size-ipv4 as an integer: "big"',
  ]);
  assert.deepEqual((await check(`${cluster}networking:\n  podSubnet: 20.0.0.0/31\n`))[0], 
    'document 1 (ClusterConfiguration), networking.podSubnet: invalid value "20.0.0.0/31": subnet with 2 address(es) is too small, the minimum is 14');
});

test('CIDRs keep Go ParseCIDR semantics: host bits are allowed (corpus 048)', async () => {
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 192.168.51.0/16\n`), []);
});

test('overlapping pod and service subnets are refused (kubeadm accepts them)', async () => {
  assert.deepEqual(await check(`${cluster}networking:\n  serviceSubnet: 10.96.0.0/12\n  podSubnet: 10.96.0.0/16\n`), [
    'document 1 (ClusterConfiguration), networking.podSubnet: invalid value "10.96.0.0/16": pod subnet overlaps the service subnet 10.96.0.0/12: pods and services need separate address ranges',
  ]);
});

test('dnsDomain is an RFC 1123 subdomain', async () => {
  assert.deepEqual(await check(`${cluster}networking:\n  dnsDomain: Cluster_Local\n`), [
    `document 1 (ClusterConfiguration), networking.dnsDomain: invalid value "Cluster_Local": ${rfc1123}`,
  ]);
});

test('node name: lower-cased first, then RFC 1123 (observed kubeadm message)', async () => {
  assert.deepEqual(await check(`${init}nodeRegistration:\n  name: Bad_Name\n`), [
    `document 1 (InitConfiguration), nodeRegistration.name: invalid value "bad_name": ${rfc1123}`,
  ]);
  assert.deepEqual(await check(`${init}nodeRegistration:\n  name: K-KUBE-LAB-01\n`), []);
});

test('bindPort 1-65535', async () => {
  assert.deepEqual(await check(`${init}localAPIEndpoint:\n  bindPort: 70000\n`), [
    'document 1 (InitConfiguration), localAPIEndpoint.bindPort: invalid value 70000: port number is not valid',
  ]);
});

test('bootstrap tokens: format, usages, groups, ttl/expires', async () => {
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: not-a-token\n`), [
    'document 1 (InitConfiguration), bootstrapTokens[0].token: the bootstrap token "not-a-token" was not of the form "\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z"',
  ]);
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  usages: [signing, encryption]\n`), [
    'document 1 (InitConfiguration), bootstrapTokens[0].usages: invalid bootstrap token usage string: encryption, valid usage options: signing,authentication',
  ]);
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  groups: [system:nodes]\n`), [
    'document 1 (InitConfiguration), bootstrapTokens[0].groups: bootstrap group "system:nodes" is invalid (must match \\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)',
  ]);
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  usages: [signing]\n  groups: [system:bootstrappers:x]\n`), [
    'document 1 (InitConfiguration), bootstrapTokens[0].groups: invalid value [system:bootstrappers:x]: token groups cannot be specified unless --usages includes "authentication"',
  ]);
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  ttl: 1h\n  expires: "2030-01-01T00:00:00Z"\n`), [
    'document 1 (InitConfiguration), bootstrapTokens[0]: the BootstrapToken .TTL and .Expires fields are mutually exclusive',
  ]);
  // expires alone is fine (kubeadm would reject its own ttl default here).
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  expires: "2030-01-01T00:00:00Z"\n`), []);
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  expires: tomorrow\n`), [
    'document 1 (InitConfiguration), bootstrapTokens[0].expires: invalid value "tomorrow": not an RFC 3339 time, e.g. 2030-01-02T15:04:05Z',
  ]);
});

test('certificateKey: 64 hex characters', async () => {
  assert.deepEqual(await check(`${init}certificateKey: xxxx\n`), [
    `document 1 (InitConfiguration), certificateKey: invalid value "xxxx": certificate key decoding error: encoding/hex: invalid byte: U+0078 'x'`,
  ]);
  assert.deepEqual(await check(`${init}certificateKey: abc\n`), [
    'document 1 (InitConfiguration), certificateKey: invalid value "abc": certificate key decoding error: encoding/hex: odd length hex string',
  ]);
  assert.deepEqual(await check(`${init}certificateKey: abcd\n`), [
    'document 1 (InitConfiguration), certificateKey: invalid value "abcd": invalid certificate key size 2, the key must be an AES key of size 32',
  ]);
});

test('controlPlaneEndpoint: host[:port], IPv6 in brackets', async () => {
  assert.deepEqual(await check(`${cluster}controlPlaneEndpoint: _lb_:6443\n`), [
    "document 1 (ClusterConfiguration), controlPlaneEndpoint: invalid value \"_lb_:6443\": endpoint is not valid: hostport _lb_:6443: host '_lb_' must be a valid IP address or a valid RFC-1123 DNS subdomain",
  ]);
  assert.deepEqual(await check(`${cluster}controlPlaneEndpoint: lb:99999\n`), [
    'document 1 (ClusterConfiguration), controlPlaneEndpoint: invalid value "lb:99999": endpoint is not valid: hostport lb:99999: port 99999 must be a valid number between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(await check(`${cluster}controlPlaneEndpoint: "[fd00::1]:6443"\n`), []);
  assert.deepEqual(await check(`${cluster}controlPlaneEndpoint: fd00::1\n`), []);
});

test('certificatesDir and other paths must be absolute', async () => {
  assert.deepEqual(await check(`${cluster}certificatesDir: pki\n`), ['document 1 (ClusterConfiguration), certificatesDir: invalid value "pki": path is not absolute']);
  assert.deepEqual(await check(`${cluster}etcd:\n  local:\n    dataDir: data\n`), ['document 1 (ClusterConfiguration), etcd.local.dataDir: invalid value "data": path is not absolute']);
});

test('etcd: local and external are exclusive; external endpoints and certificate pairs', async () => {
  assert.deepEqual(await check(`${cluster}etcd:\n  local: {}\n  external:\n    endpoints: [https://e:2379]\n`), [
    'document 1 (ClusterConfiguration), etcd: invalid value "": .Etcd.Local and .Etcd.External are mutually exclusive',
  ]);
  assert.deepEqual(await check(`${cluster}etcd:\n  external:\n    endpoints: [http://e:2379]\n    caFile: /ca.crt\n    certFile: /c.crt\n`), [
    'document 1 (ClusterConfiguration), etcd.external: invalid value "": either both or none of .Etcd.External.CertFile and .Etcd.External.KeyFile must be set',
    'document 1 (ClusterConfiguration), etcd.external.endpoints: invalid value "http://e:2379": the URL must be using the HTTPS scheme',
  ]);
  assert.deepEqual(await check(`${cluster}etcd:\n  external:\n    endpoints: [https://e:2379]\n    certFile: /c.crt\n    keyFile: /c.key\n`), [
    'document 1 (ClusterConfiguration), etcd.external: invalid value "": setting .Etcd.External.CertFile and .Etcd.External.KeyFile requires .Etcd.External.CAFile',
  ]);
  assert.deepEqual(await check(`${cluster}etcd:\n  external:\n    endpoints: ["https://e:2379x"]\n`), [
    'document 1 (ClusterConfiguration), etcd.external.endpoints: invalid value "https://e:2379x": URL parse error',
  ]);
  assert.deepEqual(await check(`${cluster}etcd:\n  external:\n    endpoints: [10.0.0.1:2379]\n`), [
    'document 1 (ClusterConfiguration), etcd.external.endpoints: invalid value "10.0.0.1:2379": the URL without scheme is not allowed',
  ]);
  // Plain http without any TLS file is allowed, as is https without certificates (observed: ok).
  assert.deepEqual(await check(`${cluster}etcd:\n  external:\n    endpoints: [http://e:2379]\n`), []);
  assert.deepEqual(await check(`${cluster}etcd:\n  external:\n    endpoints: [https://10.0.0.1:2379]\n`), []);
});

test('encryptionAlgorithm and imagePullPolicy are enums', async () => {
  assert.deepEqual(await check(`${cluster}encryptionAlgorithm: RSA-1024\n`), [
    'document 1 (ClusterConfiguration), encryptionAlgorithm: invalid value "RSA-1024": Invalid encryption algorithm "RSA-1024". Must be one of [ECDSA-P256 ECDSA-P384 RSA-2048 RSA-3072 RSA-4096]',
  ]);
  assert.deepEqual(await check(`${init}nodeRegistration:\n  imagePullPolicy: Sometimes\n`), [
    'document 1 (InitConfiguration), nodeRegistration.imagePullPolicy: invalid pull policy: must be one of Always, IfNotPresent, Never',
  ]);
});

test('feature gates must be known; deprecated ones warn', async () => {
  assert.deepEqual(await check(`${cluster}featureGates:\n  NoSuchGate: true\n`), [
    'document 1 (ClusterConfiguration), featureGates.NoSuchGate: unrecognized feature-gate key: NoSuchGate (known gates: ControlPlaneKubeletLocalMode, NodeLocalCRISocket, RootlessControlPlane, WaitForAllControlPlaneComponents)',
  ]);
  assert.deepEqual(await check(`${cluster}featureGates:\n  RootlessControlPlane: "true"\n`), [
    'document 1 (ClusterConfiguration), featureGates.RootlessControlPlane: cannot unmarshal the string "true": expected true or false: write true or false without quotes',
  ]);
  const host = configHost({ files: { '/k.yaml': `${cluster}featureGates:\n  PublicKeysECDSA: true\n` } });
  assert.match((await validateConfigFile({ host, configPath: '/k.yaml' })).warnings.join('\n'), /PublicKeysECDSA feature gate is deprecated/);
});

test('kubernetesVersion: too old is kubeadm\'s message; newer is not a config error; placeholders are refused', async () => {
  assert.deepEqual(await check(`${cluster}kubernetesVersion: v1.20.0\n`), [
    'document 1 (ClusterConfiguration), kubernetesVersion: this version of kubeadm only supports deploying clusters with the control plane version >= 1.34.0. Current version: v1.20.0',
  ]);
  assert.deepEqual(await check(`${cluster}kubernetesVersion: 1.36.0\n`), []);
  assert.deepEqual(await check(`${cluster}kubernetesVersion: stable-1.34\n`), []);
  assert.deepEqual(await check(`${cluster}kubernetesVersion: _K8sVersion_\n`), [
    'document 1 (ClusterConfiguration), kubernetesVersion: version "_K8sVersion_" doesn\'t match patterns for neither semantic version nor labels (stable, latest, ...) (use a version such as v1.35.0, or a label: stable, latest, stable-1.35)',
  ]);
  assert.match((await check(`${cluster}kubernetesVersion: ci/latest\n`))[0]!, /kubernetesVersion: kubernetesVersion "ci\/latest": CI builds are not supported/);
});

test('certSANs: IPs, DNS names and wildcards', async () => {
  assert.deepEqual(await check(`${cluster}apiServer:\n  certSANs: [10.0.0.1, "*.example.com", LB.Example.com, "bad name"]\n`), [
    'document 1 (ClusterConfiguration), apiServer.certSANs[3]: invalid value "bad name": altname is not a valid IP address, DNS label or a DNS label with subdomain wildcards',
  ]);
});

test('extraArgs need a name; image repositories must be valid', async () => {
  assert.deepEqual(await check(`${cluster}apiServer:\n  extraArgs:\n  - value: x\n`), [
    'document 1 (ClusterConfiguration), apiServer.extraArgs[0]: invalid value "index 0": argument has no name',
  ]);
  assert.deepEqual(await check(`${cluster}imageRepository: "Registry With Spaces"\n`), [
    'document 1 (ClusterConfiguration), imageRepository: invalid value "Registry With Spaces": invalid image repository format',
  ]);
  assert.deepEqual(await check(`${cluster}imageRepository: nexus.local:8122/k8s\ndns:\n  imageRepository: nexus.local:8122/k8s/coredns\n`), []);
});

test('criSocket: only unix:// endpoints', async () => {
  assert.deepEqual(await check(`${init}nodeRegistration:\n  criSocket: tcp://1.2.3.4:2375\n`), [
    'document 1 (InitConfiguration), nodeRegistration.criSocket: invalid value "tcp://1.2.3.4:2375": only URL scheme "unix" is supported, got "tcp"',
  ]);
});

test('taints need a known effect', async () => {
  assert.deepEqual(await check(`${init}nodeRegistration:\n  taints:\n  - key: a\n    effect: Sometimes\n`), [
    'document 1 (InitConfiguration), nodeRegistration.taints[0].effect: taint effect must be one of NoSchedule, PreferNoSchedule, NoExecute',
  ]);
});

test('discovery: bootstrapToken xor file', async () => {
  assert.deepEqual(await check(join), ['document 1 (JoinConfiguration), discovery: invalid value "": bootstrapToken or file must be set']);
  assert.deepEqual(await check(`${join}discovery:\n  bootstrapToken:\n    token: ${token}\n    apiServerEndpoint: cp:6443\n    unsafeSkipCAVerification: true\n  file:\n    kubeConfigPath: https://x/y\n`), [
    'document 1 (JoinConfiguration), discovery: invalid value "": bootstrapToken and file cannot both be set',
  ]);
});

test('discovery: caCertHashes or unsafeSkipCAVerification; hash format; endpoint host:port', async () => {
  assert.deepEqual(await check(`${join}discovery:\n  bootstrapToken:\n    token: ${token}\n    apiServerEndpoint: cp:6443\n`), [
    'document 1 (JoinConfiguration), discovery.bootstrapToken.caCertHashes: invalid value "": using token-based discovery without caCertHashes can be unsafe. ' +
      'Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue',
  ]);
  assert.deepEqual(await check(`${join}discovery:\n  bootstrapToken:\n    token: ${token}\n    apiServerEndpoint: cp:6443\n    caCertHashes: [sha256:abcd, md5:00]\n`), [
    'document 1 (JoinConfiguration), discovery.bootstrapToken.caCertHashes[0]: invalid discovery token CA certificate hash: invalid hash "sha256:abcd", expected a 32 byte SHA-256 hash, found 2 bytes',
    'document 1 (JoinConfiguration), discovery.bootstrapToken.caCertHashes[1]: invalid discovery token CA certificate hash: unknown hash format "md5". Known format(s) are: sha256',
  ]);
  assert.deepEqual(await check(`${join}discovery:\n  bootstrapToken:\n    token: ${token}\n    apiServerEndpoint: 10.0.0.1\n    unsafeSkipCAVerification: true\n`), [
    'document 1 (JoinConfiguration), discovery.bootstrapToken.apiServerEndpoint: invalid value "10.0.0.1": address 10.0.0.1: missing port in address',
  ]);
  assert.deepEqual(await check(`${join}discovery:\n  bootstrapToken:\n    token: ${token}\n    unsafeSkipCAVerification: true\n`), [
    'document 1 (JoinConfiguration), discovery.bootstrapToken: APIServerEndpoint is not set: give the control plane address (host:port) as the join argument or in discovery.bootstrapToken.apiServerEndpoint',
  ]);
  assert.deepEqual(await check(`${join}${okDiscovery}`), []);
});

test('discovery file: HTTPS URL or an existing file on the host', async () => {
  const file = (p: string) => `${join}discovery:\n  file:\n    kubeConfigPath: ${p}\n`;
  assert.deepEqual(await check(file('http://x/c')), [
    'document 1 (JoinConfiguration), discovery.file.kubeConfigPath: invalid value "http://x/c": if a URL is used, the scheme must be https',
  ]);
  assert.deepEqual(await check(file('/etc/c.conf')), [
    'document 1 (JoinConfiguration), discovery.file.kubeConfigPath: invalid value "/etc/c.conf": not a valid HTTPS URL or a file on disk',
  ]);
  assert.deepEqual(await check(file('/etc/c.conf'), { '/etc/c.conf': 'kubeconfig' }), []);
  assert.deepEqual(await check(file('https://x/c')), []);
});

test('caCertPath must be absolute and end in .crt', async () => {
  assert.deepEqual(await check(`${join}${okDiscovery}caCertPath: ca.pem\n`), [
    'document 1 (JoinConfiguration), caCertPath: invalid value "ca.pem": the ca certificate path must be an absolute path ending in .crt',
  ]);
});

test('control-plane join: certificate key and advertise address', async () => {
  assert.deepEqual(await check(`${join}${okDiscovery}controlPlane:\n  certificateKey: "xxxx..."\n`), [
    `document 1 (JoinConfiguration), controlPlane.certificateKey: invalid value "xxxx...": certificate key decoding error: encoding/hex: invalid byte: U+0078 'x'`,
  ]);
});

test('reset: unmount flags, certificatesDir, criSocket', async () => {
  assert.deepEqual(await check(`${reset}unmountFlags: [MNT_FORCE, MNT_LAZY]\ncertificatesDir: pki\ncriSocket: tcp://x\n`), [
    'document 1 (ResetConfiguration), criSocket: invalid value "tcp://x": only URL scheme "unix" is supported, got "tcp"',
    'document 1 (ResetConfiguration), certificatesDir: invalid value "pki": path is not absolute',
    'document 1 (ResetConfiguration), unmountFlags[1]: invalid value "index 1": unknown unmount flag MNT_LAZY (known: MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW)',
  ]);
});

test('no spaces around the commas of a dual-stack subnet list (kubeadm: couldn\'t parse subnet)', async () => {
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: "10.244.0.0/16, fd00:10:244::/56"\n`), [
    `document 1 (ClusterConfiguration), networking.podSubnet: invalid value "10.244.0.0/16, fd00:10:244::/56": couldn't parse subnet`,
  ]);
  assert.deepEqual(await check(`${cluster}networking:\n  podSubnet: 10.244.0.0/16,fd00:10:244::/56\n`), []);
});

test('bad token usages are listed sorted and once, as kubeadm prints its set', async () => {
  assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  usages: [zeta, authentication, alpha, zeta]\n`), [
    'document 1 (InitConfiguration), bootstrapTokens[0].usages: invalid bootstrap token usage string: alpha,zeta, valid usage options: signing,authentication',
  ]);
});

test('token expires must be RFC 3339 as Go parses it: no date-only, free-form or out-of-range values', async () => {
  for (const bad of ['2030-01-01', 'Jan 2 2030', '2030-02-30T00:00:00Z', '2030-01-01T24:00:00Z', '2030-01-01 00:00:00Z']) {
    assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  expires: "${bad}"\n`), [
      `document 1 (InitConfiguration), bootstrapTokens[0].expires: invalid value "${bad}": not an RFC 3339 time, e.g. 2030-01-02T15:04:05Z`,
    ], bad);
  }
  for (const good of ['2028-02-29T10:00:00Z', '2030-12-31T23:59:59.5-05:30']) {
    assert.deepEqual(await check(`${init}bootstrapTokens:\n- token: ${token}\n  expires: "${good}"\n`), [], good);
  }
});

test('validity periods above the defaults are allowed with kubeadm\'s warning (ValidateCertValidity)', async () => {
  const host = configHost({ files: { '/k.yaml': `${cluster}certificateValidityPeriod: 9000h\ncaCertificateValidityPeriod: 87600h\n` } });
  assert.deepEqual((await validateConfigFile({ host, configPath: '/k.yaml' })).warnings, [
    'certificateValidityPeriod: the value 9000h0m0s is more than the recommended default for certificate expiration: 8760h0m0s',
  ]);
});
