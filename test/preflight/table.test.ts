import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameOf } from '../../src/preflight/check.js';
import { evaluateChecks } from '../../src/preflight/runner.js';
import { checkTable, checksFor } from '../../src/preflight/table.js';
import { controlPlaneJoinTarget, resetTarget } from '../../src/preflight/target.js';
import { defaultClusterConfiguration, defaultResetConfig } from '../../src/config/default-configs.js';
import { healthyHost, initTargetOf, joinConfig, joinTargetOf } from './healthy-host.js';

const executablesNames = ['crictl', 'ip', 'iptables', 'mount', 'nsenter', 'ebtables', 'ethtool', 'socat', 'tc', 'touch']
  .map((e) => `FileExisting-${e}`);
const common = ['CRI', 'Swap', ...executablesNames, 'SystemVerification', 'Hostname', 'KubeletVersion', 'Service-kubelet', 'Port-10250'];
const manifests = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']
  .map((c) => `FileAvailable--etc-kubernetes-manifests-${c}.yaml`);

describe('check table', () => {
  it('is frozen data', () => {
    assert.ok(Object.isFrozen(checkTable));
    for (const row of checkTable) assert.ok(Object.isFrozen(row));
  });

  it('lists init checks in kubeadm order for the default configuration', () => {
    const names = checksFor('init', initTargetOf()).map((c) => nameOf(c, initTargetOf()));
    assert.deepEqual(names, [
      'NumCPU', 'Mem', 'KubernetesVersion', 'Firewalld', 'Port-6443', 'Port-10259', 'Port-10257', 'Port-10251', 'Port-10252',
      ...manifests, 'HTTPProxy', 'HTTPProxyCIDR', 'HTTPProxyCIDR',
      ...common,
      'FileContent--proc-sys-net-bridge-bridge-nf-call-iptables', 'FileContent--proc-sys-net-ipv4-ip_forward',
      'Port-2379', 'Port-2380', 'DirAvailable--var-lib-etcd',
    ]);
  });

  it('follows the configuration: bind port, etcd data dir, dual stack, external etcd, old Kubernetes', () => {
    const t = initTargetOf((c) => ({
      ...c,
      init: { ...c.init, localAPIEndpoint: { advertiseAddress: 'fd00::10', bindPort: 8443 } },
      cluster: {
        ...c.cluster,
        kubernetesVersion: 'v1.31.4',
        networking: { ...c.cluster.networking, serviceSubnet: '10.96.0.0/16,fd00:10:96::/112', podSubnet: '10.244.0.0/16,fd00:10:244::/56' },
        etcd: { external: { endpoints: ['https://etcd:2379'], caFile: '/etcd/ca.crt', certFile: '/etcd/c.crt', keyFile: '' } },
      },
    }));
    const names = checksFor('init', t).map((c) => nameOf(c, t));
    assert.equal(names.filter((n) => n === 'HTTPProxyCIDR').length, 4);
    assert.ok(names.includes('Port-8443'));
    assert.ok(names.includes('FileExisting-conntrack'), 'conntrack is checked below 1.32');
    assert.ok(names.indexOf('FileExisting-conntrack') < names.indexOf('FileExisting-ip'));
    assert.ok(names.includes('FileContent--proc-sys-net-ipv6-conf-default-forwarding'));
    assert.deepEqual(names.slice(-3), ['ExternalEtcdVersion', 'ExternalEtcdClientCertificates', 'ExternalEtcdClientCertificates']);
    assert.ok(!names.includes('Port-2379'));
  });

  it('lists worker join checks in kubeadm order', () => {
    const t = joinTargetOf();
    assert.deepEqual(checksFor('join', t).map((c) => nameOf(c, t)), [
      'FileAvailable--etc-kubernetes-kubelet.conf', 'FileAvailable--etc-kubernetes-bootstrap-kubelet.conf',
      ...common,
      'FileAvailable--etc-kubernetes-pki-ca.crt', 'HTTPProxy',
      'FileContent--proc-sys-net-bridge-bridge-nf-call-iptables', 'FileContent--proc-sys-net-ipv4-ip_forward',
    ]);
  });

  it('gives a joining control plane the init checks without the common ones', () => {
    const cfg = joinConfig((c) => ({
      ...c,
      join: { ...c.join, controlPlane: { localAPIEndpoint: { advertiseAddress: '192.0.2.11', bindPort: 6443 }, certificateKey: 'a'.repeat(64) } },
    }));
    const t = controlPlaneJoinTarget(cfg, defaultClusterConfiguration(), { dryRun: false });
    const names = checksFor('control-plane-join', t).map((c) => nameOf(c, t));
    assert.deepEqual(names, [
      'NumCPU', 'Mem', 'KubernetesVersion', 'Firewalld', 'Port-6443', 'Port-10259', 'Port-10257', 'Port-10251', 'Port-10252',
      ...manifests, 'HTTPProxy', 'HTTPProxyCIDR', 'HTTPProxyCIDR', 'Port-2379', 'Port-2380', 'DirAvailable--var-lib-etcd',
    ]);
    // A control plane gets its CA from the cluster: no ca.crt check in its join list.
    const j = checksFor('join', t).map((c) => nameOf(c, t));
    assert.ok(!j.includes('FileAvailable--etc-kubernetes-pki-ca.crt'));
  });

  it('has only the root check for reset, and ImagePull alone', () => {
    const t = resetTarget(defaultResetConfig(), { dryRun: false });
    assert.deepEqual(checksFor('root', t).map((c) => nameOf(c, t)), ['IsPrivilegedUser']);
    assert.deepEqual(checksFor('image-pull', initTargetOf()).map((c) => nameOf(c, initTargetOf())), ['ImagePull']);
  });

  it('passes every init and join check on a healthy machine', async () => {
    for (const [set, target] of [['init', initTargetOf()], ['join', joinTargetOf()]] as const) {
      const outcomes = await evaluateChecks(checksFor(set, target), { host: healthyHost(), target, ignore: new Set() });
      const noisy = outcomes.filter((o) => o.warnings.length > 0 || o.errors.length > 0);
      assert.deepEqual(noisy, [], `${set}: ${JSON.stringify(noisy, null, 2)}`);
    }
  });

  it('runs no check that changes the host', async () => {
    const host = healthyHost();
    const t = initTargetOf();
    await evaluateChecks(checksFor('init', t), { host, target: t, ignore: new Set() });
    assert.deepEqual(host.mutations, []);
    assert.ok(host.execCalls.every((c) => !c.opts.mutates));
  });
});
