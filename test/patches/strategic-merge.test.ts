import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultClusterConfiguration } from '../../src/config/default-configs.js';
import { kubeletConfiguration } from '../../src/config/encode-component-configs.js';
import { kubeletConfigurationSchema, podSchema } from '../../src/patches/patch-schemas.js';
import { InvalidPatchError, strategicMerge } from '../../src/patches/strategic-merge.js';
import { apiServerPod } from './pods.js';

// Loose typing keeps the deep assertions readable.
type Json = Record<string, any>;

const container = (pod: Json): Json => pod['spec']['containers'][0];
const names = (list: Json[], key = 'name'): unknown[] => list.map((e) => e[key]);

test('a volume and its mount are added; new items come first, kept items keep their order', () => {
  const pod = apiServerPod();
  const out = strategicMerge(pod, {
    spec: {
      volumes: [{ name: 'audit', hostPath: { path: '/var/log/kubernetes', type: 'DirectoryOrCreate' } }],
      containers: [{ name: 'kube-apiserver', volumeMounts: [{ name: 'audit', mountPath: '/var/log/kubernetes' }] }],
    },
  }, podSchema) as Json;
  assert.deepEqual(names(out['spec']['volumes']), [
    'audit', 'ca-certs', 'etc-ca-certificates', 'k8s-certs', 'usr-local-share-ca-certificates', 'usr-share-ca-certificates',
  ]);
  assert.deepEqual(names(container(out)['volumeMounts'], 'mountPath'), [
    '/var/log/kubernetes', '/etc/ssl/certs', '/etc/ca-certificates', '/etc/kubernetes/pki', '/usr/local/share/ca-certificates',
    '/usr/share/ca-certificates',
  ]);
  // Everything else of the container is untouched, and the input is not changed.
  assert.equal(container(out)['image'], 'registry.k8s.io/kube-apiserver:v1.34.1');
  assert.equal(container(out)['command'].length, 10);
  assert.equal(container(pod as Json)['volumeMounts'].length, 5);
});

test('items merge by their merge key: env by name, ports by containerPort, mounts by mountPath', () => {
  const out = strategicMerge(apiServerPod(), {
    spec: {
      containers: [{
        name: 'kube-apiserver',
        env: [{ name: 'NO_PROXY', value: '10.0.0.0/8,.svc' }, { name: 'HTTPS_PROXY', $patch: 'delete' }, { name: 'GOGC', value: '50' }],
        ports: [{ containerPort: 6443, hostPort: 6443 }],
        volumeMounts: [{ mountPath: '/etc/kubernetes/pki', readOnly: false }],
        resources: { limits: { memory: '2Gi' } },
      }],
    },
  }, podSchema) as Json;
  const c = container(out);
  assert.deepEqual(c['env'], [{ name: 'NO_PROXY', value: '10.0.0.0/8,.svc' }, { name: 'GOGC', value: '50' }]);
  assert.deepEqual(c['ports'], [{ containerPort: 6443, hostPort: 6443, name: 'probe-port', protocol: 'TCP' }]);
  assert.deepEqual(c['volumeMounts'][2], { mountPath: '/etc/kubernetes/pki', name: 'k8s-certs', readOnly: false });
  assert.deepEqual(c['resources'], { requests: { cpu: '250m' }, limits: { memory: '2Gi' } });
});

test('command has no merge key: a patch replaces the whole list, so it must repeat every flag', () => {
  const out = strategicMerge(apiServerPod(), {
    spec: { containers: [{ name: 'kube-apiserver', command: ['kube-apiserver', '--v=4'] }] },
  }, podSchema) as Json;
  assert.deepEqual(container(out)['command'], ['kube-apiserver', '--v=4']);
});

test('null deletes a key; nulls inside a value the target lacks are dropped', () => {
  const out = strategicMerge(apiServerPod(), {
    metadata: { annotations: null, labels: { tier: null, team: 'platform' } },
    spec: { priority: null, dnsPolicy: 'ClusterFirstWithHostNet', nodeSelector: { a: 'b', c: null } },
  }, podSchema) as Json;
  assert.equal('annotations' in out['metadata'], false);
  assert.deepEqual(out['metadata']['labels'], { component: 'kube-apiserver', team: 'platform' });
  assert.equal('priority' in out['spec'], false);
  assert.deepEqual(out['spec']['nodeSelector'], { a: 'b' });
  assert.equal(out['spec']['dnsPolicy'], 'ClusterFirstWithHostNet');
});

test('$patch: replace and $patch: delete, in lists and in objects', () => {
  const replaced = strategicMerge(apiServerPod(), {
    spec: { volumes: [{ name: 'only', emptyDir: {} }, { $patch: 'replace' }], securityContext: { $patch: 'replace', runAsUser: 0 } },
  }, podSchema) as Json;
  assert.deepEqual(replaced['spec']['volumes'], [{ name: 'only', emptyDir: {} }]);
  assert.deepEqual(replaced['spec']['securityContext'], { runAsUser: 0 });
  const deleted = strategicMerge(apiServerPod(), {
    spec: { volumes: [{ name: 'k8s-certs', $patch: 'delete' }], containers: [{ name: 'kube-apiserver', resources: { $patch: 'delete' } }] },
  }, podSchema) as Json;
  assert.equal(names(deleted['spec']['volumes']).includes('k8s-certs'), false);
  assert.equal(deleted['spec']['volumes'].length, 4);
  assert.deepEqual(container(deleted)['resources'], {});
  // A directive inside a value the target does not have is dropped with its object.
  const added = strategicMerge(apiServerPod(), { spec: { affinity: { nodeAffinity: { $patch: 'replace', x: 1 }, podAffinity: { a: 1 } } } }, podSchema) as Json;
  assert.deepEqual(added['spec']['affinity'], { podAffinity: { a: 1 } });
});

test('$retainKeys clears the keys it does not list (a volume switching source)', () => {
  const out = strategicMerge(apiServerPod(), {
    spec: { volumes: [{ name: 'ca-certs', emptyDir: { medium: 'Memory' }, $retainKeys: ['name', 'emptyDir'] }] },
  }, podSchema) as Json;
  assert.deepEqual(out['spec']['volumes'][0], { name: 'ca-certs', emptyDir: { medium: 'Memory' } });
  assert.throws(() => strategicMerge(apiServerPod(), { spec: { $retainKeys: ['volumes'], hostNetwork: false } }, podSchema),
    /sets "hostNetwork" but its \$retainKeys list does not name it/);
});

test('lists of scalars with merge strategy: union, $deleteFromPrimitiveList, $setElementOrder', () => {
  const pod = { metadata: { finalizers: ['a', 'b'] }, spec: { containers: [{ name: 'x' }, { name: 'y' }, { name: 'z' }] } };
  assert.deepEqual((strategicMerge(pod, { metadata: { finalizers: ['c', 'a'] } }, podSchema) as Json)['metadata']['finalizers'], ['c', 'a', 'b']);
  assert.deepEqual((strategicMerge(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, podSchema) as Json)['metadata']['finalizers'], ['b']);
  assert.deepEqual((strategicMerge(pod, { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } }, podSchema) as Json)['metadata']['finalizers'], ['b', 'a']);
  const ordered = strategicMerge(pod, {
    spec: { '$setElementOrder/containers': [{ name: 'z' }, { name: 'w' }, { name: 'x' }, { name: 'y' }], containers: [{ name: 'w', image: 'w' }] },
  }, podSchema) as Json;
  assert.deepEqual(names(ordered['spec']['containers']), ['z', 'w', 'x', 'y']);
  assert.throws(() => strategicMerge(pod, { spec: { '$setElementOrder/containers': [{ name: 'x' }], containers: [{ name: 'w' }] } }, podSchema),
    /not in the order \$setElementOrder\/containers gives/);
});

test('without merge keys (KubeletConfiguration) objects merge and lists are replaced', () => {
  const { document } = kubeletConfiguration(defaultClusterConfiguration());
  const out = strategicMerge(document, {
    clusterDNS: ['169.254.20.10'],
    evictionHard: { 'memory.available': '200Mi' },
    authentication: { webhook: { cacheTTL: '1m0s' } },
    cgroupDriver: 'cgroupfs',
  }, kubeletConfigurationSchema) as Json;
  assert.deepEqual(out['clusterDNS'], ['169.254.20.10']);
  assert.deepEqual(out['evictionHard'], { 'memory.available': '200Mi' });
  assert.equal(out['authentication']['webhook']['enabled'], true);
  assert.equal(out['authentication']['webhook']['cacheTTL'], '1m0s');
  assert.equal(out['authentication']['x509']['clientCAFile'], '/etc/kubernetes/pki/ca.crt');
  assert.equal(out['cgroupDriver'], 'cgroupfs');
  assert.equal(out['kind'], 'KubeletConfiguration');
});

test('a null patch (a comment-only document) changes nothing', () => {
  assert.deepEqual(strategicMerge(apiServerPod(), null, podSchema), apiServerPod());
});

test('patches that cannot apply are InvalidPatchError with the reason', () => {
  const cases: [unknown, RegExp][] = [
    [['not', 'an', 'object'], /must be an object/],
    [{ spec: { volumes: [{ hostPath: { path: '/x' } }] } }, /a list item has no "name", the key its list merges on/],
    [{ spec: { volumes: [{ $patch: 'delete' }] } }, /has no "name"/],
    [{ spec: { volumes: [{ name: 'a', $patch: 'merge' }] } }, /"\$patch: merge" is not supported in a list/],
    [{ spec: { volumes: [{ name: 'a', $patch: 'drop' }] } }, /unknown directive "\$patch: drop" in a list item/],
    [{ spec: { securityContext: { $patch: 'nope' } } }, /unknown directive "\$patch: nope" in an object/],
    [{ spec: { volumes: ['a-string'] } }, /mixes items of different types/],
    [{ spec: { $retainKeys: 'containers' } }, /\$retainKeys must be a list/],
    [{ spec: { $deleteFromPrimitiveList: ['x'] } }, /must have the form \$deleteFromPrimitiveList\/<field>/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(() => strategicMerge(apiServerPod(), patch, podSchema), (e: unknown) => e instanceof InvalidPatchError && message.test(e.message),
      JSON.stringify(patch));
  }
});
