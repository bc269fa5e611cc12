// Kubeconfigs and credentials for the tests of reset's user-kubeconfig step: a CA, client certificates it signs,
// admin.conf as kubeadm writes it, a control-plane node's pki and admin.conf under a temp root.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { caIssuer, createCertificate, parseCertificates, type CAIssuer } from '../../src/pki/certificate.js';
import { encodePrivateKey, generatePrivateKey } from '../../src/pki/keys.js';

export const day = () => ({ notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000) });

export async function testCA(cn = 'kubernetes'): Promise<{ pem: string; issuer: CAIssuer }> {
  const key = await generatePrivateKey('ECDSA-P256');
  const pem = await createCertificate({ commonName: cn, organization: [], usages: [], isCA: true, dnsNames: [cn], ips: [], ...day() },
    key, { selfSigned: true });
  const [cert] = parseCertificates(pem);
  assert.ok(cert !== undefined);
  return { pem, issuer: caIssuer(cert, key) };
}

export async function selfSignedCA(cn = 'kubernetes'): Promise<string> {
  return (await testCA(cn)).pem;
}

/** A client certificate and key (PEM) as admin.conf or super-admin.conf carries them. */
export interface Credential { readonly cert: string; readonly key: string }

export async function clientCredential(issuer: CAIssuer, cn = 'kubernetes-admin', org = ['kubeadm:cluster-admins']): Promise<Credential> {
  const key = await generatePrivateKey('ECDSA-P256');
  const cert = await createCertificate({ commonName: cn, organization: org, usages: ['clientAuth'], isCA: false, dnsNames: [], ips: [],
    ...day() }, key, issuer);
  return { cert, key: encodePrivateKey(key) };
}

export const b64 = (s: string) => Buffer.from(s).toString('base64');

/** admin.conf as kubeadm (and tskubeadm) writes it. */
export const adminConf = (caPem: string, cred: Credential, cluster = 'kubernetes', user = 'kubernetes-admin') => `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(caPem)}
    server: https://10.0.0.1:6443
  name: ${cluster}
contexts:
- context:
    cluster: ${cluster}
    user: ${user}
  name: ${user}@${cluster}
current-context: ${user}@${cluster}
kind: Config
preferences: {}
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(cred.cert)}
    client-key-data: ${b64(cred.key)}
`;

/** A control-plane node of a cluster: its CA in the pki directory and its admin.conf, with a client certificate that CA signed. */
export async function controlPlaneNode(root: string): Promise<{ ca: string; issuer: CAIssuer; admin: Credential }> {
  const { pem: ca, issuer } = await testCA();
  const admin = await clientCredential(issuer);
  await put(root, 'etc/kubernetes/pki/ca.crt', ca, 0o644);
  await put(root, 'etc/kubernetes/admin.conf', adminConf(ca, admin));
  return { ca, issuer, admin };
}

/** A file kubectl merged over time and a human edited: another cluster around ours, a shared user name, comments,
 *  hand alignment (a re-rendering would normalize it), a preference. */
export const merged = (oursPem: string, otherPem: string, cred: Credential) => `# my clusters
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(otherPem)}
    server:   https://prod.example.com:6443 # the real one (hand-aligned)
  name: prod
- cluster:
    certificate-authority-data: ${b64(oursPem)}
    server: https://10.0.0.1:6443
  name: kubernetes
# staging comes last
- cluster:
    server: https://staging.example.com
    insecure-skip-tls-verify: true
  name: staging
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
- context:
    cluster: prod
    namespace: web
    user: me
  name: prod
- context:
    cluster: staging
    user: kubernetes-admin
  name: staging
current-context: kubernetes-admin@kubernetes
kind: Config
preferences:
  colors: true
users:
- name: kubernetes-admin
  user:
    client-certificate-data: ${b64(cred.cert)}
    client-key-data: ${b64(cred.key)}
- name: me
  user:
    token: "abc def"
- name: lab-admin
  user:
    token: x
`;

export async function put(root: string, p: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(path.dirname(path.join(root, p)), { recursive: true });
  await writeFile(path.join(root, p), text, { mode });
}

export const read = (root: string, p: string) => readFile(path.join(root, p), 'utf8').catch(() => undefined);
