// `config migrate`: kubeadm's MigrateOldConfig. The old file is read, converted, defaulted
// (dynamically too: node name, CRI socket, advertise address, a fresh bootstrap token when
// none is given) and validated exactly as `init`/`join`/`reset` would read it, then written
// as v1beta4. Unlike kubeadm, which drops every non-kubeadm document, KubeletConfiguration,
// KubeProxyConfiguration and UpgradeConfiguration documents are kept as the user wrote them.
import type { Host } from '../host/host.js';
import type { NodeRegistration, Taint } from './types.js';
import { ConfigError } from '../errors.js';
import { readConfigDocuments } from './decode.js';
import { loadInitConfig, loadJoinConfig, loadResetConfig } from './load.js';
import { encodeInitConfig, encodeJoinConfig, encodeResetConfig, joinDocuments, toGoYaml } from './encode.js';
import { kubeadmAPIVersion } from './encode-common.js';

/** kubeadm's ControlPlaneTaint, which its dynamic defaults give a control-plane node whose taints are nil. */
const controlPlaneTaint: Taint = Object.freeze({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });

/** The taints kubeadm's migrate output shows: nil becomes the control-plane taint on control-plane nodes. */
function withDefaultTaints(nr: NodeRegistration, controlPlane: boolean): NodeRegistration {
  return nr.taints === undefined && controlPlane ? { ...nr, taints: [controlPlaneTaint] } : nr;
}

export interface MigrateResult {
  /** The new configuration, ready to print or write. */
  readonly text: string;
  readonly warnings: readonly string[];
}

export async function migrateConfig(o: { readonly host: Host; readonly oldConfigPath: string }): Promise<MigrateResult> {
  const { host, oldConfigPath: path } = o;
  const text = await host.fs.readText(path);
  if (text === undefined) {
    throw new ConfigError(`unable to read config from "${path}": no such file`, { fix: 'check the --old-config path' });
  }
  const decoded = readConfigDocuments(text, path);
  if (decoded.problems.length > 0) throw new ConfigError(decoded.problems, { fix: 'fix the file and run the command again' });

  const kinds = new Set(decoded.documents.map((d) => d.kind));
  const docs: string[] = [];
  const warnings: string[] = [];
  const keep = (ws: readonly string[]) => {
    // The "deprecated API, run config migrate" advice is what this command is doing.
    for (const w of ws) if (!decoded.warnings.includes(w) && !warnings.includes(w)) warnings.push(w);
  };

  if (kinds.has('InitConfiguration') || kinds.has('ClusterConfiguration')) {
    const cfg = await loadInitConfig({ host, configPath: path, flags: {} });
    keep(cfg.warnings);
    docs.push(encodeInitConfig({ ...cfg, init: { ...cfg.init, nodeRegistration: withDefaultTaints(cfg.init.nodeRegistration, true) } }));
  }
  if (kinds.has('JoinConfiguration')) {
    const cfg = await loadJoinConfig({ host, configPath: path, flags: {} });
    keep(cfg.warnings);
    const nodeRegistration = withDefaultTaints(cfg.join.nodeRegistration, cfg.join.controlPlane !== undefined);
    docs.push(encodeJoinConfig({ join: { ...cfg.join, nodeRegistration } }));
  }
  if (kinds.has('ResetConfiguration')) {
    const cfg = await loadResetConfig({ host, configPath: path, flags: {} });
    keep(cfg.warnings);
    docs.push(encodeResetConfig(cfg));
  }
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
