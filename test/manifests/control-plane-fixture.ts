// Configurations for the control-plane manifest tests, loaded as the CLI loads them, and the Pods
// built from them with the host facts a test chooses. The golden config names are shared with the
// etcd manifest goldens (test/golden/manifests/<config>/etcd.yaml).
import { loadInitConfig } from '../../src/config/load.js';
import type { InitConfig } from '../../src/config/types.js';
import { manifestCommand } from '../../src/manifest-files/static-pod-files.js';
import { controlPlanePod, type ControlPlaneInput } from '../../src/manifests/control-plane.js';
import { controlPlaneComponents, encodeManifest, type ControlPlaneComponentName } from '../../src/manifests/static-pod.js';
import { fakeHost } from '../helpers/fake-host.js';

/** The CA folders of a Debian host, as on the machine the observed output came from (no /etc/pki). */
export const debianCAFolders = ['/etc/ca-certificates', '/usr/local/share/ca-certificates', '/usr/share/ca-certificates'];
/** The CA folders of a Red Hat host. */
export const redHatCAFolders = ['/etc/pki/ca-trust', '/etc/pki/tls/certs'];

/** /work/shared/reference/kubeadm-observed/init-dry-run.config.yaml, copied so the goldens need no ../shared. */
export const observedConfig = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
  bindPort: 6443
nodeRegistration:
  name: node-1
bootstrapTokens:
- token: abcdef.0123456789abcdef
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
controlPlaneEndpoint: cp.example.test:6443
networking:
  podSubnet: 10.244.0.0/16
`;

const initDoc = (address: string, port: number, extra = '') => `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: "${address}"
  bindPort: ${port}
nodeRegistration:
  name: cp-1
${extra}---
`;

export interface GoldenConfig {
  readonly name: string;
  readonly yaml: string;
  readonly caFolders: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export const goldenConfigs: readonly GoldenConfig[] = [
  { name: 'observed', yaml: observedConfig, caFolders: debianCAFolders },
  {
    // Non-default ports, dual-stack subnets, domain, name, registry, certificate folder and startup timeout.
    name: 'custom',
    caFolders: redHatCAFolders,
    yaml: `${initDoc('10.0.0.5', 8443, 'timeouts:\n  controlPlaneComponentHealthCheck: 2m30s\n')}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.2
clusterName: prod-east
imageRepository: mirror.example.test/k8s
certificatesDir: /srv/kubernetes/pki
networking:
  dnsDomain: corp.example
  serviceSubnet: 10.100.0.0/16,fd00:100::/108
  podSubnet: 10.200.0.0/16,fd00:200::/56
`,
  },
  {
    name: 'external-etcd',
    caFolders: debianCAFolders,
    yaml: `${initDoc('192.0.2.20', 6443)}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
etcd:
  external:
    endpoints: [https://10.0.0.21:2379, https://10.0.0.22:2379]
    caFile: /etc/etcd/ca.crt
    certFile: /opt/etcd/client.crt
    keyFile: /etc/etcd/keys/client.key
`,
  },
  {
    name: 'ipv6',
    caFolders: debianCAFolders,
    yaml: `${initDoc('fd00:10::10', 6443)}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
networking:
  serviceSubnet: fd00:96::/108
  podSubnet: fd00:244::/56
`,
  },
  {
    // extraArgs (a repeated name, overrides of defaults, authorization), extraVolumes (one replacing a
    // default), extraEnvs over the host's proxy variables.
    name: 'extra',
    caFolders: debianCAFolders,
    env: { HTTPS_PROXY: 'http://proxy.example.test:3128', no_proxy: '10.0.0.0/8,.svc', PATH: '/usr/bin' },
    yaml: `${initDoc('192.0.2.30', 6443)}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
apiServer:
  extraArgs:
  - {name: authorization-mode, value: "Node,RBAC,Webhook"}
  - {name: authorization-webhook-config-file, value: /etc/kubernetes/authz/webhook.yaml}
  - {name: enable-admission-plugins, value: "NodeRestriction,PodNodeSelector"}
  - {name: tls-cipher-suites, value: TLS_AES_128_GCM_SHA256}
  - {name: tls-cipher-suites, value: TLS_AES_256_GCM_SHA384}
  extraVolumes:
  - {name: authz, hostPath: /etc/kubernetes/authz, mountPath: /etc/kubernetes/authz, readOnly: true, pathType: Directory}
  - {name: ca-certs, hostPath: /etc/pki/custom-bundle, mountPath: /etc/ssl/certs, readOnly: true, pathType: DirectoryOrCreate}
  extraEnvs:
  - {name: GOMAXPROCS, value: "2"}
  - {name: no_proxy, value: "10.0.0.0/8,.svc,.cluster.local"}
controllerManager:
  extraArgs:
  - {name: bind-address, value: 0.0.0.0}
  - {name: secure-port, value: "10357"}
  - {name: flex-volume-plugin-dir, value: /opt/flex}
  - {name: node-cidr-mask-size, value: "25"}
  extraEnvs:
  - {name: GOGC, value: "50"}
scheduler:
  extraArgs:
  - {name: bind-address, value: 192.0.2.30}
  - {name: config, value: /etc/kubernetes/scheduler-config.yaml}
  extraVolumes:
  - {name: scheduler-config, hostPath: /etc/kubernetes/scheduler-config.yaml, mountPath: /etc/kubernetes/scheduler-config.yaml, readOnly: true, pathType: File}
`,
  },
];

/** The configuration of a YAML text, loaded as `init --config` loads it (no runtime detection). */
export async function loadConfig(yaml: string): Promise<InitConfig> {
  const host = fakeHost({ files: { '/kubeadm.yaml': yaml } });
  return loadInitConfig({ host, configPath: '/kubeadm.yaml', flags: {}, skipCriDetect: true });
}

export interface BuildOptions {
  readonly caFolders?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly externalCA?: boolean;
}

/** controlPlanePod's input for a loaded configuration, with the warnings it gave collected. */
export function podInput(cfg: InitConfig, o: BuildOptions = {}): { input: ControlPlaneInput; warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    input: {
      cluster: cfg.cluster,
      localAPIEndpoint: cfg.init.localAPIEndpoint,
      controlPlaneComponentHealthCheckMs: cfg.init.timeouts.controlPlaneComponentHealthCheckMs,
      hostEnv: o.env ?? {},
      existingCAFolders: new Set(o.caFolders ?? debianCAFolders),
      externalCA: o.externalCA ?? false,
      warn: (m) => warnings.push(m),
    },
  };
}

/** The three manifests of a golden config, as file text. */
export async function renderGolden(g: GoldenConfig): Promise<Record<ControlPlaneComponentName, string>> {
  const { input } = podInput(await loadConfig(g.yaml), { caFolders: g.caFolders, ...(g.env ? { env: g.env } : {}) });
  const out = {} as Record<ControlPlaneComponentName, string>;
  for (const c of controlPlaneComponents) out[c] = encodeManifest(controlPlanePod(c, input));
  return out;
}

/** Loose access into a Pod object, for assertions. */
export type Json = Record<string, any>;

/** A v1beta4 config on 192.0.2.10 with these lines added to the ClusterConfiguration (and the InitConfiguration). */
export function config(cluster = '', init = ''): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.0.2.10
nodeRegistration:
  name: node-1
${init}---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
${cluster}`;
}

export async function inputFor(yaml: string, o: BuildOptions = {}) {
  return podInput(await loadConfig(yaml), o);
}

/** One component's Pod for a config text: the Pod, its container, its command line and the warnings given. */
export async function build(component: ControlPlaneComponentName, yaml: string, o: BuildOptions = {}) {
  const { input, warnings } = await inputFor(yaml, o);
  const pod = controlPlanePod(component, input) as Json;
  return { pod, container: pod['spec'].containers[0] as Json, command: manifestCommand(pod), warnings };
}

/** The `--name=value` flags of a command with this name. */
export const flags = (command: readonly string[], name: string) => command.filter((a) => a.startsWith(`--${name}=`));
