// The internal config model back to kubeadm YAML, byte-compatible with what kubeadm
// writes: kubeadm marshals Go structs to JSON and converts that to YAML, so keys come out
// sorted, sequences are not indented under their key, and YAML 1.1 scalars that Go would
// read as booleans (yes, on, y…) are quoted. One encoder per kind lives in encode-<kind>.ts.
import { stringify } from 'yaml';
import type { ClusterConfiguration, InitConfig, JoinConfig, ResetConfig } from './types.js';
import type { GoObject } from './encode-common.js';
import { encodeClusterConfiguration, encodeInitConfiguration } from './encode-init.js';
import { encodeJoinConfiguration } from './encode-join.js';
import { encodeResetConfiguration } from './encode-reset.js';

/** `yaml` options that reproduce Go's sigs.k8s.io/yaml layout (measured: libraries.md). */
const goYamlOptions = Object.freeze({ version: '1.1', indentSeq: false, sortMapEntries: true, blockQuote: 'literal' } as const);

/** One YAML document, as Go would write it; ends with a newline. */
export function toGoYaml(doc: GoObject | Readonly<Record<string, unknown>>): string {
  return stringify(doc, { ...goYamlOptions });
}

/**
 * One object as kubeadm's JSON printers write it (cli-runtime over encoding/json): four-space indent, keys in
 * the object's order (Go's struct order), and <, >, & and U+2028/9 escaped in strings as Go does; ends with a newline.
 */
export function toGoJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Documents joined as kubeadm joins them: each ends with a newline, then `---`. */
export function joinDocuments(docs: readonly string[]): string {
  return docs.join('---\n');
}

/** InitConfiguration then ClusterConfiguration, as `kubeadm config print init-defaults` and `config migrate` write them. */
export function encodeInitConfig(cfg: Pick<InitConfig, 'init' | 'cluster'>): string {
  return joinDocuments([toGoYaml(encodeInitConfiguration(cfg.init)), toGoYaml(encodeClusterConfiguration(cfg.cluster))]);
}

/** The ClusterConfiguration alone (what init uploads to the kubeadm-config ConfigMap). */
export function encodeClusterConfig(cluster: ClusterConfiguration): string {
  return toGoYaml(encodeClusterConfiguration(cluster));
}

export function encodeJoinConfig(cfg: Pick<JoinConfig, 'join'>): string {
  return toGoYaml(encodeJoinConfiguration(cfg.join));
}

export function encodeResetConfig(cfg: Pick<ResetConfig, 'reset'>): string {
  return toGoYaml(encodeResetConfiguration(cfg.reset));
}
