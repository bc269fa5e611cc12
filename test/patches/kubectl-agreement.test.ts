// Our patch code against the real thing: every case is applied by applyPatch and by
// `kubectl patch --local` (apimachinery + evanphx/json-patch, as in kubeadm), and both must agree on
// the result, list order included, or both refuse the patch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch } from '../../src/patches/apply-patch.js';
import type { PatchType } from '../../src/patches/patch-files.js';
import { podSchema } from '../../src/patches/patch-schemas.js';
import { kubectlMissing, kubectlPatch } from './kubectl-oracle.js';
import { apiServerPod } from './pods.js';

const pod = (): Record<string, unknown> => {
  const p = apiServerPod() as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  p.metadata['finalizers'] = ['a', 'b'];
  p.spec['tolerations'] = [{ operator: 'Exists' }];
  return p;
};
const c = (fields: Record<string, unknown>) => ({ spec: { containers: [{ name: 'kube-apiserver', ...fields }] } });

const strategic: Record<string, unknown> = {
  'add a volume': { spec: { volumes: [{ name: 'z', hostPath: { path: '/z' } }] } },
  'change a volume': { spec: { volumes: [{ name: 'k8s-certs', hostPath: { path: '/srv/pki' } }] } },
  'add and change, patch order': { spec: { volumes: [{ name: 'z', emptyDir: {} }, { name: 'ca-certs', hostPath: { path: '/x' } }, { name: 'a', emptyDir: {} }] } },
  'change two in reverse order': { spec: { volumes: [{ name: 'usr-share-ca-certificates', emptyDir: {} }, { name: 'ca-certs', emptyDir: {} }] } },
  'delete a volume': { spec: { volumes: [{ name: 'k8s-certs', $patch: 'delete' }] } },
  'replace the volumes': { spec: { volumes: [{ name: 'q', emptyDir: {} }, { $patch: 'replace' }] } },
  'retainKeys': { spec: { volumes: [{ name: 'ca-certs', emptyDir: {}, $retainKeys: ['name', 'emptyDir'] }] } },
  'env merge and delete': c({ env: [{ name: 'GOGC', value: '50' }, { name: 'NO_PROXY', value: 'x' }, { name: 'HTTPS_PROXY', $patch: 'delete' }] }),
  'command replaced': c({ command: ['kube-apiserver', '--v=4'] }),
  'ports merged': c({ ports: [{ containerPort: 8443, name: 'alt' }, { containerPort: 6443, hostPort: 6443 }] }),
  'mounts merged by mountPath': c({ volumeMounts: [{ mountPath: '/etc/kubernetes/pki', readOnly: false }, { mountPath: '/z', name: 'z' }] }),
  'a new container': { spec: { containers: [{ name: 'side', image: 'busybox', env: [{ name: 'X', value: null }] }] } },
  'nulls': { spec: { hostNetwork: null, nodeSelector: { a: 'b', c: null } }, metadata: { labels: { tier: null, team: 'x' } } },
  'tolerations replaced': { spec: { tolerations: [{ key: 'k', operator: 'Equal', value: 'v' }] } },
  'finalizers merged': { metadata: { finalizers: ['c', 'a'] } },
  'finalizers deleted': { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
  'object replaced': c({ resources: { $patch: 'replace', limits: { cpu: '1' } } }),
  'object deleted': c({ resources: { $patch: 'delete' } }),
  'element order': { spec: { '$setElementOrder/volumes': [{ name: 'k8s-certs' }, { name: 'ca-certs' }, { name: 'etc-ca-certificates' }] } },
  'element order with an addition': { spec: { '$setElementOrder/volumes': [{ name: 'k8s-certs' }, { name: 'z' }], volumes: [{ name: 'z', emptyDir: {} }] } },
  'scalar type change': { spec: { hostNetwork: 'yes' } },
  'directives in new values': { spec: { affinity: { nodeAffinity: { $patch: 'replace' }, podAffinity: { a: 1, b: null } } } },
  'comment-only document': null,
  'delete a flag from command': c({ '$deleteFromPrimitiveList/command': ['--secure-port=6443'] }),
  'delete from a missing list': c({ '$deleteFromPrimitiveList/args': ['x'] }),
  'primitive order with an addition': { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'], finalizers: ['c'] } },
  'spec replaced': { spec: { $patch: 'replace', containers: [{ name: 'only' }] } },
  'env item without name': c({ env: [{ value: 'x' }] }),
  'init container added': { spec: { initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }] } },
  'annotations merged': { metadata: { annotations: { 'example.com/a': 'b' } } },
  'missing merge key': { spec: { volumes: [{ emptyDir: {} }] } },
  'unknown list directive': { spec: { volumes: [{ name: 'a', $patch: 'drop' }] } },
  'merge directive in a list': { spec: { volumes: [{ name: 'a', $patch: 'merge' }] } },
  'unknown object directive': { spec: { securityContext: { $patch: 'nope' } } },
  'mixed item types': { spec: { volumes: ['x'] } },
  'not an object': ['x'],
  'retainKeys not naming a set key': { spec: { $retainKeys: ['volumes'], hostNetwork: false } },
};

const merge: Record<string, unknown> = {
  'change and delete': { metadata: { labels: { tier: null, team: 'x' } }, spec: { hostNetwork: false, priority: null } },
  'lists replaced': { spec: { volumes: [{ name: 'only', emptyDir: {} }] } },
  'new object with nulls': { spec: { nodeSelector: { a: 'b', c: null } } },
  'null patch': null,
  'list patch': [{ a: 1 }],
};

const json: Record<string, unknown> = {
  'add a flag': [{ op: 'add', path: '/spec/containers/0/command/-', value: '--v=4' }],
  'replace, remove, test': [
    { op: 'test', path: '/spec/hostNetwork', value: true },
    { op: 'replace', path: '/spec/containers/0/image', value: 'mirror/kube-apiserver:v1.34.1' },
    { op: 'remove', path: '/spec/volumes/0' },
  ],
  'move and copy': [{ op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' }, { op: 'move', from: '/spec/priority', path: '/spec/x' }],
  'escaped pointer': [{ op: 'add', path: '/metadata/annotations/example.com~1key', value: 'v' }],
  'null patch': null,
  'failed test': [{ op: 'test', path: '/spec/hostNetwork', value: false }],
  'remove a missing key': [{ op: 'remove', path: '/spec/nothing' }],
  'replace a missing key': [{ op: 'replace', path: '/spec/nothing', value: 1 }],
  'add under a missing parent': [{ op: 'add', path: '/spec/none/deeper', value: 1 }],
  'index past the end': [{ op: 'add', path: '/spec/volumes/99', value: {} }],
  'unknown op': [{ op: 'frobnicate', path: '/spec' }],
  'replace a missing list index': [{ op: 'replace', path: '/spec/volumes/9', value: {} }],
  'test a missing path': [{ op: 'test', path: '/spec/nothing', value: null }],
  'test null value': [{ op: 'test', path: '/spec/hostNetwork', value: null }],
  'add without value': [{ op: 'add', path: '/spec/x' }],
  'add at the end index': [{ op: 'add', path: '/spec/volumes/5', value: { name: 'e', emptyDir: {} } }],
  'negative index': [{ op: 'remove', path: '/spec/volumes/-1' }],
  'remove the root': [{ op: 'remove', path: '' }],
  'replace the root': [{ op: 'replace', path: '', value: { ...pod(), metadata: { name: 'other' } } }],
  'copy to a missing parent': [{ op: 'copy', from: '/spec/priority', path: '/none/x' }],
  'move from a missing path': [{ op: 'move', from: '/spec/none', path: '/spec/x' }],
  'op without path': [{ op: 'add', value: 1 }],
  'numeric string key in an object': [{ op: 'add', path: '/metadata/labels/0', value: 'zero' }],
  'add at a negative index': [{ op: 'add', path: '/spec/containers/0/command/-1', value: '--v=4' }],
  'add at -length-1': [{ op: 'add', path: '/spec/volumes/-6', value: { name: 'first' } }],
  'add before the start': [{ op: 'add', path: '/spec/volumes/-7', value: { name: 'first' } }],
  'plus-signed index': [{ op: 'remove', path: '/spec/volumes/+1' }],
  'move from a negative index': [{ op: 'move', from: '/spec/volumes/-1', path: '/spec/volumes/0' }],
  'test null against a value': [{ op: 'test', path: '/spec/hostNetwork' }],
  'test a value against null': [{ op: 'add', path: '/spec/n', value: null }, { op: 'test', path: '/spec/n', value: 1 }],
  'test deep equal': [{ op: 'test', path: '/metadata/labels', value: { tier: 'control-plane', component: 'kube-apiserver' } }],
  'replace without value': [{ op: 'replace', path: '/spec/priority' }],
  'remove from a missing parent': [{ op: 'remove', path: '/spec/none/x' }],
  'leading zero index': [{ op: 'replace', path: '/spec/volumes/01', value: {} }],
  'not a list': { op: 'add', path: '/a', value: 1 },
};

/** Where we and kubectl part ways on one case; undefined when we agree. */
function disagreement(type: PatchType, name: string, patch: unknown): string | undefined {
  const want = kubectlPatch(pod(), type, patch);
  let got: { ok: true; doc: unknown } | { ok: false; error: string };
  try {
    got = { ok: true, doc: applyPatch(pod(), type, patch, podSchema) };
  } catch (err) {
    got = { ok: false, error: (err as Error).message };
  }
  if (!want.ok || !got.ok) {
    if (got.ok === want.ok) return undefined;
    return `${type} "${name}": kubectl ${want.ok ? 'applied it' : `refused it (${want.error})`}, we ${got.ok ? 'applied it' : `refused it (${got.error})`}`;
  }
  try {
    assert.deepStrictEqual(got.doc, want.doc);
    return undefined;
  } catch {
    return `${type} "${name}": kubectl gave ${JSON.stringify(want.doc)}\n  we gave ${JSON.stringify(got.doc)}`;
  }
}

for (const [type, cases] of [['strategic', strategic], ['merge', merge], ['json', json]] as const) {
  test(`${type} patches give what kubectl patch --local gives`, { skip: kubectlMissing }, () => {
    const parted = Object.entries(cases).map(([name, patch]) => disagreement(type, name, patch)).filter((d) => d !== undefined);
    assert.deepEqual(parted, []);
  });
}
