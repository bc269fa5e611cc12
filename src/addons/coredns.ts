// The CoreDNS addon's objects as kubeadm creates them (phases/addons/dns/dns.go, manifests.go): the
// fixed parts come from templates/coredns.yaml, the rest is computed here. No API calls.
import { parseAllDocuments } from 'yaml';
import corednsTemplate from '../../templates/coredns.yaml';
import { kubeSystem, type KubeObject } from '../api/objects.js';
import { clusterRole, clusterRoleBinding, serviceAccountSubject } from '../cluster-objects/rbac.js';
import { tenthIP } from '../config/encode-component-configs.js';
import { dnsImage } from '../config/images.js';
import type { ClusterConfiguration } from '../config/types.js';
import { ConfigError, exitCodes, TskubeadmError } from '../errors.js';

export const coreDnsName = 'coredns';
/** The label every kubeadm DNS Deployment carries (kube-dns before CoreDNS had it too). */
export const dnsAddonSelector = 'k8s-app=kube-dns';
/** kubeadm's replica count for a new Deployment. */
export const defaultCoreDnsReplicas = 2;

type Json = Record<string, unknown>;

function templateObject(kind: 'Deployment' | 'Service'): Json {
  // Parsed per call: callers change the objects they get.
  for (const doc of parseAllDocuments(corednsTemplate)) {
    const obj = doc.toJS() as Json | null;
    if (obj?.['kind'] === kind) return obj;
  }
  throw new Error(`templates/coredns.yaml has no ${kind}`);
}

/** kubeadm's Corefile for a cluster DNS domain. */
export function corefile(dnsDomain: string): string {
  return [
    '.:53 {',
    '    errors',
    '    health {',
    '       lameduck 5s',
    '    }',
    '    ready',
    `    kubernetes ${dnsDomain} in-addr.arpa ip6.arpa {`,
    '       pods insecure',
    '       fallthrough in-addr.arpa ip6.arpa',
    '       ttl 30',
    '    }',
    '    prometheus :9153',
    '    forward . /etc/resolv.conf {',
    '       max_concurrent 1000',
    '    }',
    '    cache 30 {',
    `       disable success ${dnsDomain}`,
    `       disable denial ${dnsDomain}`,
    '    }',
    '    loop',
    '    reload',
    '    loadbalance',
    '}',
    '',
  ].join('\n');
}

/** Whether a Corefile found in the cluster is one kubeadm wrote (this one, or the earlier plain `cache 30`
 *  form), so replacing it loses nothing a user wrote. Whitespace differences do not count. */
export function isKubeadmCorefile(text: string, dnsDomain: string): boolean {
  const norm = (s: string) => s.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l !== '').join('\n');
  const current = corefile(dnsDomain);
  const older = current.replace(/ {4}cache 30 \{\n[^}]*\}\n/, '    cache 30\n');
  return norm(text) === norm(current) || norm(text) === norm(older);
}

export function coreDnsConfigMap(cluster: ClusterConfiguration): KubeObject {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: coreDnsName, namespace: kubeSystem },
    data: { Corefile: corefile(cluster.networking.dnsDomain) },
  };
}

export function coreDnsClusterRole(): KubeObject {
  return clusterRole('system:coredns', [
    { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  ]);
}

export function coreDnsClusterRoleBinding(): KubeObject {
  return clusterRoleBinding('system:coredns', 'system:coredns', [serviceAccountSubject(coreDnsName, kubeSystem)]);
}

export function coreDnsServiceAccount(): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: coreDnsName, namespace: kubeSystem } };
}

/** The Deployment before --patches. */
export function coreDnsDeployment(cluster: ClusterConfiguration, replicas: number): KubeObject {
  const d = templateObject('Deployment');
  const spec = d['spec'] as Json;
  spec['replicas'] = replicas;
  const container = (((spec['template'] as Json)['spec'] as Json)['containers'] as Json[])[0]!;
  container['image'] = dnsImage(cluster);
  return d as unknown as KubeObject;
}

/** The DNS Service address: the 10th IP of the first service subnet (kubeadm's GetDNSIP). */
export function dnsServiceIP(cluster: ClusterConfiguration): string {
  const first = cluster.networking.serviceSubnet.split(',')[0]?.trim() ?? '';
  const ip = tenthIP(first);
  if (ip === undefined) {
    throw new ConfigError(`unable to get the DNS Service IP from the service subnet "${first}": it must be a CIDR holding at least 11 addresses`, {
      fix: 'set networking.serviceSubnet (or --service-cidr) to a larger subnet, such as 10.96.0.0/12',
    });
  }
  return ip;
}

export function kubeDnsService(cluster: ClusterConfiguration): KubeObject {
  const s = templateObject('Service');
  (s['spec'] as Json)['clusterIP'] = dnsServiceIP(cluster);
  return s as unknown as KubeObject;
}

/** The replica count of an existing DNS Deployment, kept on re-runs so a scaled-up DNS is not scaled down. */
export function existingReplicas(deployments: readonly KubeObject[]): number {
  if (deployments.length > 1) {
    // The cluster's state, not the input, is wrong: the API exit code.
    throw new TskubeadmError(`multiple DNS addon Deployments found (label ${dnsAddonSelector}): ${deployments.map((d) => d.metadata.name).join(', ')}`, {
      exitCode: exitCodes.api,
      fix: `delete all but one of them: kubectl -n ${kubeSystem} get deployments -l ${dnsAddonSelector}`,
    });
  }
  const replicas = (deployments[0]?.['spec'] as Json | undefined)?.['replicas'];
  return typeof replicas === 'number' ? replicas : defaultCoreDnsReplicas;
}

/** The CoreDNS version of a DNS Deployment's first container image tag ('' without one). */
export function deployedDnsVersion(deployment: KubeObject | undefined): string {
  const containers = (((deployment?.['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['spec'] as Json | undefined)?.['containers'];
  const image = Array.isArray(containers) ? (containers[0] as Json | undefined)?.['image'] : undefined;
  return typeof image === 'string' && image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : '';
}
