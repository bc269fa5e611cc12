// The real openssl as the judge of what tskubeadm writes: every certificate is read back with
// `openssl x509 -text` and verified with `openssl verify`, so the tests do not trust our own
// parser to check our own writer. openssl 3 prints extensions as "X509v3 <name>: [critical]"
// followed by indented value lines; that layout is what certificateFacts reads.
import { execFileSync } from 'node:child_process';

/** openssl's stdout; throws (with openssl's stderr in the message) when it exits non-zero. */
export function openssl(args: readonly string[], input?: string | Buffer): string {
  try {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}${e.message}`);
  }
}

export interface Extension {
  readonly critical: boolean;
  /** The value lines, trimmed and joined with a space. */
  readonly value: string;
}

export interface CertificateFacts {
  /** RFC 2253: the last RDN first, e.g. `CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins`. */
  readonly subject: string;
  readonly issuer: string;
  readonly signatureAlgorithm: string;
  /** `rsaEncryption` or `id-ecPublicKey`. */
  readonly publicKeyAlgorithm: string;
  readonly publicKeyBits: number;
  /** `P-256` / `P-384` for EC keys. */
  readonly curve: string | undefined;
  readonly serialHex: string;
  /** By name without the `X509v3 ` prefix: `Key Usage`, `Subject Alternative Name`… */
  readonly extensions: ReadonlyMap<string, Extension>;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** What openssl says about the first certificate in a PEM file. */
export function certificateFacts(path: string): CertificateFacts {
  const text = openssl(['x509', '-in', path, '-noout', '-text', '-nameopt', 'RFC2253']);
  const field = (re: RegExp): string => {
    const m = re.exec(text);
    if (m?.[1] === undefined) throw new Error(`openssl output for ${path} lacks ${re}:\n${text}`);
    return m[1].trim();
  };
  const dates = openssl(['x509', '-in', path, '-noout', '-startdate', '-enddate', '-dateopt', 'iso_8601']);
  const date = (name: string): Date => {
    const m = new RegExp(`^${name}=(.+)$`, 'm').exec(dates);
    if (m?.[1] === undefined) throw new Error(`no ${name} in ${dates}`);
    return new Date(m[1].replace(' ', 'T'));
  };
  const serial = openssl(['x509', '-in', path, '-noout', '-serial']).trim().replace(/^serial=/, '');
  return {
    subject: field(/^\s+Subject: (.*)$/m),
    issuer: field(/^\s+Issuer: (.*)$/m),
    signatureAlgorithm: field(/^\s+Signature Algorithm: (.*)$/m),
    publicKeyAlgorithm: field(/^\s+Public Key Algorithm: (.*)$/m),
    publicKeyBits: Number(field(/Public-Key: \((\d+) bit\)/)),
    curve: /NIST CURVE: (.*)$/m.exec(text)?.[1]?.trim(),
    serialHex: serial,
    extensions: parseExtensions(text),
    notBefore: date('notBefore'),
    notAfter: date('notAfter'),
  };
}

function parseExtensions(text: string): Map<string, Extension> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'X509v3 extensions:');
  const found = new Map<string, Extension>();
  if (start < 0) return found;
  const headerIndent = (lines[start + 1] ?? '').search(/\S/);
  let current: { name: string; critical: boolean; value: string[] } | undefined;
  const flush = () => {
    if (current !== undefined) found.set(current.name, { critical: current.critical, value: current.value.join(' ') });
  };
  for (const line of lines.slice(start + 1)) {
    const indent = line.search(/\S/);
    if (indent < headerIndent) break; // "Signature Algorithm:" after the extensions
    if (indent === headerIndent) {
      flush();
      const m = /^\s*(?:X509v3 )?(.+?):\s*(critical)?\s*$/.exec(line);
      if (m?.[1] === undefined) throw new Error(`unexpected extension header: ${line}`);
      current = { name: m[1], critical: m[2] === 'critical', value: [] };
    } else {
      current?.value.push(line.trim());
    }
  }
  flush();
  return found;
}

/** `openssl verify -CAfile ca leaf` with extra untrusted intermediates; openssl's output ("<leaf>: OK"). */
export function verify(caFile: string, leafFile: string, untrusted?: string): string {
  return openssl(['verify', '-CAfile', caFile, ...(untrusted === undefined ? [] : ['-untrusted', untrusted]), leafFile]).trim();
}

/** The PEM public key of a private key file, and of a certificate: equal for a key/certificate pair. */
export function publicKeyOfKey(keyFile: string): string {
  return openssl(['pkey', '-in', keyFile, '-pubout']);
}

export function publicKeyOfCertificate(certFile: string): string {
  return openssl(['x509', '-in', certFile, '-noout', '-pubkey']);
}
