// `config migrate`: kubeadm's MigrateOldConfig. The old file is read, converted, defaulted
// (dynamically too: node name, CRI socket, advertise address, a fresh bootstrap token when
// none is given) and validated exactly as `init`/`join`/`reset` would read it, then written
// as v1beta4. Unlike kubeadm, which drops every non-kubeadm document, KubeletConfiguration,
// KubeProxyConfiguration and UpgradeConfiguration documents are kept as the user wrote them.
import type { Host } from '../host/host.js';
import { ConfigError } from '../errors.js';
import { migrateFile } from './loaders.js';
import { encodeInitConfig, encodeJoinConfig, encodeResetConfig, joinDocuments, toGoYaml } from './encode.js';
import { kubeadmAPIVersion } from './defaults.js';

export interface MigrateResult {
  /** The new configuration, ready to print or write. */
  readonly text: string;
  readonly warnings: readonly string[];
}

export async function migrateConfig(o: { readonly host: Host; readonly oldConfigPath: string }): Promise<MigrateResult> {
  const { host, oldConfigPath: path } = o;
  const loaded = await migrateFile({ host, path });
  const { decoded } = loaded;
  const kinds = new Set(decoded.documents.map((d) => d.kind));
  // The "deprecated API, run config migrate" advice is what this command is doing.
  const warnings = loaded.warnings.filter((w) => !decoded.warnings.includes(w));
  const docs: string[] = [];
  if (loaded.init) docs.push(encodeInitConfig(loaded.init));
  if (loaded.join) docs.push(encodeJoinConfig(loaded.join));
  if (loaded.reset) docs.push(encodeResetConfig(loaded.reset));
  if (docs.length === 0 && !kinds.has('UpgradeConfiguration')) {
    throw new ConfigError(`${path} has no kubeadm.k8s.io document to migrate`, {
      fix: 'give a file with an InitConfiguration, ClusterConfiguration, JoinConfiguration or ResetConfiguration',
    });
  }
  for (const d of decoded.documents) {
    if (d.group === 'component') docs.push(toGoYaml(d.doc));
    else if (d.kind === 'UpgradeConfiguration') docs.push(toGoYaml({ ...d.doc, apiVersion: kubeadmAPIVersion, kind: d.kind }));
  }
  return { text: joinDocuments(docs), warnings };
}
