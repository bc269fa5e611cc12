import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubeadmConfigMap, kubeletConfigMap } from '../../../src/cluster-objects/kubeadm-config-map.js';
import { defaultClusterConfiguration } from '../../../src/config/default-configs.js';
import { ConfigError, TskubeadmError } from '../../../src/errors.js';
import { parseKubeconfig, tokenKubeconfig } from '../../../src/kubeconfig/kubeconfig.js';
import { captureOutput } from '../../../src/output/output.js';
import { readJoinCluster } from '../../../src/phases/join/join-cluster.js';
import { bootstrapKubeletKubeconfig, refuseReadyNode } from '../../../src/phases/join/kubelet-start.js';
import { usableKubeconfig } from '../../../src/phases/join/kubelet-wait-bootstrap.js';
import { checkReadyForControlPlane } from '../../../src/phases/join/preflight.js';
import { createCertificate } from '../../../src/pki/certificate.js';
import { encodePrivateKey, generatePrivateKey } from '../../../src/pki/keys.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { memoryApi } from '../../helpers/memory-api.js';
import { joinConfig } from '../../preflight/healthy-host.js';

const cluster = { ...defaultClusterConfiguration(), clusterName: 'prod' };

describe('join-cluster', () => {
  it('reads kubeadm-config and kubelet-config, prints kubeadm\'s lines, and keeps this node\'s registration', async () => {
    const api = memoryApi();
    api.seed(kubeadmConfigMap(cluster));
    api.seed(kubeletConfigMap(cluster, undefined).configMap);
    const out = captureOutput();
    const cfg = joinConfig();
    const init = await readJoinCluster({ cfg, out, api });
    assert.equal(init.cluster.clusterName, 'prod');
    assert.equal(init.cluster.kubernetesVersion, cluster.kubernetesVersion);
    assert.equal(init.kubelet?.['kind'], 'KubeletConfiguration');
    assert.equal(init.init.nodeRegistration, cfg.join.nodeRegistration);
    assert.equal(init.init.timeouts, cfg.join.timeouts);
    assert.equal(out.stdout(), '[preflight] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n' +
      "[preflight] Use 'tskubeadm init phase upload-config --config your-config.yaml' to re-upload it.\n");
  });

  it('says what to do when kubeadm-config is missing or unparsable', async () => {
    const api = memoryApi();
    await assert.rejects(readJoinCluster({ cfg: joinConfig(), out: captureOutput(), api }),
      (e: unknown) => e instanceof ConfigError && /does not exist/.test(e.message) && /upload-config/.test(e.fix ?? ''));
    api.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: 'kind: [' } } as never);
    await assert.rejects(readJoinCluster({ cfg: joinConfig(), out: captureOutput(), api }),
      (e: unknown) => e instanceof ConfigError && /cannot be used/.test(e.message));
  });
});

describe('join kubelet-start', () => {
  it('names the bootstrap kubeconfig\'s cluster as the cluster is named; a control plane talks to its own API server', async () => {
    const discovered = tokenKubeconfig({ clusterName: 'kubernetes', server: 'https://192.0.2.10:6443', caPem: 'CA', user: 'tls-bootstrap-token-user' }, 'abcdef.0123456789abcdef');
    const init = { cluster } as never;
    const worker = bootstrapKubeletKubeconfig({ cfg: joinConfig() }, init, discovered);
    assert.deepEqual(worker.clusters, [{ name: 'prod', server: 'https://192.0.2.10:6443', certificateAuthorityData: 'CA' }]);
    assert.equal(worker.contexts[0]?.cluster, 'prod');
    const cp = joinConfig((c) => ({ ...c, join: { ...c.join, controlPlane: { localAPIEndpoint: { advertiseAddress: '192.0.2.11', bindPort: 6443 }, certificateKey: '' } } }));
    assert.equal(bootstrapKubeletKubeconfig({ cfg: cp }, init, discovered).clusters[0]?.server, 'https://192.0.2.11:6443');
  });

  it('refuses a Ready Node of the same name, and accepts a NotReady one', async () => {
    const api = memoryApi();
    api.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as never);
    await assert.rejects(refuseReadyNode(api, 'node-1'), (e: unknown) =>
      e instanceof TskubeadmError && e.message === 'a Node with name "node-1" and status "Ready" already exists in the cluster. You must delete the existing Node or change the name of this new joining Node');
    api.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } } as never);
    await refuseReadyNode(api, 'node-2');
    await refuseReadyNode(api, 'node-3');
  });
});

describe('kubelet-wait-bootstrap', () => {
  it('takes kubelet.conf as working only once the certificate file it names exists and loads', async () => {
    const key = await generatePrivateKey('ECDSA-P256');
    const now = new Date();
    const cert = await createCertificate({ commonName: 'system:node:node-1', organization: ['system:nodes'], usages: ['clientAuth'], isCA: true, dnsNames: [], ips: [], notBefore: now, notAfter: new Date(now.getTime() + 3600_000) }, key, { selfSigned: true });
    const conf = 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://192.0.2.10:6443\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n' +
      'current-context: x\nusers:\n- name: u\n  user:\n    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n';
    const host = fakeHost({ files: { '/etc/kubernetes/kubelet.conf': conf } });
    const notYet = await usableKubeconfig(host, '/etc/kubernetes/kubelet.conf');
    assert.equal(notYet.ok, false);
    assert.match(notYet.ok ? '' : notYet.reason, /kubelet-client-current\.pem does not exist yet/);
    assert.equal((await usableKubeconfig(host, '/etc/kubernetes/missing.conf')).ok, false);
    await host.fs.write('/var/lib/kubelet/pki/kubelet-client-current.pem', cert + encodePrivateKey(key), { mode: 0o600 });
    const ready = await usableKubeconfig(host, '/etc/kubernetes/kubelet.conf');
    assert.ok(ready.ok);
    const user = parseKubeconfig(ready.text, 'x').users[0];
    assert.match(user?.clientCertificateData ?? '', /BEGIN CERTIFICATE/);
  });
});

describe('join preflight for a control plane', () => {
  it('needs a controlPlaneEndpoint, and the shared certificates unless a certificate key is given', async () => {
    const host = fakeHost();
    await assert.rejects(checkReadyForControlPlane({ host }, cluster, true), /doesn't have a stable controlPlaneEndpoint address/);
    const withEndpoint = { ...cluster, controlPlaneEndpoint: 'cp.example.test:6443' };
    await checkReadyForControlPlane({ host }, withEndpoint, true);
    await assert.rejects(checkReadyForControlPlane({ host }, withEndpoint, false), /ca\.crt.*sa\.pub/);
  });
});
