// Building certificates and CSRs the way kubeadm's Go code does, so that openssl, kubectl
// and kube-bench see the same thing: subject of O then CN, key usages marked critical,
// basic constraints critical, a subject key id on CAs, the issuer's key id on what a CA signs,
// DNS SANs before IP SANs, a random positive 63-bit serial. kubeadm: util/pkiutil/pki_helpers.go
// (NewSelfSignedCACert, NewSignedCert) over Go's x509.CreateCertificate.
import { createPublicKey, randomBytes, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import type { ExtKeyUsage } from '../../pki/certificates.js';
import { signingParams, type SigningParams } from './algorithms.js';
import { loadX509, type X509Lib } from './x509-lib.js';

export interface CertificateSpec {
  readonly commonName: string;
  readonly organization: readonly string[];
  readonly usages: readonly ExtKeyUsage[];
  readonly isCA: boolean;
  /** In the order they are written. */
  readonly dnsNames: readonly string[];
  readonly ips: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A CA that signs: its certificate and key, with what signing needs from them worked out once. */
export interface CAIssuer {
  readonly selfSigned?: false;
  readonly certificate: X509Certificate;
  readonly key: KeyObject;
  /** The issuer name (the CA's subject, bytes as they are), its key id and the imported signing key. */
  readonly prepared: () => Promise<PreparedIssuer>;
}

interface PreparedIssuer {
  readonly name: InstanceType<X509Lib['Name']>;
  readonly keyId: string | undefined;
  readonly signingKey: webcrypto.CryptoKey;
  readonly signParams: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

/** Who signs: the certificate's own key (a self-signed CA) or a CA. */
export type Issuer = { readonly selfSigned: true } | CAIssuer;

export function caIssuer(certificate: X509Certificate, key: KeyObject): CAIssuer {
  let prepared: Promise<PreparedIssuer> | undefined;
  return {
    certificate,
    key,
    prepared: () => (prepared ??= prepareIssuer(certificate, key)),
  };
}

async function prepareIssuer(certificate: X509Certificate, key: KeyObject): Promise<PreparedIssuer> {
  const x509 = await loadX509();
  const parsed = new x509.X509Certificate(certificate.raw);
  const skid = parsed.getExtension(x509.SubjectKeyIdentifierExtension);
  const { signingKey, signParams } = await importSigningKey(key);
  return { name: new x509.Name(parsed.subjectName.toArrayBuffer()), keyId: skid?.keyId, signingKey, signParams };
}

/** The key as a WebCrypto signing key, with the parameters it signs (and its public half imports) with. */
async function importSigningKey(key: KeyObject): Promise<SigningParams & { signingKey: webcrypto.CryptoKey }> {
  const params = signingParams(key);
  if (params === undefined) throw new Error(`cannot sign with a ${key.asymmetricKeyType ?? 'unknown'} key`);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), params.importParams, false, ['sign']);
  return { ...params, signingKey };
}

const ekuOids: Readonly<Record<ExtKeyUsage, string>> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

/**
 * A PEM certificate for `key`'s public half, per `spec`, signed by `issuer`. When a CA signs, `key` may be the
 * public key itself (a CSR's); a self-signed certificate needs the private key.
 */
export async function createCertificate(spec: CertificateSpec, key: KeyObject, issuer: Issuer): Promise<string> {
  const x509 = await loadX509();
  const publicDer = (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  const ku = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment |
    (spec.isCA ? x509.KeyUsageFlags.keyCertSign : 0);
  const extensions: InstanceType<X509Lib['Extension']>[] = [new x509.KeyUsagesExtension(ku, true)];
  if (spec.usages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(spec.usages.map((u) => ekuOids[u])));
  extensions.push(new x509.BasicConstraintsExtension(spec.isCA, undefined, true));
  // Go writes a subject key id only on CAs, and the issuer's key id on certificates a CA signs.
  if (spec.isCA) extensions.push(await x509.SubjectKeyIdentifierExtension.create(publicDer));
  let signer: Pick<PreparedIssuer, 'signingKey' | 'signParams'>;
  let issuerName: PreparedIssuer['name'] | ReturnType<typeof subjectName>;
  if (issuer.selfSigned === true) {
    signer = await importSigningKey(key);
    issuerName = subjectName(spec);
  } else {
    const prepared = await issuer.prepared();
    signer = prepared;
    issuerName = prepared.name;
    if (prepared.keyId !== undefined) extensions.push(new x509.AuthorityKeyIdentifierExtension(prepared.keyId));
  }
  const san = sanEntries(spec);
  if (san.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(san));

  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: subjectName(spec),
    issuer: issuerName,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: publicDer,
    signingKey: signer.signingKey,
    signingAlgorithm: signer.signParams,
    extensions,
  });
  return cert.toString('pem') + '\n';
}

/** A PEM certificate request ("CERTIFICATE REQUEST") for `spec`, signed by `key`; for an external CA. */
export async function createCertificateRequest(spec: CertificateSpec, key: KeyObject): Promise<string> {
  const x509 = await loadX509();
  const { signingKey, signParams, importParams } = await importSigningKey(key);
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const publicKey = await webcrypto.subtle.importKey('spki', spki, importParams, true, ['verify']);
  const san = sanEntries(spec);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(spec),
    keys: { privateKey: signingKey, publicKey },
    signingAlgorithm: signParams,
    extensions: san.length > 0 ? [new x509.SubjectAlternativeNameExtension(san)] : [],
  });
  return csr.toString('pem') + '\n';
}

/** Go's pkix.Name order: every O, then CN; each value its own RDN. */
function subjectName(spec: Pick<CertificateSpec, 'commonName' | 'organization'>): { [type: string]: string[] }[] {
  return [...spec.organization.map((o) => ({ O: [o] })), { CN: [spec.commonName] }];
}

function sanEntries(spec: CertificateSpec): { type: 'dns' | 'ip'; value: string }[] {
  return [...spec.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...spec.ips.map((value) => ({ type: 'ip' as const, value }))];
}

/** A random serial in [1, 2^63), as Go's kubeadm draws it, in DER-safe hex (no sign bit set). */
export function randomSerialHex(): string {
  for (;;) {
    const bytes = randomBytes(8);
    bytes[0]! &= 0x7f;
    const n = BigInt(`0x${bytes.toString('hex')}`);
    if (n === 0n) continue;
    let hex = n.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    return Number.parseInt(hex.slice(0, 2), 16) >= 0x80 ? `00${hex}` : hex;
  }
}

/** The certificates in a PEM file, leaf first; a file may carry intermediates after the leaf. */
export function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}
