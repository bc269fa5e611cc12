// /var/lib/kubelet/config.yaml: kubeadm's defaulted KubeletConfiguration with the user's document
// merged in, then the user's `kubeletconfiguration` patches, then (NodeLocalCRISocket) this node's
// instance config, serialized as kubeadm does (JSON then YAML: sorted keys). kubeadm:
// phases/kubelet/config.go WriteConfigToDisk, componentconfigs/kubelet.go Default().
import { kubeletConfiguration } from '../config/encode-component-configs.js';
import { toGoYaml } from '../config/encode.js';
import type { ClusterConfiguration, ComponentConfig } from '../config/types.js';
import type { PatchSet } from '../patches/patch-set.js';
import { instanceConfigText, parseInstanceConfig, applyInstanceConfig } from './instance-config.js';

export interface KubeletConfigFileOptions {
  readonly cluster: ClusterConfiguration;
  /** The user's KubeletConfiguration document, if any. */
  readonly given: ComponentConfig | undefined;
  /** systemd-resolved's resolv.conf when that service is active on this host. */
  readonly resolvConf: string | undefined;
  /** The user's patches; `apply` prints its own `[patches]` lines. */
  readonly patches: PatchSet;
  /** The instance config to lay over the result (NodeLocalCRISocket on), or undefined (gate off). */
  readonly instanceConfig: string | undefined;
}

export interface KubeletConfigFile {
  /** config.yaml's text. */
  readonly text: string;
  /** The final document, for callers that need a field (healthz address and port for the kubelet check). */
  readonly document: Readonly<Record<string, unknown>>;
  /** kubeadm's "recommended value" warnings for the user's document. */
  readonly warnings: readonly string[];
  /** True when the instance config was applied: kubeadm then prints its own `[patches]` line for it. */
  readonly instanceApplied: boolean;
}

/** The config.yaml kubeadm writes. kubeadm applies the user's patches first and the instance config last, so
 *  a patch cannot change this node's runtime endpoint (instance-config.yaml is where that is set). */
export function kubeletConfigFile(o: KubeletConfigFileOptions): KubeletConfigFile {
  const { document, warnings } = kubeletConfiguration(o.cluster, {
    ...(o.given === undefined ? {} : { given: o.given }),
    ...(o.resolvConf === undefined ? {} : { resolvConf: o.resolvConf }),
  });
  let doc = o.patches.apply('kubeletconfiguration', document as unknown as Readonly<Record<string, unknown>>);
  if (o.instanceConfig !== undefined) doc = applyInstanceConfig(doc, parseInstanceConfig(o.instanceConfig));
  return { text: toGoYaml(doc), document: doc, warnings, instanceApplied: o.instanceConfig !== undefined };
}

/** The instance config for this node's runtime endpoint when the gate is on, else undefined. */
export function instanceConfigFor(criSocket: string, gateOn: boolean): string | undefined {
  return gateOn ? instanceConfigText(criSocket) : undefined;
}
