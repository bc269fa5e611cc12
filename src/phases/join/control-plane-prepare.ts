// join's control-plane-prepare phase (control-plane joins only; a worker skips it): the shared CAs from the
// kubeadm-certs Secret, this node's own certificates signed by them, its kubeconfig files and its static Pod
// manifests. Each step runs init's code with the cluster's configuration, whose node fields (name, advertise
// address, bind port) are this node's. kubeadm: cmd/phases/join/controlplaneprepare.go.
import { certProfiles, serviceAccountKey } from '../../../pki/certificates.js';
import { kubeconfigProfiles } from '../../../pki/kubeconfigs.js';
import { kubeadmCertsSecretName } from '../../cluster-objects/certs-secret.js';
import type { InitConfig } from '../../config/types.js';
import { CertificateError } from '../../errors.js';
import { manifestsDir } from '../../manifest-files/static-pod-files.js';
import { controlPlaneComponents } from '../../manifests/static-pod.js';
import { ensureLeaf, ensureServiceAccountKey, isNeeded, loadCA, profileNamed } from '../../pki-files/ensure-certs.js';
import { ensureKubeconfig } from '../../pki-files/ensure-kubeconfigs.js';
import { certPath, fileIn, keyPath } from '../../pki-files/pki-files.js';
import { certificateInputs, kubeconfigInputs, manifestInputs } from '../../resume/inputs.js';
import type { Phase } from '../../workflow/phase.js';
import { writeControlPlaneManifest } from '../init/control-plane.js';
import { kubeconfigOptionsFor, pkiRunFor, reserveKeysFor } from '../init/pki-run.js';
import type { JoinContext } from './context.js';
import { downloadCerts } from './download-certs.js';

// kubeadm's getControlPlanePreparePhaseFlags (plus --join-string, tskubeadm's discovery value, and --dry-run).
const discoveryFlags = [
  'discovery-file', 'discovery-token', 'discovery-token-ca-cert-hash', 'discovery-token-unsafe-skip-ca-verification',
  'tls-bootstrap-token', 'token', 'join-string',
];
const flagsOf = {
  all: ['apiserver-advertise-address', 'apiserver-bind-port', 'config', 'control-plane', 'node-name', ...discoveryFlags, 'certificate-key', 'patches', 'dry-run'],
  'download-certs': ['config', 'control-plane', ...discoveryFlags, 'certificate-key', 'dry-run'],
  certs: ['apiserver-advertise-address', 'config', 'control-plane', 'node-name', ...discoveryFlags, 'dry-run'],
  kubeconfig: ['config', 'control-plane', ...discoveryFlags, 'certificate-key', 'dry-run'],
  'control-plane': ['apiserver-advertise-address', 'apiserver-bind-port', 'config', 'control-plane', 'patches', 'dry-run'],
};

const isControlPlane = (ctx: JoinContext) => ctx.cfg.join.controlPlane !== undefined;

/**
 * The leaf certificates a joining control plane makes, in the order a kubeadm v1.32 join printed them (kubeadm
 * walks a Go map, so its own order changes from run to run). The CAs and the sa key pair are the cluster's.
 */
const joinLeafOrder = [
  'front-proxy-client', 'etcd-server', 'etcd-peer', 'etcd-healthcheck-client', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'apiserver',
].map(profileNamed);

/** The kubeconfig files of a joining control plane: not kubelet.conf (TLS bootstrap makes it), not super-admin.conf. */
const joinKubeconfigs = kubeconfigProfiles.filter((k) => k.onJoiningControlPlane);

const shareFix = `join with --certificate-key (the key "tskubeadm init phase upload-certs --upload-certs" prints on a control-plane ` +
  'node), or copy ca.crt, ca.key, front-proxy-ca.crt, front-proxy-ca.key, sa.key, sa.pub and, with a local etcd, etcd/ca.crt and ' +
  'etcd/ca.key from a control-plane node';

/** Starts generating, once, a key for every certificate and kubeconfig this run's selected sub-phases will make. */
function reserveJoinKeys(ctx: JoinContext, cfg: InitConfig): Promise<void> {
  return reserveKeysFor(ctx, {
    certificatesDir: cfg.cluster.certificatesDir,
    certs: ctx.selected.has('control-plane-prepare/certs') ? joinLeafOrder.filter((p) => isNeeded(p, cfg.cluster)) : [],
    serviceAccount: false,
    kubeconfigDir: ctx.options.kubeconfigDir,
    kubeconfigs: ctx.selected.has('control-plane-prepare/kubeconfig') ? joinKubeconfigs : [],
  });
}

/** kubeadm would make new CAs here, which no other node trusts: the shared ones must be on disk instead. */
async function requireSharedCAs(ctx: JoinContext, cfg: InitConfig): Promise<void> {
  const run = pkiRunFor(ctx, cfg);
  for (const ca of certProfiles.filter((p) => p.ca === undefined && isNeeded(p, cfg.cluster))) {
    if ((await loadCA(run, ca)) === undefined) {
      const path = certPath(cfg.cluster.certificatesDir, ca.baseName);
      throw new CertificateError(path, `the ${ca.name} certificate authority ${path} is missing: a joining control plane uses the cluster's CAs ` +
        `(from the ${kubeadmCertsSecretName} Secret or copied by hand)`, { fix: shareFix });
    }
  }
  const saPath = fileIn(cfg.cluster.certificatesDir, serviceAccountKey.privateKeyFile);
  if ((await ctx.host.fs.stat(saPath)) === undefined) {
    throw new CertificateError(saPath, `the service-account key ${saPath} is missing: a joining control plane signs and checks service-account ` +
      'tokens with the cluster\'s key', { fix: shareFix });
  }
}

async function prepareCerts(ctx: JoinContext): Promise<void> {
  const cfg = await ctx.cluster();
  const dir = cfg.cluster.certificatesDir;
  ctx.out.info(`[certs] Using certificateDir folder "${ctx.writtenTo(dir)}"`);
  await reserveJoinKeys(ctx, cfg);
  await requireSharedCAs(ctx, cfg);
  const run = pkiRunFor(ctx, cfg);
  for (const p of joinLeafOrder) if (isNeeded(p, cfg.cluster)) await ensureLeaf(run, p);
  ctx.out.info(`[certs] Valid certificates and keys now exist in "${ctx.writtenTo(dir)}"`);
  await ensureServiceAccountKey(run);
}

async function prepareKubeconfigs(ctx: JoinContext): Promise<void> {
  const cfg = await ctx.cluster();
  ctx.out.info('[kubeconfig] Generating kubeconfig files');
  ctx.out.info(`[kubeconfig] Using kubeconfig folder "${ctx.writtenTo(ctx.options.kubeconfigDir)}"`);
  await reserveJoinKeys(ctx, cfg);
  const run = pkiRunFor(ctx, cfg);
  const opts = kubeconfigOptionsFor(ctx.options.kubeconfigDir, cfg);
  for (const k of joinKubeconfigs) await ensureKubeconfig(run, k, opts);
}

async function prepareManifests(ctx: JoinContext): Promise<void> {
  const cfg = await ctx.cluster();
  ctx.out.info(`[control-plane] Using manifest folder "${ctx.writtenTo(manifestsDir)}"`);
  const run = { cfg, host: ctx.host, out: ctx.out, patches: ctx.patches };
  for (const component of controlPlaneComponents) await writeControlPlaneManifest(run, component);
}

export const controlPlanePrepare: Phase<JoinContext> = {
  name: 'control-plane-prepare',
  short: 'Prepare the machine for serving a control plane',
  long: 'For join --control-plane: save the cluster\'s CAs and service-account key pair (with --certificate-key), make this node\'s ' +
    'certificates, kubeconfig files and static Pod manifests. A worker join skips it.',
  example: '# Prepare the machine for serving a control plane\ntskubeadm join phase control-plane-prepare all --config join.yaml',
  phases: [
    { name: 'all', short: 'Prepare the machine for serving a control plane', selectsParent: true, flags: flagsOf.all },
    {
      name: 'download-certs',
      short: `[EXPERIMENTAL] Download certificates shared among control-plane nodes from the ${kubeadmCertsSecretName} Secret`,
      long: `Read the ${kubeadmCertsSecretName} Secret with the bootstrap token, decrypt it with --certificate-key and save the cluster CA, the ` +
        'front-proxy CA, the etcd CA (or the external etcd client files) and the service-account key pair: keys 0600, certificates 0644. ' +
        'A file already there with other contents stops the phase before anything is written. Without --certificate-key it does nothing.',
      flags: flagsOf['download-certs'],
      runIf: (ctx) => isControlPlane(ctx) && (ctx.cfg.join.controlPlane?.certificateKey ?? '') !== '',
      // The cluster's CAs and sa key: kept by a re-run, never replaced.
      resume: {
        inputs: async (ctx) => {
          const { cluster } = await ctx.cluster();
          return { certificatesDir: cluster.certificatesDir, etcd: cluster.etcd.local === undefined ? 'external' : 'local' };
        },
        replaceOnChange: false,
      },
      run: downloadCerts,
    },
    {
      name: 'certs',
      short: 'Generate the certificates for the new control plane components',
      long: 'Make this node\'s API server, kubelet-client, front-proxy-client and (local etcd) etcd certificates, signed by the cluster\'s ' +
        'CAs, for its name and advertise address. The CAs and the sa key must be there already (download-certs or copied by hand).',
      flags: flagsOf.certs,
      runIf: isControlPlane,
      resume: {
        inputs: async (ctx) => {
          const cfg = await ctx.cluster();
          return joinLeafOrder.map((p) => certificateInputs(p, cfg));
        },
        replaceOnChange: true,
      },
      run: prepareCerts,
    },
    {
      name: 'kubeconfig',
      short: 'Generate the kubeconfig for the new control plane components',
      long: 'Write admin.conf, controller-manager.conf and scheduler.conf with client certificates signed by the cluster CA; kubelet.conf ' +
        'comes from the TLS bootstrap later.',
      flags: flagsOf.kubeconfig,
      runIf: isControlPlane,
      resume: {
        inputs: async (ctx) => {
          const cfg = await ctx.cluster();
          return joinKubeconfigs.map((k) => kubeconfigInputs(k, cfg, ctx.options.kubeconfigDir));
        },
        replaceOnChange: true,
      },
      run: prepareKubeconfigs,
    },
    {
      name: 'control-plane',
      short: 'Generate the manifests for the new control plane components',
      long: `Write the kube-apiserver, kube-controller-manager and kube-scheduler static Pod manifests into ${manifestsDir} with this ` +
        'node\'s advertise address and bind port, the cluster\'s extraArgs, extraVolumes and extraEnvs, then any --patches.',
      flags: flagsOf['control-plane'],
      runIf: isControlPlane,
      resume: {
        inputs: async (ctx) => {
          const cfg = await ctx.cluster();
          return Promise.all(controlPlaneComponents.map((c) => manifestInputs(ctx, cfg, c)));
        },
      },
      run: prepareManifests,
    },
  ],
};

/** The certificate and key files the certs sub-phase makes for this cluster, in its order. */
export function joinLeafCertificates(cfg: InitConfig): { cert: string; key: string; name: string }[] {
  const dir = cfg.cluster.certificatesDir;
  return joinLeafOrder.filter((p) => isNeeded(p, cfg.cluster)).map((p) => ({ name: p.name, cert: certPath(dir, p.baseName), key: keyPath(dir, p.baseName) }));
}
