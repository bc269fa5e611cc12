// The work behind load.ts: read (when --config is given), check flag mixing, assemble,
// and turn collected problems into one ConfigError. Loading only reads: nothing on the
// host changes, whatever the input.
import type { Host } from '../host/host.js';
import { ConfigError, type InputProblem } from '../errors.js';
import type { InitConfig, JoinConfig, ResetConfig } from './types.js';
import type { FlagValues } from './flags.js';
import type { DecodedDocuments } from './decode.js';
import { deepFreeze, fixConfig, fixFlags, readConfigFile } from './config-file.js';
import { checkMixedWithConfig, FlagReader } from './flag-values.js';
import { assembleInit, type Assembled } from './assemble-init.js';
import { assembleJoin, assembleReset } from './assemble-join-reset.js';

const detect = { skipCriDetect: false };

function fail(problems: readonly InputProblem[]): never {
  throw new ConfigError(problems, { fix: problems.some((p) => p.file !== undefined) ? fixConfig : fixFlags });
}

async function decodeIfGiven(host: Host, configPath: string | undefined, flags: FlagValues): Promise<DecodedDocuments | undefined> {
  if (configPath === undefined || configPath === '') return undefined;
  checkMixedWithConfig(flags);
  const decoded = await readConfigFile(host, configPath);
  if (decoded.problems.length > 0) fail(decoded.problems);
  return decoded;
}

function result<T>(a: Assembled<T>): T {
  if (a.value === undefined) fail(a.problems.length > 0 ? a.problems : [{ message: 'the configuration could not be loaded' }]);
  return deepFreeze(a.value);
}

export async function loadInit(o: { host: Host; configPath?: string; flags: FlagValues }): Promise<InitConfig> {
  const decoded = await decodeIfGiven(o.host, o.configPath, o.flags);
  return result(await assembleInit({ host: o.host, decoded, flags: new FlagReader(o.flags), dynamic: detect }));
}

export async function loadJoin(o: { host: Host; configPath?: string; flags: FlagValues; endpoint?: string }): Promise<JoinConfig> {
  const decoded = await decodeIfGiven(o.host, o.configPath, o.flags);
  return result(await assembleJoin({ host: o.host, decoded, flags: new FlagReader(o.flags), endpoint: o.endpoint, dynamic: detect }));
}

export async function loadReset(o: { host: Host; configPath?: string; flags: FlagValues }): Promise<ResetConfig> {
  const decoded = await decodeIfGiven(o.host, o.configPath, o.flags);
  return result(await assembleReset({ host: o.host, decoded, flags: new FlagReader(o.flags), dynamic: detect }));
}

/**
 * `config validate`: every kubeadm document of the file is decoded, defaulted and validated as
 * the command that reads it would (Init/Cluster as init, Join as join, Reset as reset; Upgrade by
 * shape). Unlike kubeadm, a file with no kubeadm document at all is refused (corpus 027).
 * CRI sockets are not probed, as in kubeadm.
 */
export async function validateFile(o: { host: Host; configPath: string }): Promise<{ warnings: string[] }> {
  const decoded = await readConfigFile(o.host, o.configPath);
  if (decoded.problems.length > 0) fail(decoded.problems);
  const kinds = new Set(decoded.documents.filter((d) => d.group === 'kubeadm').map((d) => d.kind));
  if (kinds.size === 0) {
    fail([{
      file: decoded.file,
      message: 'no kubeadm configuration found: expected an InitConfiguration, ClusterConfiguration, JoinConfiguration, ResetConfiguration or UpgradeConfiguration document (apiVersion: kubeadm.k8s.io/v1beta4)',
    }]);
  }
  const flags = new FlagReader({});
  const dynamic = { skipCriDetect: true };
  const problems: InputProblem[] = [];
  const warnings: string[] = [];
  const take = (a: Assembled<unknown>) => {
    problems.push(...a.problems);
    for (const w of a.warnings) if (!warnings.includes(w)) warnings.push(w);
  };
  if (kinds.has('InitConfiguration') || kinds.has('ClusterConfiguration')) take(await assembleInit({ host: o.host, decoded, flags, dynamic }));
  if (kinds.has('JoinConfiguration')) take(await assembleJoin({ host: o.host, decoded, flags, endpoint: undefined, dynamic }));
  if (kinds.has('ResetConfiguration')) take(await assembleReset({ host: o.host, decoded, flags, dynamic }));
  for (const w of decoded.warnings) if (!warnings.includes(w)) warnings.push(w);
  if (problems.length > 0) fail(problems);
  return { warnings };
}
