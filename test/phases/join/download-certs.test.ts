// join's control-plane-prepare/download-certs against the kubeadm-certs Secret that init's upload-certs phase made from
// a real init PKI: the 8 files byte-equal with kubeadm's modes, and each failure (wrong key, no Secret, no RBAC,
// malformed key, another cluster's files) with its own error and nothing written.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../../../src/api/api-error.js';
import type { ApiClient } from '../../../src/api/client.js';
import { CertsSecretDecryptError, kubeadmCertsSecret } from '../../../src/cluster-objects/certs-secret.js';
import { CertificateError, ConfigError, exitCodeOf, exitCodes } from '../../../src/errors.js';
import { controlPlanePrepare } from '../../../src/phases/join/control-plane-prepare.js';
import { downloadCerts } from '../../../src/phases/join/download-certs.js';
import { memoryApi } from '../../helpers/memory-api.js';
import {
  controlPlaneJoin, failure, filesUnder, firstNode, joiningNode, keyHex, otherKeyHex, pkiDir, removeRoot, type FirstNode,
} from './control-plane-fixture.js';

const opening = '[download-certs] Downloading the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace\n';
const saving = '[download-certs] Saving the certificates to the folder: "/etc/kubernetes/pki"\n';
const sharedFiles: Readonly<Record<string, number>> = {
  'ca.crt': 0o644, 'ca.key': 0o600, 'front-proxy-ca.crt': 0o644, 'front-proxy-ca.key': 0o600,
  'sa.pub': 0o644, 'sa.key': 0o600, 'etcd/ca.crt': 0o644, 'etcd/ca.key': 0o600,
};

const downloadPhase = controlPlanePrepare.phases!.find((p) => p.name === 'download-certs')!;

describe('join control-plane-prepare download-certs', () => {
  let first: FirstNode;
  const roots: string[] = [];
  before(async () => {
    first = await firstNode();
  });
  after(async () => {
    await removeRoot(first.root);
    await Promise.all(roots.map(removeRoot));
  });
  const node = async (...args: Parameters<typeof joiningNode> extends [unknown, ...infer R] ? R : never) => {
    const n = await joiningNode(first, ...args);
    roots.push(n.root);
    return n;
  };

  it('saves the 8 shared files byte-equal with the first node, keys 0600 and certificates (sa.pub too) 0644', async () => {
    const n = await node();
    await downloadCerts(n.ctx);
    assert.equal(n.out.stdout(), opening + saving);
    assert.equal(n.out.stderr(), '');
    assert.deepEqual(await filesUnder(n.root), Object.keys(sharedFiles).map((f) => `${pkiDir}/${f}`).sort());
    for (const [file, mode] of Object.entries(sharedFiles)) {
      const written = path.join(n.root, pkiDir, file);
      assert.deepEqual(await readFile(written), await readFile(path.join(first.root, pkiDir, file)), file);
      assert.equal((await stat(written)).mode & 0o777, mode, `${file} mode`);
    }
  });

  it('reads the Secret once, with the bootstrap client, and writes nothing through the API', async () => {
    const api = memoryApi();
    api.seed(first.api.stored('Secret', 'kubeadm-certs', 'kube-system')!);
    const n = await node((o) => ({ ...o, bootstrapApi: api, adminApi: () => assert.fail('download-certs must not use admin.conf') }));
    await downloadCerts(n.ctx);
    assert.deepEqual(api.requests, [{ verb: 'get', kind: 'Secret', namespace: 'kube-system', name: 'kubeadm-certs' }]);
  });

  it('a wrong key: says the key does not match, exit 3, nothing written', async () => {
    const n = await node((o) => ({ ...o, cfg: controlPlaneJoin(otherKeyHex) }));
    const err = await failure(downloadCerts(n.ctx));
    assert.ok(err instanceof CertsSecretDecryptError, String(err));
    assert.match(err.message, /the certificate key does not decrypt .* the key is not the one it was uploaded with/);
    assert.match(err.fix ?? '', /upload-certs --upload-certs/);
    assert.equal(exitCodeOf(err), exitCodes.invalidInput);
    assert.deepEqual(await filesUnder(n.root), []);
  });

  it('no Secret (expired after 2 h): kubeadm\'s reason and how to upload again, nothing written', async () => {
    const n = await node((o) => ({ ...o, bootstrapApi: memoryApi() }));
    const err = await failure(downloadCerts(n.ctx));
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.status, 404);
    assert.match(err.message, /^Secret "kubeadm-certs" was not found in the "kube-system" Namespace: it expired/);
    assert.match(err.fix ?? '', /tskubeadm init phase upload-certs --upload-certs` on a control-plane node and join with the key it prints/);
    assert.equal(n.out.stdout(), opening);
    assert.deepEqual(await filesUnder(n.root), []);
  });

  it('never uploaded (no Role for bootstrap tokens, so 403): says so, nothing written', async () => {
    const forbidden: ApiClient = {
      ...memoryApi(),
      get: () => Promise.reject(new ApiError(403, 'Forbidden', 'secrets "kubeadm-certs" is forbidden')),
    };
    const n = await node((o) => ({ ...o, bootstrapApi: forbidden }));
    const err = await failure(downloadCerts(n.ctx));
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 403);
    assert.match(err.message, /the certificates were never uploaded/);
    assert.match(err.fix ?? '', /upload-certs --upload-certs/);
    assert.deepEqual(await filesUnder(n.root), []);
  });

  it('a malformed key: exit 3 before any request (not even the cluster configuration is read)', async () => {
    const api = memoryApi();
    const n = await node((o) => ({
      ...o, cfg: controlPlaneJoin('not-hex'), bootstrapApi: api, cluster: () => assert.fail('the cluster configuration was read'),
    }));
    const err = await failure(downloadCerts(n.ctx));
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /the certificate key must be 64 hexadecimal characters/);
    assert.equal(exitCodeOf(err), exitCodes.invalidInput);
    assert.deepEqual(api.requests, []);
    assert.equal(n.out.stdout(), '');
  });

  it('runs only for a control-plane join with a certificate key', async () => {
    const n = await node();
    assert.equal(downloadPhase.runIf!(n.ctx), true);
    const noKey = await node((o) => ({ ...o, cfg: controlPlaneJoin('') }));
    assert.equal(downloadPhase.runIf!(noKey.ctx), false);
    await downloadCerts(noKey.ctx); // and does nothing if called anyway
    assert.equal(noKey.out.stdout(), '');
    const worker = await node((o) => ({ ...o, cfg: { ...o.cfg, join: { ...o.cfg.join, controlPlane: undefined } } }));
    assert.equal(downloadPhase.runIf!(worker.ctx), false);
  });

  it('again on the same node: the same files are kept as they are', async () => {
    const n = await node();
    await downloadCerts(n.ctx);
    const before = await Promise.all(Object.keys(sharedFiles).map(async (f) => (await stat(path.join(n.root, pkiDir, f))).mtimeMs));
    await downloadCerts(n.ctx);
    const after = await Promise.all(Object.keys(sharedFiles).map(async (f) => (await stat(path.join(n.root, pkiDir, f))).mtimeMs));
    assert.deepEqual(after, before);
  });

  it('another cluster\'s CA on disk: refused and left as it was, nothing else written (kubeadm would overwrite it)', async () => {
    const n = await node();
    await mkdir(path.join(n.root, pkiDir), { recursive: true });
    const foreign = path.join(n.root, pkiDir, 'ca.key');
    await writeFile(foreign, 'another cluster\'s key\n', { mode: 0o600 });
    const err = await failure(downloadCerts(n.ctx));
    assert.ok(err instanceof CertificateError, String(err));
    assert.equal(err.path, '/etc/kubernetes/pki/ca.key');
    assert.match(err.message, /^\/etc\/kubernetes\/pki\/ca\.key already exists with contents other than the cluster's/);
    assert.match(err.fix ?? '', /tskubeadm reset/);
    assert.equal(await readFile(foreign, 'utf8'), 'another cluster\'s key\n');
    assert.deepEqual(await filesUnder(n.root), [`${pkiDir}/ca.key`]);
  });

  it('an entry left empty by the uploading node is not written; a missing one is an error', async () => {
    const files = new Map<string, Uint8Array | undefined>();
    for (const f of Object.keys(sharedFiles)) files.set(f.replace('/', '-'), await readFile(path.join(first.root, pkiDir, f)));
    const owner = { name: 'bootstrap-token-abcdef', uid: 'u1' };
    const withEmpty = memoryApi();
    withEmpty.seed(kubeadmCertsSecret(new Map([...files, ['etcd-ca.key', undefined]]), keyHex, owner));
    const n = await node((o) => ({ ...o, bootstrapApi: withEmpty }));
    await downloadCerts(n.ctx);
    assert.ok(!(await filesUnder(n.root)).includes(`${pkiDir}/etcd/ca.key`));
    assert.equal((await filesUnder(n.root)).length, 7);

    const missing = memoryApi();
    missing.seed(kubeadmCertsSecret(new Map([...files].filter(([k]) => k !== 'sa.key')), keyHex, owner));
    const m = await node((o) => ({ ...o, bootstrapApi: missing }));
    const err = await failure(downloadCerts(m.ctx));
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /does not include "sa\.key"/);
    assert.deepEqual(await filesUnder(m.root), []);
  });
});

describe('join download-certs with an external etcd', () => {
  it('saves the external etcd client files where the cluster configuration says', async () => {
    const first = await firstNode({ externalEtcd: true });
    const n = await joiningNode(first);
    try {
      await downloadCerts(n.ctx);
      for (const [file, mode] of [['ca.crt', 0o644], ['client.crt', 0o644], ['client.key', 0o600]] as const) {
        const written = path.join(n.root, 'etc/etcd', file);
        assert.deepEqual(await readFile(written), await readFile(path.join(first.root, 'etc/etcd', file)));
        assert.equal((await stat(written)).mode & 0o777, mode);
      }
      assert.ok(!(await filesUnder(n.root)).some((f) => f.startsWith(`${pkiDir}/etcd/`)));
    } finally {
      await removeRoot(first.root);
      await removeRoot(n.root);
    }
  });
});
