import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGroupText, pathOf, resourceOf, resourcePath, resourceTypes } from '../../src/api/resources.js';

test('REST paths of collections and objects, core and named groups, namespaced and cluster-scoped', () => {
  assert.equal(resourcePath(resourceOf('ConfigMap'), 'kube-system'), '/api/v1/namespaces/kube-system/configmaps');
  assert.equal(pathOf({ kind: 'Secret', name: 'bootstrap-token-abcdef', namespace: 'kube-system' }), '/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef');
  assert.equal(pathOf({ kind: 'Node', name: 'node-1' }), '/api/v1/nodes/node-1');
  // A namespace given for a cluster-scoped kind is ignored, as the API's URL layout has no place for it.
  assert.equal(pathOf({ kind: 'ClusterRole', name: 'system:x', namespace: 'kube-system' }), '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Ax');
  assert.equal(resourcePath(resourceOf('DaemonSet'), 'kube-system', 'kube-proxy'), '/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy');
  assert.equal(resourcePath(resourceOf('Deployment'), undefined), '/apis/apps/v1/deployments');
  assert.equal(resourcePath(resourceOf('CertificateSigningRequest'), undefined, 'csr-1'), '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1');
});

test('kubeadm\'s dry-run group names: core/v1 for the legacy group', () => {
  assert.equal(apiGroupText(resourceOf('ConfigMap')), 'core/v1');
  assert.equal(apiGroupText(resourceOf('RoleBinding')), 'rbac.authorization.k8s.io/v1');
  assert.equal(apiGroupText(resourceOf('Deployment')), 'apps/v1');
});

test('the table has one entry per kind, each plural the lower-cased kind as the API names it', () => {
  const kinds = resourceTypes.map((t) => t.kind);
  assert.equal(new Set(kinds).size, kinds.length);
  for (const t of resourceTypes) assert.match(t.plural, /^[a-z]+s$/, t.kind);
  assert.throws(() => resourceOf('Lease'), /no API resource is known for kind Lease/);
});
