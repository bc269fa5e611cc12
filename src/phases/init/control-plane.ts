// init's control-plane phase: the static Pod manifests of the API server, the controller manager and
// the scheduler, which the kubelet starts from /etc/kubernetes/manifests. kubeadm: cmd/phases/init/controlplane.go.
import type { Host } from '../../host/host.js';
import { manifestsDir, writeStaticPodManifest } from '../../manifest-files/static-pod-files.js';
import { controlPlanePod, type ControlPlaneInput } from '../../manifests/control-plane.js';
import { caCertsExtraPaths } from '../../manifests/control-plane-volumes.js';
import type { ControlPlaneComponentName } from '../../manifests/static-pod.js';
import { certPath, keyPath } from '../../pki-files/pki-files.js';
import { manifestInputs } from '../../resume/inputs.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

// kubeadm's getControlPlanePhaseFlags, minus --apiserver-extra-args, --controller-manager-extra-args and
// --scheduler-extra-args, which tskubeadm does not have (extraArgs go in the configuration file).
const commonFlags = ['config', 'cert-dir', 'kubernetes-version', 'image-repository', 'patches', 'dry-run'];
const componentFlags: Readonly<Record<ControlPlaneComponentName, readonly string[]>> = {
  'kube-apiserver': ['apiserver-advertise-address', 'control-plane-endpoint', 'apiserver-bind-port', 'feature-gates', 'service-cidr'],
  'kube-controller-manager': ['pod-network-cidr'],
  'kube-scheduler': [],
};

const subphases: readonly { component: ControlPlaneComponentName; name: string; long: string }[] = [
  {
    component: 'kube-apiserver',
    name: 'apiserver',
    long: 'The API server listens on the advertise address and bind port, talks to etcd (local or external) with its client ' +
      'certificate, and is probed by the kubelet on /livez and /readyz.',
  },
  {
    component: 'kube-controller-manager',
    name: 'controller-manager',
    long: 'The controller manager runs with controller-manager.conf, signs kubelet certificates with the cluster CA (unless only ' +
      'ca.crt is present: an external CA) and, when a pod subnet is set, hands out node pod CIDRs from it.',
  },
  {
    component: 'kube-scheduler',
    name: 'scheduler',
    long: 'The scheduler runs with scheduler.conf and listens on the loopback address unless extraArgs say otherwise.',
  },
];

/** os.Stat's answer, as kubeadm asks it: a symlink counts when its target exists. */
async function exists(host: Host, path: string): Promise<boolean> {
  const info = await host.fs.stat(path);
  if (info === undefined) return false;
  if (info.kind !== 'symlink') return true;
  try {
    return (await host.fs.list(path)) !== undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOTDIR'; // a link to a file
  }
}

/** What writing a manifest needs from a run: join --control-plane gives the cluster's configuration with this
 *  node's localAPIEndpoint and registration as `cfg`. */
export type ManifestRun = Pick<InitContext, 'cfg' | 'host' | 'out' | 'patches'>;

/** What controlPlanePod needs beyond the configuration, looked up on the host. */
async function podInput(ctx: ManifestRun): Promise<ControlPlaneInput> {
  const { cfg, host } = ctx;
  const found = await Promise.all(caCertsExtraPaths.map(async (p): Promise<string | undefined> => ((await exists(host, p)) ? p : undefined)));
  const dir = cfg.cluster.certificatesDir;
  // kubeadm's UsingExternalCA: the cluster CA's certificate is there and its key is not.
  const externalCA = (await exists(host, certPath(dir, 'ca'))) && !(await exists(host, keyPath(dir, 'ca')));
  return {
    cluster: cfg.cluster,
    localAPIEndpoint: cfg.init.localAPIEndpoint,
    controlPlaneComponentHealthCheckMs: cfg.init.timeouts.controlPlaneComponentHealthCheckMs,
    hostEnv: host.env,
    existingCAFolders: new Set(found.filter((p): p is string => p !== undefined)),
    externalCA,
    warn: (message) => ctx.out.warn(`[control-plane] WARNING: ${message}`),
  };
}

function componentPhase(s: (typeof subphases)[number]): Phase<InitContext> {
  return {
    name: s.name,
    short: `Generate the ${s.component} static Pod manifest`,
    long: `Write ${manifestsDir}/${s.component}.yaml. ${s.long} The configuration's extraArgs, extraVolumes and extraEnvs ` +
      'are applied, then any --patches for the target; an existing manifest is replaced.',
    flags: [...commonFlags, ...componentFlags[s.component]],
    // The phase overwrites its manifest anyway: replacing it (a removal first) would stop the running Pod.
    resume: { inputs: (ctx) => manifestInputs(ctx, ctx.cfg, s.component) },
    run: (ctx) => writeControlPlaneManifest(ctx, s.component),
  };
}

/** kubeadm's CreateStaticPodFiles for one component: its line, then the manifest with extraArgs and patches. */
export async function writeControlPlaneManifest(ctx: ManifestRun, component: ControlPlaneComponentName): Promise<void> {
  ctx.out.info(`[control-plane] Creating static Pod manifest for "${component}"`);
  const pod = controlPlanePod(component, await podInput(ctx));
  await writeStaticPodManifest(ctx.host, await ctx.patches(), component, pod);
}

export const controlPlane: Phase<InitContext> = {
  name: 'control-plane',
  short: 'Generate all static Pod manifest files necessary to establish the control plane',
  long: 'Write the static Pod manifests of the API server, the controller manager and the scheduler into ' +
    `${manifestsDir}, where the kubelet picks them up and starts the control plane.`,
  phases: [
    {
      name: 'all',
      short: 'Generate all static Pod manifest files',
      selectsParent: true,
      flags: [...commonFlags, ...subphases.flatMap((s) => componentFlags[s.component])],
      example: '  # The three control-plane manifests, as init writes them\n  tskubeadm init phase control-plane all --config config.yaml',
    },
    ...subphases.map(componentPhase),
  ],
  run: async (ctx) => {
    ctx.out.info(`[control-plane] Using manifest folder "${ctx.writtenTo(manifestsDir)}"`);
    if (ctx.cfg.cluster.featureGates['RootlessControlPlane'] === true) {
      ctx.out.warn('[control-plane] WARNING: the RootlessControlPlane feature gate is not implemented by tskubeadm: ' +
        'the control-plane components run as root');
    }
  },
};
