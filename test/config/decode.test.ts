import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfigDocuments } from '../../src/config/decode.js';
import { formatProblem } from '../../src/errors.js';

const v4 = 'apiVersion: kubeadm.k8s.io/v1beta4\n';
const v3 = 'apiVersion: kubeadm.k8s.io/v1beta3\n';
const problems = (text: string) => readConfigDocuments(text, 'k.yaml').problems.map(formatProblem);

test('old kubeadm API versions name the kubeadm release that can migrate them', () => {
  const cases: [string, string][] = [
    ['v1alpha1', 'v1.11'],
    ['v1alpha2', 'v1.12'],
    ['v1alpha3', 'v1.14'],
    ['v1beta1', 'v1.15'],
    ['v1beta2', 'v1.22'],
  ];
  for (const [version, release] of cases) {
    assert.deepEqual(problems(`apiVersion: kubeadm.k8s.io/${version}\nkind: ClusterConfiguration\n`), [
      `k.yaml:1:13, document 1 (ClusterConfiguration), apiVersion: your configuration file uses an old API spec: "kubeadm.k8s.io/${version}" (kind: "ClusterConfiguration"). ` +
        `Please use kubeadm ${release} instead and run 'kubeadm config migrate --old-config old-config-file --new-config new-config-file', ` +
        'which will write the new, similar spec using a newer API version.',
    ]);
  }
});

test('v1alpha1 MasterConfiguration is refused (kubeadm config validate would let it through, corpus 011)', () => {
  assert.match(problems('apiVersion: kubeadm.k8s.io/v1alpha1\nkind: MasterConfiguration\n')[0]!, /old API spec: "kubeadm.k8s.io\/v1alpha1" \(kind: "MasterConfiguration"\)/);
});

test('unknown kinds and groups are "unknown configuration APIs"', () => {
  assert.deepEqual(problems(`${v4}kind: MasterConfiguration\n`), [
    'k.yaml:1:13, document 1 (MasterConfiguration), apiVersion: unknown configuration APIs: kubeadm.k8s.io/v1beta4 MasterConfiguration ' +
      '(kubeadm.k8s.io/v1beta4 has InitConfiguration, ClusterConfiguration, JoinConfiguration, ResetConfiguration and UpgradeConfiguration)',
  ]);
  assert.match(problems(`${v3}kind: ResetConfiguration\n`)[0]!, /unknown configuration APIs: kubeadm.k8s.io\/v1beta3 ResetConfiguration/);
  assert.match(problems(`${v3}kind: UpgradeConfiguration\n`)[0]!, /unknown configuration APIs: kubeadm.k8s.io\/v1beta3 UpgradeConfiguration/);
  assert.deepEqual(problems('apiVersion: kubelet.config.k8s.io/v1\nkind: KubeletConfiguration\n'), [
    'k.yaml:1:13, document 1 (KubeletConfiguration), apiVersion: unknown configuration APIs: kubelet.config.k8s.io/v1 KubeletConfiguration',
  ]);
});

test('a document without apiVersion or kind is refused with kubeadm\'s sentence', () => {
  assert.deepEqual(problems('kind: ClusterConfiguration\nnetworking: {}\n'), [
    'k.yaml:1:1, document 1 (ClusterConfiguration): invalid configuration for GroupVersionKind /, Kind=ClusterConfiguration: kind and apiVersion is mandatory information that must be specified',
  ]);
  assert.deepEqual(problems(`# header comment\n---\n${v4}kind: ClusterConfiguration\n`), [
    'k.yaml:1:1, document 1: invalid configuration for GroupVersionKind /, Kind=: kind and apiVersion is mandatory information that must be specified',
  ]);
});

test('the same kind twice is refused', () => {
  assert.deepEqual(problems(`${v4}kind: ClusterConfiguration\n---\n${v4}kind: ClusterConfiguration\n`), [
    'k.yaml:5:7, document 2 (ClusterConfiguration), kind: invalid configuration: kind "ClusterConfiguration" is specified twice in YAML file (also document 1)',
  ]);
});

test('unknown fields are errors at the key, with a case hint (corpus 031, 032)', () => {
  assert.deepEqual(problems(`${v4}kind: ClusterConfiguration\nkubernetesVersion: v1.34.0\nfoo: bar\n`), [
    'k.yaml:4:1, document 1 (ClusterConfiguration), foo: unknown field "foo"',
  ]);
  assert.deepEqual(problems(`${v4}kind: ClusterConfiguration\nControlPlaneEndpoint: x\n`), [
    'k.yaml:3:1, document 1 (ClusterConfiguration), ControlPlaneEndpoint: unknown field "ControlPlaneEndpoint" (field names are case-sensitive: did you mean "controlPlaneEndpoint"?)',
  ]);
  assert.deepEqual(problems(`${v4}kind: InitConfiguration\nnodeRegistration:\n  nme: a\n`), [
    'k.yaml:4:3, document 1 (InitConfiguration), nodeRegistration.nme: unknown field "nme"',
  ]);
  // The hint names a field of the same mapping: nested ones are found, other levels' are not offered.
  assert.deepEqual(problems(`${v4}kind: InitConfiguration\nlocalAPIEndpoint:\n  AdvertiseAddress: 10.0.0.1\n`), [
    'k.yaml:4:3, document 1 (InitConfiguration), localAPIEndpoint.AdvertiseAddress: unknown field "AdvertiseAddress" (field names are case-sensitive: did you mean "advertiseAddress"?)',
  ]);
  assert.deepEqual(problems(`${v4}kind: ClusterConfiguration\nPodSubnet: 10.244.0.0/16\n`), [
    'k.yaml:3:1, document 1 (ClusterConfiguration), PodSubnet: unknown field "PodSubnet"',
  ]);
});

test('fields of the other API version get a pointer to the right place', () => {
  assert.deepEqual(problems(`${v4}kind: ClusterConfiguration\napiServer:\n  timeoutForControlPlane: 4m\n`), [
    'k.yaml:4:3, document 1 (ClusterConfiguration), apiServer.timeoutForControlPlane: unknown field "timeoutForControlPlane" (v1beta4 moved it to InitConfiguration timeouts.controlPlaneComponentHealthCheck)',
  ]);
  assert.deepEqual(problems(`${v3}kind: ClusterConfiguration\nproxy:\n  disabled: true\n`), [
    'k.yaml:3:1, document 1 (ClusterConfiguration), proxy: unknown field "proxy" (a v1beta4 field: set apiVersion: kubeadm.k8s.io/v1beta4)',
  ]);
});

test('wrong types are errors at the value (corpus 029, and a v1beta3 map under v1beta4)', () => {
  assert.deepEqual(problems(`${v3}kind: ClusterConfiguration\netcd:\n  local:\n    extraArgs:\n      election-timeout: 1000\n`), [
    'k.yaml:6:25, document 1 (ClusterConfiguration), etcd.local.extraArgs.election-timeout: cannot unmarshal the number 1000: expected a string: quote the value',
  ]);
  assert.deepEqual(problems(`${v4}kind: ClusterConfiguration\napiServer:\n  extraArgs:\n    audit-log-path: /var/log/audit.log\n`), [
    'k.yaml:5:5, document 1 (ClusterConfiguration), apiServer.extraArgs: cannot unmarshal a mapping: expected a list: v1beta4 takes a list of "- name: <flag>" / "value: <value>" entries; a name: value map is the v1beta3 form',
  ]);
  assert.deepEqual(problems(`${v4}kind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: "6443"\n`), [
    'k.yaml:4:13, document 1 (InitConfiguration), localAPIEndpoint.bindPort: cannot unmarshal the string "6443": expected a number',
  ]);
  assert.deepEqual(problems(`${v4}kind: ClusterConfiguration\nnetworking:\n  dnsDomain:\n  - a\n`), [
    'k.yaml:5:3, document 1 (ClusterConfiguration), networking.dnsDomain: cannot unmarshal a list: expected a string',
  ]);
  assert.deepEqual(problems(`${v4}kind: JoinConfiguration\ndiscovery:\n  bootstrapToken:\n    unsafeSkipCAVerification: "yes"\n`), [
    'k.yaml:5:31, document 1 (JoinConfiguration), discovery.bootstrapToken.unsafeSkipCAVerification: cannot unmarshal the string "yes": expected true or false: write true or false without quotes',
  ]);
});

test('durations must be Go durations', () => {
  assert.deepEqual(problems(`${v4}kind: InitConfiguration\nbootstrapTokens:\n- ttl: 1 day\n`), [
    'k.yaml:4:8, document 1 (InitConfiguration), bootstrapTokens[0].ttl: not a valid duration: use a Go duration such as 30s, 5m0s or 24h0m0s',
  ]);
});

test('every problem of every document is reported in one run', () => {
  const text = `${v4}kind: InitConfiguration\nfoo: 1\nbar: 2\n---\n${v4}kind: ClusterConfiguration\nbaz: 3\n---\napiVersion: kubeadm.k8s.io/v1beta2\nkind: JoinConfiguration\n`;
  assert.equal(problems(text).length, 4);
});

test('null values mean "not set", as in Go (corpus 016: a key with only a commented child)', () => {
  const r = readConfigDocuments(`${v4}kind: ClusterConfiguration\napiServer:\n  # certSANs: []\ncontrollerManager: {}\n`, 'k.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.documents[0], {
    group: 'kubeadm', kind: 'ClusterConfiguration', sourceVersion: 'v1beta4', index: 1, apiVersion: 'kubeadm.k8s.io/v1beta4',
    doc: { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', controllerManager: {} },
  });
});

test('component configs are kept as given', () => {
  const r = readConfigDocuments('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nanything: [1]\n', 'k.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.documents[0]!.doc, { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'systemd', anything: [1] });
});

test('v1beta3 is accepted with one deprecation warning naming its kinds', () => {
  const r = readConfigDocuments(`${v3}kind: InitConfiguration\n---\n${v3}kind: ClusterConfiguration\n`, 'k.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.warnings, [
    'your configuration file uses a deprecated API spec: "kubeadm.k8s.io/v1beta3" (kind: "InitConfiguration", "ClusterConfiguration"). ' +
      "Please use 'tskubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.",
  ]);
});

test('locate() points later problems at their line', () => {
  const r = readConfigDocuments(`${v4}kind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.96.0.0/33\n`, 'k.yaml');
  assert.deepEqual(r.locate('ClusterConfiguration', ['networking', 'serviceSubnet']), {
    file: 'k.yaml', document: 1, kind: 'ClusterConfiguration', line: 4, column: 18, field: 'networking.serviceSubnet',
  });
  // A path that is not in the file falls back to its nearest written ancestor.
  assert.equal(r.locate('ClusterConfiguration', ['networking', 'podSubnet']).line, 4);
});

test('an empty apiVersion counts as missing; a non-string one is refused', () => {
  assert.match(problems('apiVersion:\nkind: InitConfiguration\n')[0]!, /Kind=InitConfiguration: kind and apiVersion is mandatory/);
  assert.deepEqual(problems('apiVersion: 1\nkind: InitConfiguration\n'), ['k.yaml:1:13, document 1 (InitConfiguration), apiVersion: apiVersion must be a string']);
});
