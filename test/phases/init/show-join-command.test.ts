// init's show-join-command phase over a real admin.conf: the certs and kubeconfig phases write the PKI
// and admin.conf into a temp root, then the phase prints the closing message or the -o json object.
// The pin is computed from openssl's view of the CA, not with our own code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ApiClient } from '../../../src/api/client.js';
import type { InitConfig } from '../../../src/config/types.js';
import { CertificateError } from '../../../src/errors.js';
import type { Host } from '../../../src/host/host.js';
import { captureOutput } from '../../../src/output/output.js';
import { certs } from '../../../src/phases/init/certs.js';
import type { InitOptions } from '../../../src/phases/init/context.js';
import { kubeconfig } from '../../../src/phases/init/kubeconfig.js';
import { showJoinCommand } from '../../../src/phases/init/show-join-command.js';
import { bootstrapTokenSecret } from '../../../src/tokens/token-secret.js';
import { initContext } from '../../helpers/init-context.js';
import { memoryApi } from '../../helpers/memory-api.js';
import { openssl } from '../../helpers/openssl.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { tempRootHost } from '../../helpers/temp-root.js';
import { initConfig } from '../../preflight/healthy-host.js';
import { encodeJoinString } from '../../../src/tokens/join-string.js';

const key = 'ab'.repeat(32);
const cfg: InitConfig = initConfig((c) => ({
  ...c,
  init: { ...c.init, certificateKey: key },
  cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256', controlPlaneEndpoint: 'cp.example.test:6443' },
}));

async function runPhase(host: Host, options: Partial<InitOptions>, opts: { cfg?: InitConfig; writtenTo?: (p: string) => string; api?: ApiClient; dryRun?: boolean } = {}) {
  const out = captureOutput();
  const ctx = {
    ...initContext(opts.cfg ?? cfg, host, out, { options, ...(opts.api ? { api: opts.api } : {}), ...(opts.dryRun ? { dryRun: true } : {}) }),
    ...(opts.writtenTo ? { writtenTo: opts.writtenTo } : {}),
  };
  await showJoinCommand.run!(ctx);
  return { ctx, out };
}

describe('show-join-command after certs and kubeconfig', () => {
  let root = '';
  let host: Host;
  let pin = '';
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-show-join-'));
    host = tempRootHost(root);
    await runInitPhases([certs, kubeconfig], cfg, host);
    const spkiPem = openssl(['x509', '-in', path.join(root, 'etc/kubernetes/pki/ca.crt'), '-pubkey', '-noout']);
    const der = Buffer.from(spkiPem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    pin = `sha256:${createHash('sha256').update(der).digest('hex')}`;
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('text: an empty line, then kubeadm\'s message with the control-plane block and the worker command', async () => {
    const { out } = await runPhase(host, {});
    const stdout = out.stdout();
    const join = `tskubeadm join cp.example.test:6443 --token abcdef.0123456789abcdef \\\n\t--discovery-token-ca-cert-hash ${pin} `;
    assert.ok(stdout.startsWith('\nYour Kubernetes control-plane has initialized successfully!\n\n'), stdout);
    assert.ok(stdout.includes('  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config\n'));
    assert.ok(stdout.includes('  export KUBECONFIG=/etc/kubernetes/admin.conf\n'));
    assert.ok(stdout.includes('You can now join any number of control-plane nodes by copying certificate authorities\n' +
      'and service account keys on each node and then running the following as root:\n\n' +
      `  ${join}\\\n\t--control-plane \n\n`), stdout);
    assert.ok(stdout.endsWith(`running the following on each as root:\n\n${join}\n`), stdout);
    assert.ok(!stdout.includes(key), 'no certificate key without --upload-certs');
    assert.equal(out.stderr(), '');
  });

  test('text with --upload-certs and both secrets withheld', async () => {
    const { out } = await runPhase(host, { uploadCerts: true, skipTokenPrint: true, skipCertificateKeyPrint: true });
    const stdout = out.stdout();
    assert.ok(stdout.includes('\\\n\t--control-plane --certificate-key <value withheld>\n\nPlease note that the certificate-key'));
    assert.ok(stdout.includes('"tskubeadm init phase upload-certs --upload-certs" to reload certs afterward.'));
    assert.ok(!stdout.includes('0123456789abcdef') && !stdout.includes(key));
  });

  test('under --dry-run the copy line names the dry-run copy, the export line the real file', async () => {
    const { out } = await runPhase(host, {}, { writtenTo: (p) => `/etc/kubernetes/tmp/tskubeadm-init-dryrun42${p.slice('/etc/kubernetes'.length)}` });
    assert.ok(out.stdout().includes('  sudo cp -i /etc/kubernetes/tmp/tskubeadm-init-dryrun42/admin.conf $HOME/.kube/config\n'));
    assert.ok(out.stdout().includes('  export KUBECONFIG=/etc/kubernetes/admin.conf\n'));
  });

  test('-o json: one InitResult object on stdout and nothing else; expiries as the Secrets say', async () => {
    const api = memoryApi();
    // What bootstrap-token and upload-certs created, at their own times.
    const tokenMade = new Date('2030-01-01T00:00:10Z');
    api.seed(bootstrapTokenSecret(cfg.init.bootstrapTokens[0]!, tokenMade));
    api.seed(bootstrapTokenSecret({ token: 'zyxwvu.0123456789abcdef', ttlMs: 2 * 3600_000, usages: [], groups: [] }, new Date('2030-01-01T00:00:05Z')));
    api.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kubeadm-certs', namespace: 'kube-system',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 'bootstrap-token-zyxwvu', uid: 'u', controller: true, blockOwnerDeletion: true }] }, data: {} });
    const { out } = await runPhase(host, { output: 'json', uploadCerts: true }, { api });
    assert.ok(out.stdout().endsWith('}\n'));
    const result = JSON.parse(out.stdout()) as Record<string, unknown>;
    assert.deepEqual(result, {
      kind: 'InitResult', apiVersion: 'output.tskubeadm.io/v1alpha1',
      controlPlaneEndpoint: 'cp.example.test:6443', adminKubeconfig: '/etc/kubernetes/admin.conf', caCertHashes: [pin],
      bootstrapTokens: [{
        id: 'abcdef', token: 'abcdef.0123456789abcdef', expires: '2030-01-02T00:00:10Z',
        joinString: encodeJoinString({ endpoint: 'cp.example.test:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [pin] }),
      }],
      certificateKey: key, certificateKeyExpires: '2030-01-01T02:00:05Z',
      joinCommands: {
        worker: `tskubeadm join cp.example.test:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${pin}`,
        controlPlane: `tskubeadm join cp.example.test:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${pin} --control-plane --certificate-key ${key}`,
      },
    });
    assert.equal(out.stderr(), '');
    assert.ok(api.requests.every((r) => r.verb === 'get'), 'only reads');
  });

  test('-o json under --dry-run: nothing to read back, the expiries count from now', async () => {
    const fixed = tempRootHost(root, { now: '2031-05-06T07:08:09Z' });
    const { out } = await runPhase(fixed, { output: 'json', uploadCerts: true }, { dryRun: true });
    const result = JSON.parse(out.stdout()) as { bootstrapTokens: { expires: string }[]; certificateKeyExpires: string };
    assert.equal(result.bootstrapTokens[0]?.expires, '2031-05-07T07:08:09Z');
    assert.equal(result.certificateKeyExpires, '2031-05-06T09:08:09Z');
  });

  test('-o json without a controlPlaneEndpoint: no control-plane command, the endpoint from admin.conf', async () => {
    const plain = initConfig((c) => ({ ...c, cluster: { ...c.cluster, encryptionAlgorithm: 'ECDSA-P256' } }));
    const { out } = await runPhase(host, { output: 'json' }, { cfg: plain, api: memoryApi() });
    const result = JSON.parse(out.stdout()) as { joinCommands: { controlPlane: unknown }; controlPlaneEndpoint: string; certificateKey?: string };
    assert.equal(result.joinCommands.controlPlane, null);
    assert.equal(result.controlPlaneEndpoint, 'cp.example.test:6443', 'admin.conf (written with the endpoint) decides');
    assert.equal(result.certificateKey, undefined);
  });

  test('no admin.conf: a CertificateError naming it', async () => {
    await assert.rejects(runPhase(host, { kubeconfigDir: '/nowhere' }),
      (e: unknown) => e instanceof CertificateError && e.path === '/nowhere/admin.conf');
  });
});

test('the phase is kubeadm\'s: its name, and it needs bootstrap-token and upload-certs in the same run', () => {
  assert.equal(showJoinCommand.name, 'show-join-command');
  assert.deepEqual(showJoinCommand.needs, ['bootstrap-token', 'upload-certs']);
});
