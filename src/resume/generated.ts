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

export interface GeneratedToken {
  readonly cfg: InitConfig;
  /** The generated token this run uses, and when its time to live ends, to record; absent when the user gave one. */
  readonly bootstrapToken?: string;
  readonly bootstrapTokenExpires?: string;
}

/** The configuration with the earlier run's generated token in place of this run's while that token has not
 *  expired (a token with no TTL never does), and the token to record. */
export function withGeneratedToken(cfg: InitConfig, earlier: GeneratedValues | undefined, given: boolean, now: Date): GeneratedToken {
  const first = cfg.init.bootstrapTokens[0];
  if (given || first === undefined) return { cfg };
  const reused = earlier?.bootstrapToken;
  const expires = earlier?.bootstrapTokenExpires;
  const alive = expires === undefined || Date.parse(expires) > now.getTime();
  if (reused === undefined || reused === first.token || !alive) {
    return { cfg, bootstrapToken: first.token, ...expiryOf(first.ttlMs, now) };
  }
  const bootstrapTokens = Object.freeze([Object.freeze({ ...first, token: reused }), ...cfg.init.bootstrapTokens.slice(1)]);
  return {
    cfg: Object.freeze({ ...cfg, init: Object.freeze({ ...cfg.init, bootstrapTokens }) }),
    bootstrapToken: reused,
    ...(expires === undefined ? {} : { bootstrapTokenExpires: expires }),
  };
}

function expiryOf(ttlMs: number | undefined, now: Date): { bootstrapTokenExpires?: string } {
  return ttlMs === undefined || ttlMs <= 0 ? {} : { bootstrapTokenExpires: new Date(now.getTime() + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}
