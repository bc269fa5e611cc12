// A control-plane static Pod: the component's template (templates/<component>.yaml, the fixed
// parts) with the computed fields set on the parsed object. kubeadm: util/staticpod/utils.go
// ComponentPod, phases/controlplane/manifests.go, phases/etcd/local.go.
import { parse } from 'yaml';
import etcdTemplate from '../../templates/etcd.yaml';
import apiServerTemplate from '../../templates/kube-apiserver.yaml';
import controllerManagerTemplate from '../../templates/kube-controller-manager.yaml';
import schedulerTemplate from '../../templates/kube-scheduler.yaml';
import type { EnvVar, HostPathMount } from '../config/types.js';
import { toGoYaml } from '../config/encode.js';

export const controlPlaneComponents = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type ControlPlaneComponentName = (typeof controlPlaneComponents)[number];
export type StaticPodComponent = ControlPlaneComponentName | 'etcd';

const templates: Readonly<Record<StaticPodComponent, string>> = {
  'etcd': etcdTemplate,
  'kube-apiserver': apiServerTemplate,
  'kube-controller-manager': controllerManagerTemplate,
  'kube-scheduler': schedulerTemplate,
};

/** The values kubeadm computes for one component's Pod. */
export interface StaticPodFill {
  readonly image: string;
  /** The binary, then its `--name=value` flags. */
  readonly command: readonly string[];
  /** Host of every HTTP probe; '' leaves it out (the kubelet then probes the pod IP, i.e. the node). */
  readonly probeHost: string;
  /** The number behind the named container port `probe-port`. */
  readonly probePort: number;
  /** The startup probe's failureThreshold (kubeadm: ceil(controlPlaneComponentHealthCheck / 10s)). */
  readonly startupFailureThreshold: number;
  /** hostPath volumes and their mounts; the Pod lists volumes sorted by name. */
  readonly volumes: readonly HostPathMount[];
  /** 'sorted' (control-plane components) or 'given' (etcd keeps etcd-data before etcd-certs). */
  readonly mountOrder: 'sorted' | 'given';
  /** Already merged and sorted (componentEnv). */
  readonly env: readonly EnvVar[];
  readonly annotations?: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

/** The Pod object of one component. */
export function staticPod(component: StaticPodComponent, fill: StaticPodFill): Json {
  const pod = parse(templates[component]) as Json;
  const metadata = pod['metadata'] as Json;
  if (fill.annotations !== undefined && Object.keys(fill.annotations).length > 0) metadata['annotations'] = { ...fill.annotations };
  const spec = pod['spec'] as Json;
  const container = (spec['containers'] as Json[])[0]!;
  container['image'] = fill.image;
  container['command'] = [...fill.command];
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const get = (container[probe] as Json | undefined)?.['httpGet'] as Json | undefined;
    if (get !== undefined && fill.probeHost !== '') get['host'] = fill.probeHost;
  }
  (container['startupProbe'] as Json)['failureThreshold'] = fill.startupFailureThreshold;
  for (const port of container['ports'] as Json[]) port['containerPort'] = fill.probePort;
  if (fill.env.length > 0) container['env'] = fill.env.map((e) => ({ ...e }));
  const byName = (a: HostPathMount, b: HostPathMount) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const mounts = fill.mountOrder === 'sorted' ? [...fill.volumes].sort(byName) : fill.volumes;
  if (mounts.length > 0) {
    container['volumeMounts'] = mounts.map((v) => ({ mountPath: v.mountPath, name: v.name, ...(v.readOnly ? { readOnly: true } : {}) }));
    spec['volumes'] = [...fill.volumes].sort(byName).map((v) => ({
      // kubeadm always sets the type (a pointer), so an extraVolume without pathType prints `type: ""`.
      hostPath: { path: v.hostPath, type: v.pathType },
      name: v.name,
    }));
  }
  return pod;
}

/** The manifest file's text, laid out as kubeadm writes it (keys sorted, Go's YAML). */
export function encodeManifest(pod: Readonly<Json>): string {
  return toGoYaml(pod);
}

/** kubeadm's probe host for a component bound to `address`: loopback when none is set, and none at all
 *  (the kubelet then uses the pod IP) for an unspecified address (0.0.0.0, ::). */
export function probeHostFor(address: string): string {
  if (address === '') return '127.0.0.1';
  return address === '0.0.0.0' || address === '::' || /^[0:]+$/.test(address) ? '' : address;
}

/** The Pod's environment: the host's *_proxy variables (any case, non-empty) with extraEnvs laid over them,
 *  the later value of a name winning, sorted by name. kubeadm: GetProxyEnvVars, MergeKubeadmEnvVars. */
export function componentEnv(hostEnv: Readonly<Record<string, string | undefined>>, extra: readonly EnvVar[]): EnvVar[] {
  const merged = new Map<string, EnvVar>();
  for (const [name, value] of Object.entries(hostEnv)) {
    if (name.toLowerCase().endsWith('_proxy') && value !== undefined && value !== '') merged.set(name, { name, value });
  }
  for (const e of extra) merged.set(e.name, e);
  return [...merged.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** kubeadm's startup-probe failureThreshold: the component health-check timeout in 10 s periods, rounded up. */
export function startupFailureThreshold(controlPlaneComponentHealthCheckMs: number): number {
  return Math.ceil(controlPlaneComponentHealthCheckMs / 10_000);
}
