// Where the kubelet and each control-plane component answer health checks. kubeadm reads the component
// addresses from the static Pod manifests as written (patches and extraArgs included), so a moved port is
// followed; kubeadm: util/apiclient/wait.go getControlPlaneComponents, WaitForKubelet.
import { flagValue } from '../manifests/arguments.js';
import { controlPlaneComponents, type ControlPlaneComponentName } from '../manifests/static-pod.js';
import { joinHostPort } from '../config/host-port.js';
import type { HealthEndpoint } from './health.js';

export interface ComponentEndpoint extends HealthEndpoint {
  readonly name: ControlPlaneComponentName;
  readonly address: string;
  readonly port: number;
}

interface ComponentRule {
  readonly addressFlag: string;
  readonly defaultPort: number;
  readonly path: 'livez' | 'healthz';
  /** Only the API server's certificate is issued by the cluster CA; the other two serve self-signed ones. */
  readonly verify: boolean;
}

// kubeadm: controller-manager still answers /healthz only (kubernetes/kubernetes#118158).
const rules: Readonly<Record<ControlPlaneComponentName, ComponentRule>> = Object.freeze({
  'kube-apiserver': { addressFlag: 'advertise-address', defaultPort: 6443, path: 'livez', verify: true },
  'kube-controller-manager': { addressFlag: 'bind-address', defaultPort: 10257, path: 'healthz', verify: false },
  'kube-scheduler': { addressFlag: 'bind-address', defaultPort: 10259, path: 'livez', verify: false },
});

export interface EndpointDefaults {
  /** The API server's address when its manifest has no --advertise-address (localAPIEndpoint.advertiseAddress). */
  readonly advertiseAddress: string;
  /** Its port when the manifest has no --secure-port (localAPIEndpoint.bindPort). */
  readonly bindPort: number;
  /** The cluster CA (PEM) the API server's certificate must chain to. */
  readonly clusterCA: string;
}

/** The three health URLs, from each manifest's command line (the first container's). */
export function controlPlaneEndpoints(
  commands: Readonly<Record<ControlPlaneComponentName, readonly string[]>>, d: EndpointDefaults,
): ComponentEndpoint[] {
  return controlPlaneComponents.map((name) => {
    const rule = rules[name];
    const command = commands[name];
    const isApi = name === 'kube-apiserver';
    const address = nonEmpty(flagValue(command, rule.addressFlag)) ?? (isApi ? d.advertiseAddress : '127.0.0.1');
    const port = Number(nonEmpty(flagValue(command, 'secure-port')) ?? (isApi ? d.bindPort : rule.defaultPort));
    return {
      name, address, port,
      url: `https://${joinHostPort(address, port)}/${rule.path}`,
      ...(rule.verify ? { tls: 'verify' as const, ca: d.clusterCA } : { tls: 'insecure' as const }),
    };
  });
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

export interface KubeletHealthz {
  readonly address: string;
  readonly port: number;
  readonly url: string;
}

/** http://<healthzBindAddress>:<healthzPort>/healthz of a (defaulted) KubeletConfiguration document. */
export function kubeletHealthz(kubeletConfig: Readonly<Record<string, unknown>>): KubeletHealthz {
  const a = kubeletConfig['healthzBindAddress'];
  const p = kubeletConfig['healthzPort'];
  const address = typeof a === 'string' && a !== '' ? a : '127.0.0.1';
  const port = typeof p === 'number' ? p : typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : 10248;
  return { address, port, url: `http://${joinHostPort(address, port)}/healthz` };
}
