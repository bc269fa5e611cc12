// The kubelet's TLS bootstrap as a joining node's kubelet does it: with bootstrap-kubelet.conf's token, a
// CSR for system:node:<name> to the API server, which approves and signs it; then kubelet.conf pointing at
// the rotated client certificate in /var/lib/kubelet/pki. `apiServer` says where the API server really is:
// on a joining control plane bootstrap-kubelet.conf names the node's own (local) API server, which the test
// API server on the bridge stands in for.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { encodeKubeconfig, parseKubeconfig, currentEntries } from '../../../src/kubeconfig/kubeconfig.js';
import { createCertificateRequest } from '../../../src/pki/certificate.js';

const pemFile = '/var/lib/kubelet/pki/kubelet-client-current.pem';

async function call(base: string, ca: string, token: string, method: string, p: string, body?: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${base}${p}`, {
      method, ca, timeout: 5000,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    }, (res) => {
      let text = '';
      res.on('data', (b: Buffer) => (text += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${p}: timed out`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Bootstraps the kubelet of the node under `root`; resolves once kubelet.conf is written. */
export async function tlsBootstrap(root: string, nodeName: string, apiServer: string, timeoutMs = 30_000): Promise<void> {
  const bootstrapPath = '/etc/kubernetes/bootstrap-kubelet.conf';
  const kc = parseKubeconfig(await readFile(path.join(root, bootstrapPath), 'utf8'), bootstrapPath);
  const { cluster, user } = currentEntries(kc);
  if (cluster?.certificateAuthorityData === undefined || user?.token === undefined) throw new Error(`${bootstrapPath} has no CA data or no token`);
  const ca = cluster.certificateAuthorityData;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = new Date();
  const request = await createCertificateRequest({
    commonName: `system:node:${nodeName}`, organization: ['system:nodes'], usages: ['clientAuth'], isCA: false,
    dnsNames: [], ips: [], notBefore: now, notAfter: now,
  }, privateKey);
  const csrPath = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
  const created = await call(apiServer, ca, user.token, 'POST', csrPath, {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest',
    metadata: { generateName: 'csr-' },
    spec: { request: Buffer.from(request).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] },
  });
  if (created.status !== 201) throw new Error(`creating the kubelet's CSR: HTTP ${created.status} ${JSON.stringify(created.json)}`);
  const name = created.json.metadata.name as string;
  const deadline = Date.now() + timeoutMs;
  let cert: string | undefined;
  while (cert === undefined) {
    if (Date.now() > deadline) throw new Error(`the kubelet's CSR ${name} was not signed within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    const got = await call(apiServer, ca, user.token, 'GET', `${csrPath}/${name}`);
    const data = got.json?.status?.certificate as string | undefined;
    if (data !== undefined) cert = Buffer.from(data, 'base64').toString();
  }
  const keyPem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  await mkdir(path.join(root, path.dirname(pemFile)), { recursive: true });
  await writeFile(path.join(root, pemFile), cert + keyPem, { mode: 0o600 });
  const kubeletConf = encodeKubeconfig({
    clusters: [{ name: 'default-cluster', server: cluster.server, certificateAuthorityData: ca }],
    users: [{ name: 'default-auth', clientCertificate: pemFile, clientKey: pemFile }],
    contexts: [{ name: 'default-context', cluster: 'default-cluster', user: 'default-auth', namespace: 'default' }],
    currentContext: 'default-context',
  });
  await writeFile(path.join(root, 'etc/kubernetes/kubelet.conf'), kubeletConf, { mode: 0o600 });
}
