// JoinConfiguration and ResetConfiguration checks (kubeadm ValidateJoinConfiguration,
// ValidateDiscovery*, ValidateResetConfiguration). File discovery looks at the host:
// a scheme-less kubeConfigPath must exist there (corpus 055).
import type { Host } from '../host/host.js';
import type { JoinConfiguration, ResetConfiguration } from './types.js';
import { invalid, problem, type FieldProblem } from './field-problem.js';
import { isValidPort, splitHostPort } from './host-port.js';
import {
  validateAbsolutePath, validateAPIEndpoint, validateCertificateKey, validateIgnorePreflightErrors, validateNodeRegistration,
  validateSocketPath, validateToken,
} from './validate-common.js';
import { urlScheme } from './url-scheme.js';

const kind = 'JoinConfiguration';

/** Why a pin is not kubeadm's pubkeypin format (`sha256:` and 64 hex characters), in kubeadm's words; undefined when it is one. */
export function caCertHashProblem(hash: string): string | undefined {
  const parts = hash.split(':');
  if (parts.length !== 2) return `invalid hash "${hash}", expected "format:hex-value". Known format(s) are: sha256`;
  const [format, value] = parts as [string, string];
  if (format.toLowerCase() !== 'sha256') return `unknown hash format "${format}". Known format(s) are: sha256`;
  if (value.length !== 64) return `invalid hash "${hash}", expected a 32 byte SHA-256 hash, found ${Math.floor(value.length / 2)} bytes`;
  if (!/^[0-9a-fA-F]+$/.test(value)) return `invalid hash "${hash}", could not decode SHA-256 from hex`;
  return undefined;
}

async function validateKubeConfigPath(host: Host, path: string): Promise<FieldProblem[]> {
  const p = ['discovery', 'file', 'kubeConfigPath'];
  if (path === '') return [invalid(kind, p, path, 'not a valid HTTPS URL or a file on disk')];
  const scheme = urlScheme(path);
  if (scheme === undefined) {
    return (await host.fs.stat(path)) === undefined ? [invalid(kind, p, path, 'not a valid HTTPS URL or a file on disk')] : [];
  }
  if (scheme.toLowerCase() !== 'https') return [invalid(kind, p, path, 'if a URL is used, the scheme must be https')];
  return URL.canParse(path) ? [] : [invalid(kind, p, path, 'not a valid HTTPS URL or a file on disk')];
}

export async function validateJoin(host: Host, j: JoinConfiguration): Promise<FieldProblem[]> {
  const out: FieldProblem[] = [];
  const d = j.discovery;
  if (d.bootstrapToken === undefined && d.file === undefined) out.push(invalid(kind, ['discovery'], '', 'bootstrapToken or file must be set'));
  if (d.bootstrapToken !== undefined && d.file !== undefined) out.push(invalid(kind, ['discovery'], '', 'bootstrapToken and file cannot both be set'));
  const bt = d.bootstrapToken;
  if (bt !== undefined) {
    const base = ['discovery', 'bootstrapToken'];
    if (bt.apiServerEndpoint === '') {
      out.push(problem(kind, base, 'APIServerEndpoint is not set: give the control plane address (host:port) as the join argument or in discovery.bootstrapToken.apiServerEndpoint'));
    } else {
      const hp = splitHostPort(bt.apiServerEndpoint);
      if (!hp.ok) out.push(invalid(kind, [...base, 'apiServerEndpoint'], bt.apiServerEndpoint, hp.message));
      else if (hp.host === '' || !isValidPort(hp.port)) {
        out.push(invalid(kind, [...base, 'apiServerEndpoint'], bt.apiServerEndpoint, 'expected host:port with a port between 1 and 65535'));
      }
    }
    if (bt.caCertHashes.length === 0 && !bt.unsafeSkipCAVerification) {
      out.push(invalid(kind, [...base, 'caCertHashes'], '',
        'using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue'));
    }
    bt.caCertHashes.forEach((h, i) => {
      const why = caCertHashProblem(h);
      if (why !== undefined) out.push(problem(kind, [...base, 'caCertHashes', i], `invalid discovery token CA certificate hash: ${why}`));
    });
    out.push(...validateToken(kind, [...base, 'token'], bt.token));
    out.push(...validateToken(kind, ['discovery', 'tlsBootstrapToken'], d.tlsBootstrapToken));
  }
  if (d.file !== undefined) {
    out.push(...(await validateKubeConfigPath(host, d.file.kubeConfigPath)));
    if (d.tlsBootstrapToken !== '') out.push(...validateToken(kind, ['discovery', 'tlsBootstrapToken'], d.tlsBootstrapToken));
  }
  out.push(...validateNodeRegistration(kind, j.nodeRegistration));
  if (j.controlPlane !== undefined) {
    out.push(...validateAPIEndpoint(kind, ['controlPlane', 'localAPIEndpoint'], j.controlPlane.localAPIEndpoint));
    out.push(...validateCertificateKey(kind, ['controlPlane', 'certificateKey'], j.controlPlane.certificateKey));
  }
  if (!j.caCertPath.startsWith('/') || !j.caCertPath.endsWith('.crt')) {
    out.push(invalid(kind, ['caCertPath'], j.caCertPath, 'the ca certificate path must be an absolute path ending in .crt'));
  }
  return out;
}

const unmountFlags = ['MNT_FORCE', 'MNT_DETACH', 'MNT_EXPIRE', 'UMOUNT_NOFOLLOW'];

export function validateReset(r: ResetConfiguration): FieldProblem[] {
  const k = 'ResetConfiguration';
  const out: FieldProblem[] = [];
  out.push(...validateSocketPath(k, ['criSocket'], r.criSocket));
  out.push(...validateAbsolutePath(k, ['certificatesDir'], r.certificatesDir));
  r.unmountFlags.forEach((f, i) => {
    if (!unmountFlags.includes(f)) out.push(invalid(k, ['unmountFlags', i], `index ${i}`, `unknown unmount flag ${f} (known: ${unmountFlags.join(', ')})`));
  });
  out.push(...validateIgnorePreflightErrors(k, ['ignorePreflightErrors'], r.ignorePreflightErrors));
  return out;
}
