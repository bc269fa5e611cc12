// CertificateSigningRequests: what the API validates on create (the request parses, signerName and usages
// are given) and what kube-controller-manager's kubelet-client signer checks and issues: a client
// certificate for `CN=system:node:<name>, O=system:nodes`, signed by the cluster CA.
import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import type { KubeObject } from '../../../src/api/objects.js';
import type { ResourceType } from '../../../src/api/resources.js';
import { caIssuer, createCertificate } from '../../../src/pki/certificate.js';
import { backdateMs } from '../../../src/pki/profile-spec.js';
import { loadX509 } from '../../../src/pki/x509-lib.js';
import { invalid, type FieldCause } from './status.js';

export const kubeletClientSigner = 'kubernetes.io/kube-apiserver-client-kubelet';

export interface CsrSpec {
  readonly request?: string;
  readonly signerName?: string;
  readonly usages?: readonly string[];
  readonly username?: string;
  readonly groups?: readonly string[];
  readonly expirationSeconds?: number;
}

export interface ParsedRequest {
  readonly subject: readonly Record<string, string[]>[];
  readonly publicKey: KeyObject;
  readonly hasAltNames: boolean;
  readonly signatureValid: boolean;
}

export const specOf = (csr: KubeObject): CsrSpec => (csr['spec'] ?? {}) as CsrSpec;

/** The PKCS#10 request in spec.request (base64 of PEM), or a reason it is not one. */
export async function parseRequest(spec: CsrSpec): Promise<ParsedRequest | string> {
  if (spec.request === undefined || spec.request === '') return 'Required value';
  const pem = Buffer.from(spec.request, 'base64').toString('utf8');
  if (!/^-----BEGIN CERTIFICATE REQUEST-----/.test(pem.trim())) return 'PEM block type must be CERTIFICATE REQUEST';
  try {
    const x509 = await loadX509();
    const csr = new x509.Pkcs10CertificateRequest(pem);
    return {
      subject: csr.subjectName.toJSON(),
      publicKey: createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' }),
      hasAltNames: csr.getExtension('2.5.29.17') !== null, // subjectAltName
      signatureValid: await csr.verify(),
    };
  } catch (err) {
    return `could not parse the certificate request: ${String(err)}`;
  }
}

/** 422 causes for a CSR body, as certificates validation reports them. */
export async function csrCauses(obj: KubeObject): Promise<FieldCause[]> {
  const spec = specOf(obj);
  const causes: FieldCause[] = [];
  const parsed = await parseRequest(spec);
  if (typeof parsed === 'string') {
    causes.push(parsed === 'Required value'
      ? { field: 'spec.request', reason: 'FieldValueRequired', message: 'Required value' }
      : { field: 'spec.request', reason: 'FieldValueInvalid', message: `Invalid value: "<request>": ${parsed}` });
  } else if (!parsed.signatureValid) {
    causes.push({ field: 'spec.request', reason: 'FieldValueInvalid', message: 'Invalid value: "<request>": the request is not signed by its key' });
  }
  if (spec.signerName === undefined || spec.signerName === '') causes.push({ field: 'spec.signerName', reason: 'FieldValueRequired', message: 'Required value' });
  if (spec.usages === undefined || spec.usages.length === 0) causes.push({ field: 'spec.usages', reason: 'FieldValueRequired', message: 'Required value' });
  return causes;
}

export async function checkCsr(t: ResourceType, obj: KubeObject): Promise<void> {
  const causes = await csrCauses(obj);
  if (causes.length > 0) throw invalid(t, obj.metadata.name, causes);
}

/** The node name when the request is a valid kubelet client request, else why it is not. */
export function kubeletClientProblem(parsed: ParsedRequest, usages: readonly string[]): { node: string } | { problem: string } {
  const fields = parsed.subject.flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((v) => ({ type, v }))));
  const cns = fields.filter((f) => f.type === 'CN').map((f) => f.v);
  const os = fields.filter((f) => f.type === 'O').map((f) => f.v);
  const others = fields.filter((f) => f.type !== 'CN' && f.type !== 'O');
  if (cns.length !== 1 || !cns[0]!.startsWith('system:node:') || cns[0] === 'system:node:') return { problem: 'subject common name must begin with "system:node:"' };
  if (os.length !== 1 || os[0] !== 'system:nodes' || others.length > 0) return { problem: 'subject organization must be exactly "system:nodes"' };
  if (parsed.hasAltNames) return { problem: 'a kubelet client certificate must have no subject alternative names' };
  const allowed = new Set(['digital signature', 'key encipherment', 'client auth']);
  if (!usages.includes('client auth') || usages.some((u) => !allowed.has(u))) return { problem: `usages ${JSON.stringify(usages)} are not allowed for ${kubeletClientSigner}` };
  return { node: cns[0]!.slice('system:node:'.length) };
}

const yearMs = 365 * 24 * 3600 * 1000;

/**
 * A PEM client certificate for the node's request (subject CN=system:node:<node>, O=system:nodes, as
 * kubeletClientProblem checked) and its public key, issued by the CA for a year (or expirationSeconds),
 * capped at the CA's end: built by the product's own createCertificate.
 */
export async function signClientCertificate(parsed: ParsedRequest, spec: CsrSpec, node: string, ca: { cert: X509Certificate; key: KeyObject }, now: Date): Promise<string> {
  const ttl = spec.expirationSeconds !== undefined ? Math.min(spec.expirationSeconds * 1000, yearMs) : yearMs;
  const caEnd = new Date(ca.cert.validTo).getTime();
  return createCertificate({
    commonName: `system:node:${node}`,
    organization: ['system:nodes'],
    usages: ['clientAuth'],
    isCA: false,
    dnsNames: [],
    ips: [],
    notBefore: new Date(now.getTime() - backdateMs),
    notAfter: new Date(Math.min(now.getTime() + ttl, caEnd)),
  }, parsed.publicKey, caIssuer(ca.cert, ca.key));
}
