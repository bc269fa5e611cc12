// The static Pods of kube-apiserver, kube-controller-manager and kube-scheduler, from the configuration
// and the few host facts the caller looked up (no IO here). kubeadm: phases/controlplane/manifests.go
// GetStaticPodSpecs, util/staticpod/utils.go (probe addresses).
import { kubernetesImage } from '../config/images.js';
import type { APIEndpoint, ClusterConfiguration } from '../config/types.js';
import { joinHostPort } from '../config/host-port.js';
import { apiServerCommand, controllerManagerCommand, lastArg, schedulerCommand } from './control-plane-args.js';
import { controlPlaneVolumes } from './control-plane-volumes.js';
import {
  componentEnv, probeHostFor, staticPod, startupFailureThreshold, type ControlPlaneComponentName, type StaticPodFill,
} from './static-pod.js';

/** The annotation kubeadm (upgrade, join) reads this node's API server endpoint back from. */
export const advertiseAddressAnnotation = 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint';

/** kubeadm's default secure ports of the controller manager and the scheduler. */
export const defaultSecurePorts = { 'kube-controller-manager': 10257, 'kube-scheduler': 10259 } as const;

export interface ControlPlaneInput {
  readonly cluster: ClusterConfiguration;
  /** This node's API server: InitConfiguration.localAPIEndpoint, or JoinConfiguration.controlPlane's. */
  readonly localAPIEndpoint: APIEndpoint;
  /** timeouts.controlPlaneComponentHealthCheck, which sizes the startup probe. */
  readonly controlPlaneComponentHealthCheckMs: number;
  /** The environment tskubeadm runs in: its *_proxy variables are passed to the components. */
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  /** Which of caCertsExtraPaths (control-plane-volumes.ts) exist on the host. */
  readonly existingCAFolders: ReadonlySet<string>;
  /** ca.crt without ca.key: the controller manager signs no certificates. */
  readonly externalCA: boolean;
  /** Non-fatal findings (kubeadm's klog warnings), one message each. */
  readonly warn: (message: string) => void;
}

/** kubeadm's probe host for a bind-address the user set: none at all for an unspecified address or an
 *  empty one (the kubelet then probes the pod IP, which is the node's own). */
function boundProbeHost(bindAddress: string | undefined): string {
  if (bindAddress === undefined) return '127.0.0.1';
  return bindAddress === '' ? '' : probeHostFor(bindAddress);
}

/** The component's port: its secure-port extra arg when that is a port number, else kubeadm's default.
 *  (kubeadm always probes the default, so a moved component failed its probes; we follow the flag.) */
function securePort(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^[0-9]{1,5}$/.test(value)) return fallback;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : fallback;
}

/** The Pod object of one control-plane component, ready for writeStaticPodManifest. */
export function controlPlanePod(component: ControlPlaneComponentName, input: ControlPlaneInput): Record<string, unknown> {
  const { cluster, localAPIEndpoint: local } = input;
  const common = {
    image: kubernetesImage(component, cluster),
    startupFailureThreshold: startupFailureThreshold(input.controlPlaneComponentHealthCheckMs),
    volumes: controlPlaneVolumes(component, cluster, input.existingCAFolders),
    mountOrder: 'sorted',
  } as const;
  let fill: StaticPodFill;
  switch (component) {
    case 'kube-apiserver':
      fill = {
        ...common,
        command: apiServerCommand(cluster, local, input.warn),
        probeHost: probeHostFor(local.advertiseAddress),
        probePort: local.bindPort,
        env: componentEnv(input.hostEnv, cluster.apiServer.extraEnvs),
        annotations: { [advertiseAddressAnnotation]: joinHostPort(local.advertiseAddress, local.bindPort) },
      };
      break;
    case 'kube-controller-manager': {
      const extra = cluster.controllerManager.extraArgs;
      fill = {
        ...common,
        command: controllerManagerCommand(cluster, input.externalCA),
        probeHost: boundProbeHost(lastArg(extra, 'bind-address')),
        probePort: securePort(lastArg(extra, 'secure-port'), defaultSecurePorts[component]),
        env: componentEnv(input.hostEnv, cluster.controllerManager.extraEnvs),
      };
      break;
    }
    case 'kube-scheduler': {
      const extra = cluster.scheduler.extraArgs;
      fill = {
        ...common,
        command: schedulerCommand(cluster),
        probeHost: boundProbeHost(lastArg(extra, 'bind-address')),
        probePort: securePort(lastArg(extra, 'secure-port'), defaultSecurePorts[component]),
        env: componentEnv(input.hostEnv, cluster.scheduler.extraEnvs),
      };
      break;
    }
  }
  return staticPod(component, fill);
}
