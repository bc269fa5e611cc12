// What the CLI calls to get a configuration. Cheap to import: the decoding, schema (zod)
// and validation code is loaded on the first call, so `tskubeadm version` never pays for it.
import type { Host } from '../host/host.js';
import type { InitConfig, JoinConfig, ResetConfig } from './types.js';
import type { FlagValues } from './flags.js';

/** init's configuration from --config or flags: defaulted, validated, frozen. Throws ConfigError listing every problem.
 *  `skipCriDetect`: commands that only read the PKI (certs, kubeconfig user) do not probe for CRI sockets (kubeadm's skipCRIDetect). */
export async function loadInitConfig(o: { host: Host; configPath?: string; flags: FlagValues; skipCriDetect?: boolean }): Promise<InitConfig> {
  return (await import('./loaders.js')).loadInit(o);
}

/** join's configuration; `endpoint` is the positional API server address (ignored, with a warning, under --config). */
export async function loadJoinConfig(o: { host: Host; configPath?: string; flags: FlagValues; endpoint?: string }): Promise<JoinConfig> {
  return (await import('./loaders.js')).loadJoin(o);
}

/** reset's configuration. */
export async function loadResetConfig(o: { host: Host; configPath?: string; flags: FlagValues }): Promise<ResetConfig> {
  return (await import('./loaders.js')).loadReset(o);
}

/** `config validate --config <file>`: throws ConfigError with every problem, else returns the warnings. */
export async function validateConfigFile(o: { host: Host; configPath: string }): Promise<{ warnings: string[] }> {
  return (await import('./loaders.js')).validateFile(o);
}
