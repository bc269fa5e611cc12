// The kubeadm-config and kubelet-config ConfigMaps and their Roles: byte for byte what kubeadm v1.35 created for
// init-dry-run.config.yaml, and the rules that decide what goes in them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/api/objects.js';
import { componentConfigHashAnnotation } from '../../src/cluster-objects/component-config-hash.js';
import {
  kubeadmConfigMap, kubeadmConfigRbac, kubeletConfigMap, kubeletConfigRbac, withClusterConfiguration,
} from '../../src/cluster-objects/kubeadm-config-map.js';
import { toGoYaml } from '../../src/config/encode.js';
import { initConfig } from '../preflight/healthy-host.js';
import { observedConfig, skipReference } from '../kubelet/reference.js';
import { observedCreate } from '../helpers/observed-api.js';

const yamlOf = (o: KubeObject) => toGoYaml(o as unknown as Record<string, unknown>);

test('kubeadm-config equals the ConfigMap kubeadm created', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  assert.equal(yamlOf(kubeadmConfigMap(cfg.cluster)), observedCreate('configmaps', 'kubeadm-config'));
});

test('kubelet-config equals the ConfigMap kubeadm created, hash annotation included', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const { configMap, warnings } = kubeletConfigMap(cfg.cluster, cfg.kubelet);
  assert.deepEqual(warnings, []);
  assert.equal(configMap.metadata.annotations?.[componentConfigHashAnnotation],
    'sha256:26488e9fc7c5cb5fdda9996cda2e6651a9af5febce07ea02de11bd3ef3f49e9c');
  assert.equal(yamlOf(configMap), observedCreate('configmaps', 'kubelet-config'));
});

test('the four Roles and RoleBindings equal kubeadm\'s, subjects in its order', { skip: skipReference }, () => {
  for (const obj of [...kubeadmConfigRbac(), ...kubeletConfigRbac()]) {
    const resource = obj.kind === 'Role' ? 'roles' : 'rolebindings';
    assert.equal(yamlOf(obj), observedCreate(resource, obj.metadata.name), `${obj.kind} ${obj.metadata.name}`);
  }
});

test('kubeadm-config holds only the ClusterConfiguration (no InitConfiguration fields), in kube-system', () => {
  const cm = kubeadmConfigMap(initConfig().cluster);
  assert.deepEqual(Object.keys(cm['data'] as object), ['ClusterConfiguration']);
  assert.equal(cm.metadata.namespace, 'kube-system');
  const doc = parse((cm['data'] as Record<string, string>)['ClusterConfiguration']!) as Record<string, unknown>;
  assert.equal(doc['kind'], 'ClusterConfiguration');
  assert.equal(doc['apiVersion'], 'kubeadm.k8s.io/v1beta4');
  for (const initOnly of ['bootstrapTokens', 'nodeRegistration', 'localAPIEndpoint', 'certificateKey']) assert.equal(doc[initOnly], undefined, initOnly);
});

test('a re-upload replaces only the ClusterConfiguration key of an existing kubeadm-config', () => {
  const existing: KubeObject = {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system', resourceVersion: '7', labels: { team: 'infra' } },
    data: { ClusterConfiguration: 'old', ClusterStatus: 'kept' },
  };
  const next = withClusterConfiguration(existing, 'new');
  assert.deepEqual(next['data'], { ClusterConfiguration: 'new', ClusterStatus: 'kept' });
  assert.deepEqual(next.metadata, existing.metadata);
});

test('a user-supplied KubeletConfiguration is uploaded unsigned, with the user\'s values', () => {
  const cfg = initConfig((c) => ({ ...c, kubelet: { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', maxPods: 50 } }));
  const { configMap } = kubeletConfigMap(cfg.cluster, cfg.kubelet);
  assert.equal(configMap.metadata.annotations, undefined);
  const doc = parse((configMap['data'] as Record<string, string>)['kubelet']!) as Record<string, unknown>;
  assert.equal(doc['maxPods'], 50);
  assert.equal(doc['containerRuntimeEndpoint'], '', 'the node-local runtime endpoint is not uploaded');
  assert.equal(doc['resolvConf'], undefined, 'no node-local resolv.conf either');
});

test('the hash changes with the configuration it signs', () => {
  const a = kubeletConfigMap(initConfig().cluster, undefined).configMap;
  const b = kubeletConfigMap(initConfig((c) => ({ ...c, cluster: { ...c.cluster, networking: { ...c.cluster.networking, dnsDomain: 'example.local' } } })).cluster, undefined).configMap;
  assert.notEqual(a.metadata.annotations?.[componentConfigHashAnnotation], b.metadata.annotations?.[componentConfigHashAnnotation]);
});
