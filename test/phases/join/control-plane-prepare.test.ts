// join's control-plane-prepare on a second node: the shared CAs from kubeadm-certs (made by init's phases from a
// real init PKI), then this node's certificates, checked by openssl against the downloaded CAs and for this node's
// SANs, its three kubeconfig files and its manifests with its own advertise address and port.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { CertificateError, exitCodeOf, exitCodes } from '../../../src/errors.js';
import { currentEntries, parseKubeconfig } from '../../../src/kubeconfig/kubeconfig.js';
import { flagValue } from '../../../src/manifests/arguments.js';
import { manifestCommand } from '../../../src/manifest-files/static-pod-files.js';
import { captureOutput } from '../../../src/output/output.js';
import { controlPlanePrepare, joinLeafCertificates } from '../../../src/phases/join/control-plane-prepare.js';
import { joinContext } from '../../helpers/join-context.js';
import { certificateFacts, publicKeyOfCertificate, publicKeyOfKey, verify } from '../../helpers/openssl.js';
import {
  controlPlaneJoin, failure, filesUnder, firstNode, joiningCluster, joiningNode, keyHex, pkiDir, removeRoot, runSelected, type FirstNode, type JoiningNode,
} from './control-plane-fixture.js';

const sanLine = (name: string, dns: readonly string[], ips: readonly string[]) =>
  `[certs] ${name} serving cert is signed for DNS names [${dns.join(' ')}] and IPs [${ips.join(' ')}]`;

const expectedOutput = [
  '[download-certs] Downloading the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace',
  '[download-certs] Saving the certificates to the folder: "/etc/kubernetes/pki"',
  '[certs] Using certificateDir folder "/etc/kubernetes/pki"',
  '[certs] Generating "front-proxy-client" certificate and key',
  '[certs] Generating "etcd/server" certificate and key',
  sanLine('etcd/server', ['localhost', 'node-2'], ['192.0.2.11', '127.0.0.1', '::1']),
  '[certs] Generating "etcd/peer" certificate and key',
  sanLine('etcd/peer', ['localhost', 'node-2'], ['192.0.2.11', '127.0.0.1', '::1']),
  '[certs] Generating "etcd/healthcheck-client" certificate and key',
  '[certs] Generating "apiserver-etcd-client" certificate and key',
  '[certs] Generating "apiserver-kubelet-client" certificate and key',
  '[certs] Generating "apiserver" certificate and key',
  sanLine('apiserver', ['cp.example.test', 'extra.example.test', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local', 'node-2'], ['10.96.0.1', '192.0.2.11']),
  '[certs] Valid certificates and keys now exist in "/etc/kubernetes/pki"',
  '[certs] Using the existing "sa" key',
  '[kubeconfig] Generating kubeconfig files',
  '[kubeconfig] Using kubeconfig folder "/etc/kubernetes"',
  '[kubeconfig] Writing "admin.conf" kubeconfig file',
  '[kubeconfig] Writing "controller-manager.conf" kubeconfig file',
  '[kubeconfig] Writing "scheduler.conf" kubeconfig file',
  '[control-plane] Using manifest folder "/etc/kubernetes/manifests"',
  '[control-plane] Creating static Pod manifest for "kube-apiserver"',
  '[control-plane] Creating static Pod manifest for "kube-controller-manager"',
  '[control-plane] Creating static Pod manifest for "kube-scheduler"',
  '',
].join('\n');

describe('join control-plane-prepare on a second control-plane node', () => {
  let first: FirstNode;
  let n: JoiningNode & { selected: readonly string[] };
  let ran: string[];
  const pki = (rel: string) => path.join(n.root, pkiDir, rel);
  before(async () => {
    first = await firstNode();
    n = await joiningNode(first);
    ran = await runSelected(n);
  });
  after(async () => {
    await removeRoot(first.root);
    await removeRoot(n.root);
  });

  it('runs the four sub-phases, printing kubeadm\'s lines in the order a kubeadm join printed them', () => {
    assert.deepEqual(ran, [
      'control-plane-prepare/download-certs', 'control-plane-prepare/certs', 'control-plane-prepare/kubeconfig', 'control-plane-prepare/control-plane',
    ]);
    assert.equal(n.out.stdout(), expectedOutput);
    assert.equal(n.out.stderr(), '');
  });

  it('makes only this node\'s files: no new CA, no kubelet.conf or super-admin.conf', async () => {
    const leaves = joinLeafCertificates(joiningCluster(first.cfg)).flatMap((l) => [l.cert, l.key]).map((p) => p.slice(1));
    const shared = ['ca', 'front-proxy-ca', 'etcd/ca'].flatMap((b) => [`${pkiDir}/${b}.crt`, `${pkiDir}/${b}.key`]);
    assert.deepEqual(await filesUnder(n.root), [
      ...leaves, ...shared, `${pkiDir}/sa.key`, `${pkiDir}/sa.pub`,
      'etc/kubernetes/admin.conf', 'etc/kubernetes/controller-manager.conf', 'etc/kubernetes/scheduler.conf',
      'etc/kubernetes/manifests/kube-apiserver.yaml', 'etc/kubernetes/manifests/kube-controller-manager.yaml',
      'etc/kubernetes/manifests/kube-scheduler.yaml',
    ].sort());
    for (const f of ['ca.crt', 'ca.key', 'sa.key', 'etcd/ca.key']) {
      assert.deepEqual(await readFile(pki(f)), await readFile(path.join(first.root, pkiDir, f)), `${f} is the cluster's`);
    }
  });

  it('every leaf is signed by the downloaded CA (openssl verify) and matches its key', () => {
    const caOf: Record<string, string> = {
      'front-proxy-client': 'front-proxy-ca.crt', 'apiserver': 'ca.crt', 'apiserver-kubelet-client': 'ca.crt',
      'etcd-server': 'etcd/ca.crt', 'etcd-peer': 'etcd/ca.crt', 'etcd-healthcheck-client': 'etcd/ca.crt', 'apiserver-etcd-client': 'etcd/ca.crt',
    };
    for (const leaf of joinLeafCertificates(joiningCluster(first.cfg))) {
      const cert = path.join(n.root, leaf.cert);
      assert.match(verify(pki(caOf[leaf.name]!), cert), /: OK/, leaf.name);
      // And not by the first node's certificates: a new pair, not a copy.
      assert.notDeepEqual(publicKeyOfCertificate(cert), publicKeyOfCertificate(path.join(first.root, leaf.cert)), leaf.name);
      assert.equal(publicKeyOfKey(path.join(n.root, leaf.key)), publicKeyOfCertificate(cert), leaf.name);
    }
  });

  it('the serving certificates name this node (node-2, 192.0.2.11), never the first node', () => {
    const sans = (f: string) => certificateFacts(pki(f)).extensions.get('Subject Alternative Name')?.value ?? '';
    const api = sans('apiserver.crt');
    for (const want of ['DNS:node-2', 'DNS:cp.example.test', 'DNS:extra.example.test', 'IP Address:192.0.2.11', 'IP Address:10.96.0.1']) {
      assert.ok(api.includes(want), `apiserver lacks ${want}: ${api}`);
    }
    for (const f of ['etcd/server.crt', 'etcd/peer.crt']) {
      assert.ok(sans(f).includes('DNS:node-2') && sans(f).includes('IP Address:192.0.2.11'), `${f}: ${sans(f)}`);
      assert.equal(certificateFacts(pki(f)).subject, 'CN=node-2');
    }
    for (const f of ['apiserver.crt', 'etcd/server.crt', 'etcd/peer.crt']) {
      assert.ok(!sans(f).includes('node-1') && !sans(f).includes('192.0.2.10'), `${f} names the first node: ${sans(f)}`);
    }
  });

  it('the kubeconfig files: the endpoint for admin.conf, this node\'s API server for the components, the cluster CA, 0600', async () => {
    const caPem = await readFile(pki('ca.crt'), 'utf8');
    const want = { 'admin.conf': 'https://cp.example.test:6443', 'controller-manager.conf': 'https://192.0.2.11:6444', 'scheduler.conf': 'https://192.0.2.11:6444' };
    for (const [file, server] of Object.entries(want)) {
      const p = path.join(n.root, 'etc/kubernetes', file);
      const { cluster } = currentEntries(parseKubeconfig(await readFile(p, 'utf8'), p));
      assert.equal(cluster?.server, server, file);
      assert.equal(cluster?.certificateAuthorityData?.trim(), caPem.trim(), file);
      assert.equal((await stat(p)).mode & 0o777, 0o600, file);
    }
  });

  it('the manifests carry this node\'s advertise address and bind port', async () => {
    const command = async (c: string) =>
      manifestCommand(parse(await readFile(path.join(n.root, 'etc/kubernetes/manifests', `${c}.yaml`), 'utf8')) as Record<string, unknown>);
    const api = await command('kube-apiserver');
    assert.equal(flagValue(api, 'advertise-address'), '192.0.2.11');
    assert.equal(flagValue(api, 'secure-port'), '6444');
    assert.equal(flagValue(api, 'etcd-servers'), 'https://127.0.0.1:2379');
    assert.equal(flagValue(await command('kube-controller-manager'), 'kubeconfig'), '/etc/kubernetes/controller-manager.conf');
    assert.equal(flagValue(await command('kube-scheduler'), 'kubeconfig'), '/etc/kubernetes/scheduler.conf');
  });

  it('again on the same node: everything on disk is reused, nothing is regenerated', async () => {
    const out = captureOutput();
    const ctx = joinContext({ cfg: controlPlaneJoin(keyHex), host: n.host, out, selected: n.selected, cluster: joiningCluster(first.cfg), bootstrapApi: first.api });
    const before = await readFile(pki('apiserver.crt'), 'utf8');
    await runSelected({ ctx, selected: n.selected });
    assert.equal(await readFile(pki('apiserver.crt'), 'utf8'), before);
    assert.match(out.stdout(), /\[certs\] Using existing apiserver certificate and key on disk/);
    assert.match(out.stdout(), /\[kubeconfig\] Using existing kubeconfig file: "\/etc\/kubernetes\/admin\.conf"/);
  });
});

describe('join control-plane-prepare without the shared certificates', () => {
  let first: FirstNode;
  before(async () => {
    first = await firstNode();
  });
  after(() => removeRoot(first.root));

  it('no --certificate-key and no CA on disk: stops with the fix, makes no CA of its own, writes nothing', async () => {
    const n = await joiningNode(first, (o) => ({ ...o, cfg: controlPlaneJoin('') }));
    try {
      const err = await failure(runSelected(n));
      assert.ok(err instanceof CertificateError, String(err));
      assert.equal(err.path, '/etc/kubernetes/pki/ca.crt');
      assert.match(err.message, /the ca certificate authority \/etc\/kubernetes\/pki\/ca\.crt is missing/);
      assert.match(err.fix ?? '', /--certificate-key/);
      assert.match(err.fix ?? '', /copy ca\.crt, ca\.key/);
      assert.equal(exitCodeOf(err), exitCodes.invalidInput);
      assert.deepEqual(await filesUnder(n.root), []);
    } finally {
      await removeRoot(n.root);
    }
  });

  it('a worker join: every sub-phase is skipped', async () => {
    const n = await joiningNode(first, (o) => ({ ...o, cfg: { ...o.cfg, join: { ...o.cfg.join, controlPlane: undefined } } }));
    try {
      for (const child of controlPlanePrepare.phases!.filter((p) => p.runIf !== undefined)) assert.equal(child.runIf!(n.ctx), false, child.name);
      assert.deepEqual(await runSelected(n), []);
      assert.deepEqual(await filesUnder(n.root), []);
    } finally {
      await removeRoot(n.root);
    }
  });
});
