// Values init generates when the configuration leaves them out (the first bootstrap token; the certificate key
// of --upload-certs). A re-run reuses the earlier run's, so it prints the same join command and creates no second
// token. Values the user gave always win and are never recorded.
import { parseAllDocuments } from 'yaml';
import type { InitConfig } from '../config/types.js';
import type { Host } from '../host/host.js';
import type { GeneratedValues } from './progress.js';

/** Whether the user gave the first bootstrap token: --token, or bootstrapTokens[0].token of the InitConfiguration. */
export async function firstTokenGiven(host: Host, configPath: string | undefined, flagToken: unknown): Promise<boolean> {
  if (typeof flagToken === 'string' && flagToken !== '') return true;
  if (configPath === undefined) return false;
  const text = await host.fs.readText(configPath).catch(() => undefined);
  if (text === undefined) return false;
  for (const doc of parseAllDocuments(text)) {
    const v: unknown = 'toJS' in doc ? doc.toJS() : undefined;
    if (typeof v !== 'object' || v === null || (v as { kind?: unknown }).kind !== 'InitConfiguration') continue;
    const tokens = (v as { bootstrapTokens?: unknown }).bootstrapTokens;
    const first: unknown = Array.isArray(tokens) ? tokens[0] : undefined;
    const token = typeof first === 'object' && first !== null ? (first as { token?: unknown }).token : undefined;
    return typeof token === 'string' && token !== '';
  }
  return false;
}

/** The configuration with the earlier run's generated token in place of this run's, and the token to record. */
export function withGeneratedToken(cfg: InitConfig, earlier: GeneratedValues | undefined, given: boolean): { cfg: InitConfig; bootstrapToken?: string } {
  const first = cfg.init.bootstrapTokens[0];
  if (given || first === undefined) return { cfg };
  const reused = earlier?.bootstrapToken;
  if (reused === undefined || reused === first.token) return { cfg, bootstrapToken: first.token };
  const bootstrapTokens = Object.freeze([Object.freeze({ ...first, token: reused }), ...cfg.init.bootstrapTokens.slice(1)]);
  return { cfg: Object.freeze({ ...cfg, init: Object.freeze({ ...cfg.init, bootstrapTokens }) }), bootstrapToken: reused };
}
