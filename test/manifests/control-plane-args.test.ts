// The command lines of the three control-plane components: kubeadm's defaults for the configuration, the
// etcd wiring, authorization modes, and extraArgs in both API versions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manifestCommand } from '../../src/manifest-files/static-pod-files.js';
import { joinHostPort } from '../../src/config/host-port.js';
import { isIPv6Address } from '../../src/config/ip.js';
import { authorizationModes } from '../../src/manifests/control-plane-args.js';
import { advertiseAddressAnnotation, controlPlanePod } from '../../src/manifests/control-plane.js';
import { build, config, flags, inputFor } from './control-plane-fixture.js';

// --- kube-apiserver flags ---

test('the API server talks to the local etcd over loopback with its etcd client certificate', async () => {
  const { command } = await build('kube-apiserver', config('certificatesDir: /srv/pki/\n'));
  assert.deepEqual(flags(command, 'etcd-servers'), ['--etcd-servers=https://127.0.0.1:2379']);
  assert.deepEqual(flags(command, 'etcd-cafile'), ['--etcd-cafile=/srv/pki/etcd/ca.crt']);
  assert.deepEqual(flags(command, 'etcd-certfile'), ['--etcd-certfile=/srv/pki/apiserver-etcd-client.crt']);
  assert.deepEqual(flags(command, 'etcd-keyfile'), ['--etcd-keyfile=/srv/pki/apiserver-etcd-client.key']);
  assert.equal(command[0], 'kube-apiserver');
});

test('an IPv6 advertise address makes the local etcd URL the IPv6 loopback, bracketed', async () => {
  const yaml = config('networking:\n  serviceSubnet: fd00:96::/108\n').replace('192.0.2.10', '"fd00::10"');
  const { command, pod } = await build('kube-apiserver', yaml);
  assert.deepEqual(flags(command, 'etcd-servers'), ['--etcd-servers=https://[::1]:2379']);
  assert.deepEqual(flags(command, 'advertise-address'), ['--advertise-address=fd00::10']);
  assert.equal(pod['metadata'].annotations[advertiseAddressAnnotation], '[fd00::10]:6443');
});

test('IPv4-mapped IPv6 addresses count as IPv4, as utilsnet.IsIPv6String says', () => {
  assert.equal(isIPv6Address('fd00::1'), true);
  assert.equal(isIPv6Address('::ffff:192.0.2.1'), false);
  assert.equal(isIPv6Address('192.0.2.1'), false);
  assert.equal(isIPv6Address('not-an-ip'), false);
  assert.equal(joinHostPort('::1', 2379), '[::1]:2379');
  assert.equal(joinHostPort('10.0.0.1', 2379), '10.0.0.1:2379');
});

test('etcd.local.extraArgs advertise-client-urls becomes the API server\'s etcd-servers (the last one given)', async () => {
  const yaml = config(`etcd:
  local:
    extraArgs:
    - {name: advertise-client-urls, value: "https://192.0.2.10:2379"}
    - {name: advertise-client-urls, value: "https://etcd.example.test:2379"}
`);
  const { command } = await build('kube-apiserver', yaml);
  assert.deepEqual(flags(command, 'etcd-servers'), ['--etcd-servers=https://etcd.example.test:2379']);
});

test('external etcd: its endpoints and files, and no local etcd paths', async () => {
  const withTLS = config(`etcd:
  external:
    endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379]
    caFile: /etc/etcd/ca.pem
    certFile: /etc/etcd/client.pem
    keyFile: /etc/etcd/client-key.pem
`);
  const { command } = await build('kube-apiserver', withTLS);
  assert.deepEqual(flags(command, 'etcd-servers'), ['--etcd-servers=https://10.0.0.1:2379,https://10.0.0.2:2379']);
  assert.deepEqual(flags(command, 'etcd-cafile'), ['--etcd-cafile=/etc/etcd/ca.pem']);
  assert.deepEqual(flags(command, 'etcd-certfile'), ['--etcd-certfile=/etc/etcd/client.pem']);
  assert.deepEqual(flags(command, 'etcd-keyfile'), ['--etcd-keyfile=/etc/etcd/client-key.pem']);

  const caOnly = await build('kube-apiserver', config('etcd:\n  external:\n    endpoints: [https://10.0.0.1:2379]\n    caFile: /etc/etcd/ca.pem\n'));
  assert.deepEqual(flags(caOnly.command, 'etcd-cafile'), ['--etcd-cafile=/etc/etcd/ca.pem']);
  assert.deepEqual([...flags(caOnly.command, 'etcd-certfile'), ...flags(caOnly.command, 'etcd-keyfile')], []);

  const plain = await build('kube-apiserver', config('etcd:\n  external:\n    endpoints: [http://10.0.0.1:2379]\n'));
  assert.deepEqual(plain.command.filter((a) => a.startsWith('--etcd-')), ['--etcd-servers=http://10.0.0.1:2379']);
});

test('the service subnet (dual-stack too), DNS domain and bind port reach the API server flags', async () => {
  const yaml = config('networking:\n  serviceSubnet: 10.96.0.0/16,fd00:96::/108\n  dnsDomain: corp.example\n')
    .replace('  advertiseAddress: 192.0.2.10\n', '  advertiseAddress: 192.0.2.10\n  bindPort: 8443\n');
  const { command, container, pod } = await build('kube-apiserver', yaml);
  assert.deepEqual(flags(command, 'service-cluster-ip-range'), ['--service-cluster-ip-range=10.96.0.0/16,fd00:96::/108']);
  assert.deepEqual(flags(command, 'service-account-issuer'), ['--service-account-issuer=https://kubernetes.default.svc.corp.example']);
  assert.deepEqual(flags(command, 'secure-port'), ['--secure-port=8443']);
  assert.equal(container['ports'][0].containerPort, 8443);
  assert.equal(pod['metadata'].annotations[advertiseAddressAnnotation], '192.0.2.10:8443');
});

test('no feature gate of kubeadm\'s own becomes a component flag', async () => {
  const { input } = await inputFor(config('featureGates:\n  ControlPlaneKubeletLocalMode: false\n  WaitForAllControlPlaneComponents: true\n'));
  for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const) {
    assert.deepEqual(flags(manifestCommand(controlPlanePod(c, input)), 'feature-gates'), [], c);
  }
});

// --- authorization modes ---

test('authorization-mode defaults to Node,RBAC without a warning', async () => {
  const { command, warnings } = await build('kube-apiserver', config());
  assert.deepEqual(flags(command, 'authorization-mode'), ['--authorization-mode=Node,RBAC']);
  assert.deepEqual(warnings, []);
});

test('an authorization-config extra arg leaves authorization-mode out entirely', async () => {
  const yaml = config('apiServer:\n  extraArgs:\n  - {name: authorization-config, value: /etc/kubernetes/authz.yaml}\n');
  const { command, warnings } = await build('kube-apiserver', yaml);
  assert.deepEqual(flags(command, 'authorization-mode'), []);
  assert.deepEqual(flags(command, 'authorization-config'), ['--authorization-config=/etc/kubernetes/authz.yaml']);
  assert.deepEqual(warnings, []);
});

test('unknown authorization modes are dropped with kubeadm\'s warnings, and the rest is used', async () => {
  const yaml = config('apiServer:\n  extraArgs:\n  - {name: authorization-mode, value: "Node,Bogus,RBAC,Webhook"}\n');
  const { command, warnings } = await build('kube-apiserver', yaml);
  assert.deepEqual(flags(command, 'authorization-mode'), ['--authorization-mode=Node,RBAC,Webhook']);
  assert.deepEqual(warnings, [
    'ignoring unknown kube-apiserver authorization-mode "Bogus"',
    'the default kube-apiserver authorization-mode is "Node,RBAC"; using "Node,RBAC,Webhook"',
  ]);
});

test('authorization modes: none valid falls back to Node,RBAC; the default itself or order changes', () => {
  const warnings: string[] = [];
  assert.equal(authorizationModes('Foo,Bar', (m) => warnings.push(m)), 'Node,RBAC');
  assert.equal(warnings.length, 2);
  warnings.length = 0;
  assert.equal(authorizationModes('Node,RBAC', (m) => warnings.push(m)), 'Node,RBAC');
  assert.equal(warnings.length, 0);
  assert.equal(authorizationModes('RBAC,Node', (m) => warnings.push(m)), 'RBAC,Node');
  assert.deepEqual(warnings, ['the default kube-apiserver authorization-mode is "Node,RBAC"; using "RBAC,Node"']);
  assert.equal(authorizationModes('', () => assert.fail('no warning for an empty value')), 'Node,RBAC');
});

// --- extraArgs forms ---

test('v1beta4 extraArgs: a given name replaces every default of that name; repeated names are all kept, sorted', async () => {
  const yaml = config(`apiServer:
  extraArgs:
  - {name: enable-admission-plugins, value: "NodeRestriction,AlwaysPullImages"}
  - {name: tls-cipher-suites, value: B}
  - {name: tls-cipher-suites, value: A}
`);
  const { command } = await build('kube-apiserver', yaml);
  assert.deepEqual(flags(command, 'enable-admission-plugins'), ['--enable-admission-plugins=NodeRestriction,AlwaysPullImages']);
  assert.deepEqual(flags(command, 'tls-cipher-suites'), ['--tls-cipher-suites=A', '--tls-cipher-suites=B']);
  const names = command.slice(1).map((a) => a.slice(2, a.indexOf('=')));
  assert.deepEqual(names, [...names].sort());
});

test('v1beta3 extraArgs maps work the same way', async () => {
  const yaml = `apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
nodeRegistration:
  name: node-1
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
apiServer:
  extraArgs:
    audit-log-path: /var/log/audit.log
    authorization-mode: Node,RBAC,Bogus
controllerManager:
  extraArgs:
    bind-address: 0.0.0.0
    terminated-pod-gc-threshold: "100"
scheduler:
  extraArgs:
    leader-elect: "false"
`;
  const api = await build('kube-apiserver', yaml);
  assert.deepEqual(flags(api.command, 'audit-log-path'), ['--audit-log-path=/var/log/audit.log']);
  assert.deepEqual(flags(api.command, 'authorization-mode'), ['--authorization-mode=Node,RBAC']);
  assert.deepEqual(api.warnings, ['ignoring unknown kube-apiserver authorization-mode "Bogus"']);
  const kcm = await build('kube-controller-manager', yaml);
  assert.deepEqual(flags(kcm.command, 'bind-address'), ['--bind-address=0.0.0.0']);
  assert.deepEqual(flags(kcm.command, 'terminated-pod-gc-threshold'), ['--terminated-pod-gc-threshold=100']);
  assert.equal(kcm.container['livenessProbe'].httpGet.host, undefined);
  const sched = await build('kube-scheduler', yaml);
  assert.deepEqual(flags(sched.command, 'leader-elect'), ['--leader-elect=false']);
});

// --- kube-controller-manager flags ---

test('a pod subnet turns on node CIDR allocation from it, with the service range', async () => {
  const without = await build('kube-controller-manager', config());
  for (const n of ['allocate-node-cidrs', 'cluster-cidr', 'service-cluster-ip-range']) assert.deepEqual(flags(without.command, n), [], n);
  const dual = await build('kube-controller-manager', config('networking:\n  podSubnet: 10.244.0.0/16,fd00:244::/56\n  serviceSubnet: 10.96.0.0/16,fd00:96::/108\n'));
  assert.deepEqual(flags(dual.command, 'allocate-node-cidrs'), ['--allocate-node-cidrs=true']);
  assert.deepEqual(flags(dual.command, 'cluster-cidr'), ['--cluster-cidr=10.244.0.0/16,fd00:244::/56']);
  assert.deepEqual(flags(dual.command, 'service-cluster-ip-range'), ['--service-cluster-ip-range=10.96.0.0/16,fd00:96::/108']);
});

test('the controller manager gets the cluster name, and signs with ca.crt/ca.key unless the CA is external', async () => {
  const own = await build('kube-controller-manager', config('clusterName: prod\n'));
  assert.deepEqual(flags(own.command, 'cluster-name'), ['--cluster-name=prod']);
  assert.deepEqual(flags(own.command, 'cluster-signing-cert-file'), ['--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt']);
  assert.deepEqual(flags(own.command, 'cluster-signing-key-file'), ['--cluster-signing-key-file=/etc/kubernetes/pki/ca.key']);
  const external = await build('kube-controller-manager', config(), { externalCA: true });
  assert.deepEqual(flags(external.command, 'cluster-signing-cert-file'), ['--cluster-signing-cert-file=']);
  assert.deepEqual(flags(external.command, 'cluster-signing-key-file'), ['--cluster-signing-key-file=']);
  assert.deepEqual(flags(external.command, 'root-ca-file'), ['--root-ca-file=/etc/kubernetes/pki/ca.crt']);
});
