// ClusterConfiguration and InitConfiguration checks (kubeadm ValidateClusterConfiguration,
// ValidateInitConfiguration, ValidateEtcd, NormalizeKubernetesVersion's minimum).
import type { ClusterConfiguration, Etcd, InitConfiguration } from './types.js';
import { invalid, problem, type FieldProblem } from './field-problem.js';
import { checkFeatureGates } from './feature-gates.js';
import { configDefaults } from './defaults.js';
import { formatGoDuration } from './duration.js';
import { parseHostPort } from './host-port.js';
import { isSupportedControlPlaneVersion, minorOf, tooOldMessage } from './kubernetes-versions.js';
import {
  validateAbsolutePath, validateAPIEndpoint, validateBootstrapTokens, validateCertificateKey, validateCertSANs,
  validateExtraArgs, validateImageRepository, validateNodeRegistration,
} from './validate-common.js';
import { validateNetworking } from './validate-network.js';
import { urlScheme } from './url-scheme.js';

const kind = 'ClusterConfiguration';

const encryptionAlgorithms: readonly string[] = Object.freeze(['ECDSA-P256', 'ECDSA-P384', 'RSA-2048', 'RSA-3072', 'RSA-4096']);

function validateEtcd(e: Etcd): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (e.local !== undefined && e.external !== undefined) {
    return [invalid(kind, ['etcd'], '', '.Etcd.Local and .Etcd.External are mutually exclusive')];
  }
  if (e.local !== undefined) {
    const l = e.local;
    out.push(...validateAbsolutePath(kind, ['etcd', 'local', 'dataDir'], l.dataDir));
    out.push(...validateCertSANs(kind, ['etcd', 'local', 'serverCertSANs'], l.serverCertSANs));
    out.push(...validateCertSANs(kind, ['etcd', 'local', 'peerCertSANs'], l.peerCertSANs));
    if (l.imageRepository !== '') out.push(...validateImageRepository(kind, ['etcd', 'local', 'imageRepository'], l.imageRepository));
    out.push(...validateExtraArgs(kind, ['etcd', 'local', 'extraArgs'], l.extraArgs));
    return out;
  }
  const x = e.external!;
  const base = ['etcd', 'external'];
  // Plain http is allowed only when no TLS file is given (corpus 042).
  const requireHTTPS = x.caFile !== '' || x.certFile !== '' || x.keyFile !== '';
  if ((x.certFile === '') !== (x.keyFile === '')) {
    out.push(invalid(kind, base, '', 'either both or none of .Etcd.External.CertFile and .Etcd.External.KeyFile must be set'));
  }
  if (x.certFile !== '' && x.keyFile !== '' && x.caFile === '') {
    out.push(invalid(kind, base, '', 'setting .Etcd.External.CertFile and .Etcd.External.KeyFile requires .Etcd.External.CAFile'));
  }
  if (x.endpoints.length === 0) out.push(problem(kind, [...base, 'endpoints'], 'external etcd needs at least one endpoint URL'));
  for (const u of x.endpoints) {
    const scheme = urlScheme(u)?.toLowerCase();
    if (scheme === undefined) out.push(invalid(kind, [...base, 'endpoints'], u, 'the URL without scheme is not allowed'));
    else if (requireHTTPS && scheme !== 'https') out.push(invalid(kind, [...base, 'endpoints'], u, 'the URL must be using the HTTPS scheme'));
    else if (!URL.canParse(u)) out.push(invalid(kind, [...base, 'endpoints'], u, 'URL parse error'));
  }
  for (const f of ['caFile', 'certFile', 'keyFile'] as const) {
    if (x[f] !== '') out.push(...validateAbsolutePath(kind, [...base, f], x[f]));
  }
  return out;
}

/** kubeadm ValidateCertValidity: longer than the defaults is allowed, with a warning. */
function validityWarnings(c: ClusterConfiguration): string[] {
  const checks = [
    ['certificateValidityPeriod', c.certificateValidityPeriodMs, configDefaults.certificateValidityPeriodMs, 'certificate'],
    ['caCertificateValidityPeriod', c.caCertificateValidityPeriodMs, configDefaults.caCertificateValidityPeriodMs, 'CA certificate'],
  ] as const;
  return checks
    .filter(([, value, limit]) => value > limit)
    .map(([field, value, limit, what]) =>
      `${field}: the value ${formatGoDuration(value)} is more than the recommended default for ${what} expiration: ${formatGoDuration(limit)}`);
}

export function validateCluster(c: ClusterConfiguration): { problems: FieldProblem[]; warnings: string[] } {
  const out: FieldProblem[] = [];
  if (c.dns.imageRepository !== '') out.push(...validateImageRepository(kind, ['dns', 'imageRepository'], c.dns.imageRepository));
  out.push(...validateNetworking(c));
  out.push(...validateCertSANs(kind, ['apiServer', 'certSANs'], c.apiServer.certSANs));
  out.push(...validateExtraArgs(kind, ['apiServer', 'extraArgs'], c.apiServer.extraArgs));
  out.push(...validateExtraArgs(kind, ['controllerManager', 'extraArgs'], c.controllerManager.extraArgs));
  out.push(...validateExtraArgs(kind, ['scheduler', 'extraArgs'], c.scheduler.extraArgs));
  out.push(...validateAbsolutePath(kind, ['certificatesDir'], c.certificatesDir));
  const gates = checkFeatureGates(kind, c.featureGates);
  out.push(...gates.problems);
  if (c.controlPlaneEndpoint !== '') {
    const hp = parseHostPort(c.controlPlaneEndpoint);
    if (!hp.ok) out.push(invalid(kind, ['controlPlaneEndpoint'], c.controlPlaneEndpoint, `endpoint is not valid: ${hp.message}`));
  }
  out.push(...validateImageRepository(kind, ['imageRepository'], c.imageRepository));
  out.push(...validateEtcd(c.etcd));
  if (!encryptionAlgorithms.includes(c.encryptionAlgorithm)) {
    out.push(invalid(kind, ['encryptionAlgorithm'], c.encryptionAlgorithm,
      `Invalid encryption algorithm "${c.encryptionAlgorithm}". Must be one of [${encryptionAlgorithms.join(' ')}]`));
  }
  if (c.clusterName !== '') {
    // The name ends up in kubeconfig contexts and certificates; kubeadm does not check it, users trip on it.
    if (!/^[a-zA-Z0-9]([-a-zA-Z0-9._]*[a-zA-Z0-9])?$/.test(c.clusterName)) {
      out.push(invalid(kind, ['clusterName'], c.clusterName, 'use letters, digits, "-", "_" and "."; start and end with a letter or digit'));
    }
  }
  if (c.certificateValidityPeriodMs <= 0) out.push(invalid(kind, ['certificateValidityPeriod'], c.certificateValidityPeriodMs, 'must be positive'));
  if (c.caCertificateValidityPeriodMs <= 0) out.push(invalid(kind, ['caCertificateValidityPeriod'], c.caCertificateValidityPeriodMs, 'must be positive'));
  const warnings = [...gates.warnings, ...validityWarnings(c)];
  // A version that failed to resolve was already reported by the defaulting step.
  if (minorOf(c.kubernetesVersion) !== undefined && !isSupportedControlPlaneVersion(c.kubernetesVersion)) {
    out.push(problem(kind, ['kubernetesVersion'], tooOldMessage(c.kubernetesVersion)));
  }
  return { problems: out, warnings };
}

export function validateInit(init: InitConfiguration, cluster: ClusterConfiguration): { problems: FieldProblem[]; warnings: string[] } {
  const k = 'InitConfiguration';
  const out: FieldProblem[] = [];
  out.push(...validateNodeRegistration(k, init.nodeRegistration));
  out.push(...validateBootstrapTokens(k, init.bootstrapTokens));
  const c = validateCluster(cluster);
  out.push(...c.problems);
  out.push(...validateAPIEndpoint(k, ['localAPIEndpoint'], init.localAPIEndpoint));
  out.push(...validateCertificateKey(k, ['certificateKey'], init.certificateKey));
  return { problems: out, warnings: c.warnings };
}
