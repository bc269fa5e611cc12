// Writing the kubelet's node-local files through the host, with kubeadm's progress lines. Shared by
// init and join kubelet-start (and upgrade). kubeadm: phases/kubelet/flags.go writeKubeletFlagBytesToDisk,
// config.go writeConfigBytesToDisk: the folder 0700, each file 0644.
import type { Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import { goQuote } from '../output/go-quote.js';
import type { ClusterConfiguration, ComponentConfig } from '../config/types.js';
import type { PatchSet } from '../patches/patch-set.js';
import { nodeLocalCRISocket, strategicMergePatchType } from './instance-config.js';
import { instanceConfigFor, kubeletConfigFile, type KubeletConfigFile } from './kubelet-config.js';
import { kubeletResolvConf } from './kubelet-service.js';
import { kubeletFileNames, kubeletFilePath, kubeletRunDir, type KubeletFileName } from './kubelet-paths.js';

export interface KubeletFileTarget {
  readonly host: Host;
  readonly out: Output;
  /** Where a path really goes, for messages (the --dry-run folder). */
  readonly writtenTo: (path: string) => string;
  /** Default /var/lib/kubelet. */
  readonly dir?: string;
}

const dirMode = 0o700;
const fileMode = 0o644;

async function writeKubeletFile(t: KubeletFileTarget, name: KubeletFileName, text: string, line: (shown: string) => string): Promise<string> {
  const dir = t.dir ?? kubeletRunDir;
  const path = kubeletFilePath(name, dir);
  t.out.info(line(goQuote(t.writtenTo(path))));
  await t.host.fs.mkdir(dir, { mode: dirMode });
  await t.host.fs.write(path, text, { mode: fileMode });
  return path;
}

/** Writes kubeadm-flags.env. Returns its path. */
export function writeKubeletFlagsEnv(t: KubeletFileTarget, text: string): Promise<string> {
  return writeKubeletFile(t, kubeletFileNames.flagsEnv, text, (p) => `[kubelet-start] Writing kubelet environment file with flags to file ${p}`);
}

/** Writes config.yaml or instance-config.yaml (kubeadm prints the same line for both). Returns its path. */
export function writeKubeletConfigFile(t: KubeletFileTarget, name: 'config.yaml' | 'instance-config.yaml', text: string): Promise<string> {
  return writeKubeletFile(t, name, text, (p) => `[kubelet-start] Writing kubelet configuration to file ${p}`);
}

export interface KubeletConfigurationSource {
  readonly cluster: ClusterConfiguration;
  /** The user's KubeletConfiguration document (init) or the cluster's kubelet-config (join), if any. */
  readonly given: ComponentConfig | undefined;
  /** This node's runtime endpoint, for instance-config.yaml (NodeLocalCRISocket on). */
  readonly criSocket: string;
  readonly patches: PatchSet;
}

/** instance-config.yaml (NodeLocalCRISocket on) then config.yaml, with kubeadm's warnings and `[patches]` line.
 *  Returns config.yaml as written. */
export async function writeKubeletConfiguration(t: KubeletFileTarget, o: KubeletConfigurationSource): Promise<KubeletConfigFile> {
  const instance = instanceConfigFor(o.criSocket, nodeLocalCRISocket(o.cluster));
  if (instance !== undefined) await writeKubeletConfigFile(t, kubeletFileNames.instanceConfig, instance);
  const file = kubeletConfigFile({
    cluster: o.cluster, given: o.given, resolvConf: await kubeletResolvConf(t.host), patches: o.patches, instanceConfig: instance,
  });
  for (const w of file.warnings) t.out.warn(`[kubelet-start] WARNING: ${w}`);
  if (file.instanceApplied) t.out.info(`[patches] Applied patch of type "${strategicMergePatchType}" to target "kubeletconfiguration"`);
  await writeKubeletConfigFile(t, kubeletFileNames.config, file.text);
  return file;
}
