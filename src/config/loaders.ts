// The work behind load.ts: read (when --config is given), check flag mixing, assemble,
// and turn collected problems into one ConfigError. Loading only reads: nothing on the
// host changes, whatever the input.
import type { Host } from '../host/host.js';
import { ConfigError, type InputProblem } from '../errors.js';
import type { InitConfig, JoinConfig, ResetConfig } from './types.js';
import type { FlagValues } from './flags.js';
import type { DecodedDocuments } from './decode.js';
import { fixConfig, fixFlags, readConfigFile } from './config-file.js';
import { deepFreeze } from './deep-freeze.js';
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

export async function loadInit(o: { host: Host; configPath?: string; flags: FlagValues; skipCriDetect?: boolean }): Promise<InitConfig> {
  const decoded = await decodeIfGiven(o.host, o.configPath, o.flags);
  const dynamic = o.skipCriDetect === true ? { skipCriDetect: true } : detect;
  return result(await assembleInit({ host: o.host, decoded, flags: new FlagReader(o.flags), dynamic }));
}

export async function loadJoin(o: { host: Host; configPath?: string; flags: FlagValues; endpoint?: string }): Promise<JoinConfig> {
  const decoded = await decodeIfGiven(o.host, o.configPath, o.flags);
  return result(await assembleJoin({ host: o.host, decoded, flags: new FlagReader(o.flags), endpoint: o.endpoint, dynamic: detect }));
}

export async function loadReset(o: { host: Host; configPath?: string; flags: FlagValues }): Promise<ResetConfig> {
  const decoded = await decodeIfGiven(o.host, o.configPath, o.flags);
  return result(await assembleReset({ host: o.host, decoded, flags: new FlagReader(o.flags), dynamic: detect }));
}

interface AssembledFile {
  readonly init?: Assembled<InitConfig>;
  readonly join?: Assembled<JoinConfig>;
  readonly reset?: Assembled<ResetConfig>;
}

/** Every kubeadm kind the file holds, decoded once, defaulted and validated as the command that reads it would. */
async function assembleAll(host: Host, decoded: DecodedDocuments, dynamic: { skipCriDetect: boolean }): Promise<AssembledFile> {
  const kinds = new Set(decoded.documents.filter((d) => d.group === 'kubeadm').map((d) => d.kind));
  const flags = new FlagReader({});
  return {
    ...(kinds.has('InitConfiguration') || kinds.has('ClusterConfiguration') ? { init: await assembleInit({ host, decoded, flags, dynamic }) } : {}),
    ...(kinds.has('JoinConfiguration') ? { join: await assembleJoin({ host, decoded, flags, endpoint: undefined, dynamic }) } : {}),
    ...(kinds.has('ResetConfiguration') ? { reset: await assembleReset({ host, decoded, flags, dynamic }) } : {}),
  };
}

/** Problems and warnings of every assembled kind, in kind order. */
function collect(a: AssembledFile): { problems: InputProblem[]; warnings: string[] } {
  const problems: InputProblem[] = [];
  const warnings: string[] = [];
  for (const part of [a.init, a.join, a.reset]) {
    if (part === undefined) continue;
    problems.push(...part.problems);
    for (const w of part.warnings) if (!warnings.includes(w)) warnings.push(w);
  }
  return { problems, warnings };
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
  if (!decoded.documents.some((d) => d.group === 'kubeadm')) {
    fail([{
      file: decoded.file,
      message: 'no kubeadm configuration found: expected an InitConfiguration, ClusterConfiguration, JoinConfiguration, ResetConfiguration or UpgradeConfiguration document (apiVersion: kubeadm.k8s.io/v1beta4)',
    }]);
  }
  const { problems, warnings } = collect(await assembleAll(o.host, decoded, { skipCriDetect: true }));
  for (const w of decoded.warnings) if (!warnings.includes(w)) warnings.push(w);
  if (problems.length > 0) fail(problems);
  return { warnings };
}

/** `config migrate`: the file read and decoded once, each kind loaded as its command would (CRI sockets probed, as kubeadm's migrate does). */
export async function migrateFile(o: { host: Host; path: string }): Promise<{
  decoded: DecodedDocuments; init?: InitConfig; join?: JoinConfig; reset?: ResetConfig; warnings: string[];
}> {
  const decoded = await readConfigFile(o.host, o.path, '--old-config');
  if (decoded.problems.length > 0) fail(decoded.problems);
  const a = await assembleAll(o.host, decoded, detect);
  const { problems, warnings } = collect(a);
  if (problems.length > 0) fail(problems);
  return {
    decoded,
    ...(a.init ? { init: result(a.init) } : {}),
    ...(a.join ? { join: result(a.join) } : {}),
    ...(a.reset ? { reset: result(a.reset) } : {}),
    warnings,
  };
}
