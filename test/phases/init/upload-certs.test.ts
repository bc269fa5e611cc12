// init's upload-certs phase against the in-memory API: the skip line, the 2-hour owner token, the encrypted
// Secret that decrypts back to the files on disk, the owner reference, RBAC, and the key line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodedSecretData } from '../../../src/api/secret-data.js';
import { decryptCertsSecret } from '../../../src/cluster-objects/certs-secret.js';
import type { InitConfig } from '../../../src/config/types.js';
import { ConfigError } from '../../../src/errors.js';
import { captureOutput, type CapturedOutput } from '../../../src/output/output.js';
import type { InitOptions } from '../../../src/phases/init/context.js';
import { uploadCerts } from '../../../src/phases/init/upload-certs.js';
import { fakeHost, type FakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { memoryApi, type MemoryApi } from '../../helpers/memory-api.js';
import { initConfig } from '../../preflight/healthy-host.js';

const keyHex = 'a1'.repeat(32);
const pki = '/etc/kubernetes/pki';
const pkiFiles = {
  [`${pki}/ca.crt`]: 'CA CERT\n', [`${pki}/ca.key`]: 'CA KEY\n', [`${pki}/front-proxy-ca.crt`]: 'FP CERT\n',
  [`${pki}/front-proxy-ca.key`]: 'FP KEY\n', [`${pki}/sa.pub`]: 'SA PUB\n', [`${pki}/sa.key`]: 'SA KEY\n', [`${pki}/etcd/ca.crt`]: 'ETCD CERT\n',
  // etcd/ca.key missing: uploaded empty
};
const withKey = (key = keyHex) => initConfig((c) => ({ ...c, init: { ...c.init, certificateKey: key } }));

async function run(api: MemoryApi, o: { cfg?: InitConfig; host?: FakeHost; options?: Partial<InitOptions> } = {}): Promise<CapturedOutput> {
  const out = captureOutput();
  const host = o.host ?? fakeHost({ hostname: 'node-1', files: pkiFiles, now: '2025-03-01T10:00:00Z' });
  await uploadCerts.run!(initContext(o.cfg ?? withKey(), host, out, { api, options: { uploadCerts: true, ...o.options } }));
  return out;
}

test('without --upload-certs: kubeadm\'s skip line and no request', async () => {
  const api = memoryApi();
  const out = await run(api, { options: { uploadCerts: false } });
  assert.equal(out.stdout(), '[upload-certs] Skipping phase. Please see --upload-certs\n');
  assert.deepEqual(api.requests, []);
});

test('with --upload-certs: lines, key printed, token then Secret then RBAC', async () => {
  const api = memoryApi();
  const out = await run(api);
  assert.equal(out.stdout(), [
    '[upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace',
    '[upload-certs] Using certificate key:',
    keyHex,
    '',
  ].join('\n'));
  assert.deepEqual(api.requests.filter((r) => r.verb === 'create').map((r) => `${r.kind} ${r.name}`), [
    `Secret ${api.all('Secret').find((s) => s.metadata.name.startsWith('bootstrap-token-'))!.metadata.name}`,
    'Secret kubeadm-certs', 'Role kubeadm:kubeadm-certs', 'RoleBinding kubeadm:kubeadm-certs',
  ]);
});

test('the owner token: 2 h from now, kubeadm\'s description, no usages, no groups', async () => {
  const api = memoryApi();
  await run(api);
  const token = api.all('Secret').find((s) => s.metadata.name.startsWith('bootstrap-token-'))!;
  const data = decodedSecretData(token);
  assert.deepEqual(Object.keys(data).sort(), ['description', 'expiration', 'token-id', 'token-secret']);
  assert.equal(data['description'], 'Proxy for managing TTL for the kubeadm-certs secret');
  assert.equal(data['expiration'], '2025-03-01T12:00:00Z');
  assert.equal(token.metadata.name, `bootstrap-token-${data['token-id']}`);
  assert.equal(token['type'], 'bootstrap.kubernetes.io/token');
});

test('kubeadm-certs is owned by the token Secret (its uid from the create answer) and decrypts to the files', async () => {
  const api = memoryApi();
  await run(api);
  const token = api.all('Secret').find((s) => s.metadata.name.startsWith('bootstrap-token-'))!;
  const secret = api.stored('Secret', 'kubeadm-certs', 'kube-system')!;
  assert.deepEqual(secret.metadata.ownerReferences, [{
    apiVersion: 'v1', kind: 'Secret', name: token.metadata.name, uid: token.metadata.uid, controller: true, blockOwnerDeletion: true,
  }]);
  const files = decryptCertsSecret(secret, keyHex);
  assert.deepEqual(Object.fromEntries([...files].map(([k, v]) => [k, v.toString()])), {
    'ca.crt': 'CA CERT\n', 'ca.key': 'CA KEY\n', 'etcd-ca.crt': 'ETCD CERT\n', 'etcd-ca.key': '',
    'front-proxy-ca.crt': 'FP CERT\n', 'front-proxy-ca.key': 'FP KEY\n', 'sa.key': 'SA KEY\n', 'sa.pub': 'SA PUB\n',
  });
});

test('a re-run replaces kubeadm-certs, owned by the new token', async () => {
  const api = memoryApi();
  await run(api);
  await run(api);
  const tokens = api.all('Secret').filter((s) => s.metadata.name.startsWith('bootstrap-token-'));
  assert.equal(tokens.length, 2);
  const owner = api.stored('Secret', 'kubeadm-certs', 'kube-system')!.metadata.ownerReferences![0]!;
  const newest = api.requests.filter((r) => r.verb === 'create' && r.name!.startsWith('bootstrap-token-')).at(-1)!.name;
  assert.equal(owner.name, newest);
  assert.equal(api.requests.filter((r) => r.verb === 'update' && r.name === 'kubeadm-certs').length, 1);
});

test('--skip-certificate-key-print withholds the key', async () => {
  const out = await run(memoryApi(), { options: { skipCertificateKeyPrint: true } });
  assert.doesNotMatch(out.stdout(), /certificate key|a1a1/);
});

test('a malformed key is invalid input and nothing is created', async () => {
  const api = memoryApi();
  await assert.rejects(run(api, { cfg: withKey('not-hex') }), ConfigError);
  assert.deepEqual(api.requests, []);
});

test('external etcd: its configured client files are uploaded', async () => {
  const api = memoryApi();
  const cfg = initConfig((c) => ({
    ...c,
    init: { ...c.init, certificateKey: keyHex },
    cluster: { ...c.cluster, etcd: { external: { endpoints: ['https://10.0.0.5:2379'], caFile: '/etcd/ca.pem', certFile: '/etcd/c.pem', keyFile: '' } } },
  }));
  const host = fakeHost({ hostname: 'node-1', files: { ...pkiFiles, '/etcd/ca.pem': 'EXT CA\n', '/etcd/c.pem': 'EXT CERT\n' } });
  await run(api, { cfg, host });
  const files = decryptCertsSecret(api.stored('Secret', 'kubeadm-certs', 'kube-system')!, keyHex);
  assert.equal(files.get('external-etcd-ca.crt')!.toString(), 'EXT CA\n');
  assert.equal(files.get('external-etcd.crt')!.toString(), 'EXT CERT\n');
  assert.equal(files.get('external-etcd.key')!.length, 0);
  assert.equal(files.has('etcd-ca.crt'), false);
});
