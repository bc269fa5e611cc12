// `init`'s configuration: file or flags → static defaults → dynamic defaults → validation
// (kubeadm: util/config/initconfiguration.go and cmd/init.go newInitData). Returns every
// problem instead of throwing, so `config validate` can report a whole file at once.
import type { Host } from '../host/host.js';
import type { InputProblem } from '../errors.js';
import type { ClusterConfiguration, ComponentConfig, InitConfig, InitConfiguration } from './types.js';
import type { DecodedDocuments } from './decode.js';
import type { ClusterConfigurationDoc, InitConfigurationDoc } from './schema-v1beta4.js';
import { buildCluster, buildInit } from './build.js';
import { locateProblems } from './config-file.js';
import { initDynamicDefaults, type DynamicOptions } from './dynamic-defaults.js';
import { problem, type FieldProblem } from './field-problem.js';
import { FlagReader, initDocsFromFlags, withMixableFlags } from './flag-values.js';
import { validateInit } from './validate-cluster.js';

export interface Assembled<T> {
  readonly value: T | undefined;
  readonly problems: readonly InputProblem[];
  readonly warnings: readonly string[];
}

/** Where a flag-only run's fields came from, so messages name the flag. */
const initFlagOfField: Readonly<Record<string, string>> = Object.freeze({
  'localAPIEndpoint.advertiseAddress': '--apiserver-advertise-address',
  'localAPIEndpoint.bindPort': '--apiserver-bind-port',
  'apiServer.certSANs': '--apiserver-cert-extra-sans',
  certificatesDir: '--cert-dir',
  certificateKey: '--certificate-key',
  controlPlaneEndpoint: '--control-plane-endpoint',
  'nodeRegistration.criSocket': '--cri-socket',
  imageRepository: '--image-repository',
  kubernetesVersion: '--kubernetes-version',
  'nodeRegistration.name': '--node-name',
  'networking.podSubnet': '--pod-network-cidr',
  'networking.serviceSubnet': '--service-cidr',
  'networking.dnsDomain': '--service-dns-domain',
  'bootstrapTokens[0].token': '--token',
  'nodeRegistration.ignorePreflightErrors': '--ignore-preflight-errors',
});

export function flagNamed(problems: readonly InputProblem[], table: Readonly<Record<string, string>>): InputProblem[] {
  return problems.map((p) => (p.field !== undefined && table[p.field] !== undefined ? { ...p, field: table[p.field] } : p));
}

/**
 * Half of kubeadm's manageSkippedAddons: a skipped addon phase disables the addon in the effective
 * config (what init uploads). The other half, a disabled addon skipping its phase, belongs to the
 * addon phases' runIf; written into skipPhases here it named phases the tree may not have, and a
 * valid `dns.disabled: true` made init fail with "invalid phase name".
 */
function disableSkippedAddons(cluster: ClusterConfiguration, skipPhases: readonly string[]): ClusterConfiguration {
  const skip = new Set(skipPhases);
  const dnsOff = skip.has('addon') || skip.has('addon/coredns') || cluster.dns.disabled;
  const proxyOff = skip.has('addon') || skip.has('addon/kube-proxy') || cluster.proxy.disabled;
  return { ...cluster, dns: { ...cluster.dns, disabled: dnsOff }, proxy: { disabled: proxyOff } };
}

export async function assembleInit(o: {
  readonly host: Host;
  readonly decoded: DecodedDocuments | undefined;
  readonly flags: FlagReader;
  readonly dynamic: DynamicOptions;
}): Promise<Assembled<InitConfig>> {
  const { host, decoded, flags } = o;
  const warnings: string[] = [...(decoded?.warnings ?? [])];
  let initDoc: InitConfigurationDoc | undefined;
  let clusterDoc: ClusterConfigurationDoc | undefined;
  let kubelet: ComponentConfig | undefined;
  let kubeProxy: ComponentConfig | undefined;

  if (decoded !== undefined) {
    for (const d of decoded.documents) {
      if (d.group === 'kubeadm' && d.kind === 'InitConfiguration') initDoc = d.doc;
      else if (d.group === 'kubeadm' && d.kind === 'ClusterConfiguration') clusterDoc = d.doc;
      else if (d.group === 'component' && d.kind === 'KubeletConfiguration') kubelet = d.doc;
      else if (d.group === 'component' && d.kind === 'KubeProxyConfiguration') kubeProxy = d.doc;
    }
    if (initDoc === undefined && clusterDoc === undefined) {
      return {
        value: undefined,
        warnings,
        problems: [{ file: decoded.file, message: 'no InitConfiguration or ClusterConfiguration kind was found in the configuration file' }],
      };
    }
  } else {
    const fromFlags = initDocsFromFlags(flags);
    initDoc = fromFlags.init;
    clusterDoc = fromFlags.cluster;
  }
  const flagProblems: FieldProblem[] = flags.problems.map((m) => problem('flags', [], m));

  let init: InitConfiguration = withMixableFlags(buildInit(initDoc), flags);
  let cluster = buildCluster(clusterDoc);

  const collector = { problems: [] as FieldProblem[], warnings };
  ({ init, cluster } = await initDynamicDefaults(host, init, cluster, o.dynamic, collector));
  cluster = disableSkippedAddons(cluster, init.skipPhases);

  const checked = validateInit(init, cluster);
  warnings.push(...checked.warnings);
  let problems = locateProblems([...flagProblems, ...collector.problems], checked.problems, decoded);
  if (decoded === undefined) problems = flagNamed(problems, initFlagOfField);
  return {
    value: problems.length > 0 ? undefined : { init, cluster, kubelet, kubeProxy, warnings },
    problems,
    warnings,
  };
}
