// `certs generate-csr`, for an external CA: a new key and a certificate request for every
// certificate a CA signs (`<base>.key`, `<base>.csr`), and for every kubeconfig a file holding
// only its client key (no CA, no certificate) plus `<file>.csr`. The operator has them signed
// and puts the certificates beside the keys. Nothing is overwritten: every path is checked
// before the first write, so a refusal leaves the directories as they were (kubeadm checks
// and writes one item at a time).
// kubeadm: phases/certs/certs.go (CreateDefaultKeysAndCSRFiles), phases/kubeconfig (CreateDefaultKubeConfigsAndCSRFiles).
import { certProfiles, type CertProfile } from '../../pki/certificates.js';
import { kubeconfigProfiles, type KubeconfigProfile } from '../../pki/kubeconfigs.js';
import type { InitConfig } from '../config/types.js';
import { CertificateError, ConfigError } from '../errors.js';
import type { Host } from '../host/host.js';
import { controlPlaneEndpointURL, localEndpointURL } from '../kubeconfig/endpoints.js';
import { clientCertificateKubeconfig, encodeKubeconfig } from '../kubeconfig/kubeconfig.js';
import type { Output } from '../output/output.js';
import { AltNamesError } from '../pki/alt-names.js';
import { createCertificateRequest, type CertificateSpec } from '../pki/certificate.js';
import { createKeyPool, keyConcurrency } from '../pki/key-pool.js';
import { encodePrivateKey } from '../pki/keys.js';
import { certificateSpec, clientCertificateSpec } from '../pki/profile-spec.js';
import { fileIn, keyPath, privateKeyMode } from '../pki-files/pki-files.js';
import { kubeconfigPath } from '../pki-files/ensure-kubeconfigs.js';
import { clusterKeyAlgorithm } from '../pki/algorithms.js';

export interface CsrRun {
  readonly host: Host;
  readonly out: Output;
  readonly certificatesDir: string;
  readonly kubeconfigDir: string;
  /** Node name, advertise address and cluster settings: the SANs and identities requested. */
  readonly cfg: Pick<InitConfig, 'init' | 'cluster'>;
  readonly now: Date;
}

/** kubeadm writes requests with the key's mode. */
const csrMode = privateKeyMode;

interface CertRequest {
  readonly label: string;
  readonly keyPath: string;
  readonly csrPath: string;
  readonly spec: CertificateSpec;
}

interface KubeconfigRequest {
  readonly label: string;
  readonly path: string;
  readonly csrPath: string;
  readonly server: string;
  readonly user: string;
  readonly spec: CertificateSpec;
}

export async function generateCsrs(run: CsrRun): Promise<void> {
  const certs = certProfiles.filter((p) => p.ca !== undefined && (!p.localEtcdOnly || run.cfg.cluster.etcd.local !== undefined)).map((p) => certRequest(run, p));
  const kubeconfigs = kubeconfigProfiles.map((p) => kubeconfigRequest(run, p));
  await refuseExisting(run.host, [
    ...certs.flatMap((c) => [c.keyPath, c.csrPath]),
    // kubeadm also refuses a stray `<file>.key` beside a kubeconfig.
    ...kubeconfigs.flatMap((k) => [k.path, k.csrPath, `${k.path}.key`]),
  ]);

  const keys = createKeyPool(clusterKeyAlgorithm(run.cfg.cluster), keyConcurrency(run.host.system.cpuCount(), run.host.env));
  keys.reserve(certs.length + kubeconfigs.length);

  run.out.info(`generating keys and CSRs in ${run.certificatesDir}`);
  for (const c of certs) {
    const key = await keys.take();
    const csr = await createCertificateRequest(c.spec, key);
    await run.host.fs.writeAll([
      { path: c.keyPath, data: encodePrivateKey(key), mode: privateKeyMode },
      { path: c.csrPath, data: csr, mode: csrMode },
    ]);
    run.out.info(`  ${c.label}`);
  }
  run.out.info(`generating keys and CSRs in ${run.kubeconfigDir}`);
  for (const k of kubeconfigs) {
    const key = await keys.take();
    const csr = await createCertificateRequest(k.spec, key);
    // No CA and no certificate yet: the operator adds client-certificate-data once it is signed.
    const kubeconfig = clientCertificateKubeconfig({ clusterName: run.cfg.cluster.clusterName, server: k.server, caPem: '', user: k.user }, '', encodePrivateKey(key));
    await run.host.fs.writeAll([
      { path: k.path, data: encodeKubeconfig(kubeconfig), mode: privateKeyMode },
      { path: k.csrPath, data: csr, mode: csrMode },
    ]);
    run.out.info(`  ${k.label}`);
  }
}

function certRequest(run: CsrRun, profile: CertProfile): CertRequest {
  const id = { nodeName: run.cfg.init.nodeRegistration.name, advertiseAddress: run.cfg.init.localAPIEndpoint.advertiseAddress, cluster: run.cfg.cluster };
  let rendered;
  try {
    rendered = certificateSpec(profile, id, run.now);
  } catch (err) {
    if (!(err instanceof AltNamesError)) throw err;
    throw new ConfigError(err.message, { fix: 'set localAPIEndpoint.advertiseAddress (or networking.serviceSubnet) to a valid value in the --config file', cause: err });
  }
  for (const w of rendered.warnings) run.out.warn(w);
  return {
    label: profile.baseName,
    keyPath: keyPath(run.certificatesDir, profile.baseName),
    csrPath: fileIn(run.certificatesDir, `${profile.baseName}.csr`),
    spec: rendered.spec,
  };
}

function kubeconfigRequest(run: CsrRun, profile: KubeconfigProfile): KubeconfigRequest {
  const { init, cluster } = run.cfg;
  const user = typeof profile.user === 'string' ? profile.user : `system:node:${init.nodeRegistration.name}`;
  const path = kubeconfigPath(run.kubeconfigDir, profile.file);
  return {
    label: profile.file,
    path,
    csrPath: `${path}.csr`,
    server: profile.server === 'local' ? localEndpointURL(init.localAPIEndpoint) : controlPlaneEndpointURL(cluster, init.localAPIEndpoint),
    user,
    // Only the subject goes into the request; the CA sets the period.
    spec: clientCertificateSpec(user, profile.groups, run.now, cluster.certificateValidityPeriodMs),
  };
}

async function refuseExisting(host: Host, paths: readonly string[]): Promise<void> {
  const found = (await Promise.all(paths.map(async (p) => ((await host.fs.stat(p)) === undefined ? undefined : p)))).filter((p): p is string => p !== undefined);
  const [first, ...rest] = found;
  if (first === undefined) return;
  throw new CertificateError(first, `file already exists: ${first}${rest.length === 0 ? '' : ` (and ${rest.length} more)`}`, {
    fix: 'generate-csr never overwrites: move those files away, or choose empty directories with --cert-dir and --kubeconfig-dir',
  });
}
