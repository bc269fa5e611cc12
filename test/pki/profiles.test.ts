// Invariants of the PKI tables (pki/certificates.ts, pki/kubeconfigs.ts) that every phase and
// command rendered from them relies on, and the certs phase tree built from them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certProfiles, serviceAccountKey } from '../../pki/certificates.js';
import { kubeconfigProfiles } from '../../pki/kubeconfigs.js';
import { certs } from '../../src/phases/init/certs.js';

const duplicates = (xs: readonly string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);

describe('certificate profiles', () => {
  it('lists kubeadm certificates in kubeadm order', () => {
    assert.deepEqual(certProfiles.map((p) => p.name), [
      'ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client',
      'etcd-ca', 'etcd-server', 'etcd-peer', 'etcd-healthcheck-client', 'apiserver-etcd-client',
    ]);
  });

  it('has unique names and base names, none of them the service-account key', () => {
    assert.deepEqual(duplicates(certProfiles.map((p) => p.name)), []);
    assert.deepEqual(duplicates(certProfiles.map((p) => p.baseName)), []);
    assert.ok(!certProfiles.some((p) => p.name === serviceAccountKey.name || p.baseName === 'sa'));
  });

  it('names, for every leaf, a CA listed earlier that is itself self-signed', () => {
    certProfiles.forEach((p, i) => {
      if (p.ca === undefined) return;
      const caIndex = certProfiles.findIndex((c) => c.name === p.ca);
      assert.ok(caIndex >= 0, `${p.name}: no profile named ${p.ca}`);
      assert.ok(caIndex < i, `${p.name}: its CA ${p.ca} comes after it`);
      assert.equal(certProfiles[caIndex]!.ca, undefined, `${p.name}: its CA ${p.ca} is not a root CA`);
    });
  });

  it('gives CAs no extended key usage and every leaf at least one', () => {
    for (const p of certProfiles) {
      if (p.ca === undefined) assert.deepEqual(p.usages, [], p.name);
      else assert.ok(p.usages.length >= 1, `${p.name} has no extended key usage (kubeadm: must specify at least one ExtKeyUsage)`);
      assert.deepEqual(duplicates([...p.usages]), [], p.name);
    }
  });

  it('has a non-empty CommonName on every profile', () => {
    for (const p of certProfiles) {
      if (typeof p.commonName === 'string') assert.match(p.commonName, /\S/, p.name);
      else assert.equal(p.commonName.from, 'node-name', p.name);
    }
  });

  it('gives self-signed CAs their CommonName as SAN and no leaf that rule', () => {
    for (const p of certProfiles) {
      if (p.ca === undefined) assert.equal(p.sans, 'ca-common-name', p.name);
      else assert.notEqual(p.sans, 'ca-common-name', p.name);
    }
  });

  it('marks exactly the etcd CA and what it signs as local-etcd only', () => {
    for (const p of certProfiles) {
      assert.equal(p.localEtcdOnly, p.name === 'etcd-ca' || p.ca === 'etcd-ca', p.name);
    }
  });

  it('is frozen', () => {
    assert.ok(Object.isFrozen(certProfiles));
    for (const p of certProfiles) assert.ok(Object.isFrozen(p), p.name);
    assert.ok(Object.isFrozen(serviceAccountKey));
  });
});

describe('the certs phase tree', () => {
  const children = certs.phases ?? [];

  it('is all, then one phase per profile in table order, then sa last', () => {
    assert.deepEqual(children.map((p) => p.name), ['all', ...certProfiles.map((p) => p.name), serviceAccountKey.name]);
    assert.equal(children[0]!.selectsParent, true);
  });

  it('describes each certificate phase with its profile', () => {
    certProfiles.forEach((p, i) => {
      const phase = children[i + 1]!;
      assert.equal(phase.short, `Generate the ${p.longName}`);
      assert.ok(phase.long?.includes(`${p.baseName}.crt and ${p.baseName}.key`), phase.name);
      assert.equal(typeof phase.run, 'function', phase.name);
    });
  });
});

describe('kubeconfig profiles', () => {
  it('lists kubeadm kubeconfig files in kubeadm order', () => {
    assert.deepEqual(kubeconfigProfiles.map((k) => k.file),
      ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf']);
  });

  it('has unique names and files, each file named for its phase', () => {
    assert.deepEqual(duplicates(kubeconfigProfiles.map((k) => k.name)), []);
    assert.deepEqual(duplicates(kubeconfigProfiles.map((k) => k.file)), []);
    for (const k of kubeconfigProfiles) assert.equal(k.file, `${k.name}.conf`);
  });

  it('names a non-empty user for each, and unique groups', () => {
    for (const k of kubeconfigProfiles) {
      if (typeof k.user === 'string') assert.match(k.user, /\S/, k.name);
      else assert.equal(k.user.from, 'node', k.name);
      assert.deepEqual(duplicates([...k.groups]), [], k.name);
      for (const g of k.groups) assert.match(g, /\S/, k.name);
    }
  });

  it('points the admin files at the control-plane endpoint and the components at the local API server', () => {
    const server = Object.fromEntries(kubeconfigProfiles.map((k) => [k.name, k.server]));
    assert.deepEqual(server, {
      admin: 'control-plane-endpoint', 'super-admin': 'control-plane-endpoint',
      kubelet: 'local', 'controller-manager': 'local', scheduler: 'local',
    });
  });

  it('keeps system:masters for the super-admin only', () => {
    const masters = kubeconfigProfiles.filter((k) => k.groups.includes('system:masters')).map((k) => k.name);
    assert.deepEqual(masters, ['super-admin']);
    assert.equal(kubeconfigProfiles.find((k) => k.name === 'super-admin')!.onJoiningControlPlane, false);
  });

  it('is frozen', () => {
    assert.ok(Object.isFrozen(kubeconfigProfiles));
    for (const k of kubeconfigProfiles) assert.ok(Object.isFrozen(k), k.name);
  });
});
