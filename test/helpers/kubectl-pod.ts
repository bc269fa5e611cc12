// The real kubectl as the judge of a static Pod manifest: it decodes the file into its Pod type
// offline, refusing wrong types, and drops fields the type does not have (which a comparison with
// the file then catches). `kubectl create --dry-run=client` would need a live API server.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export { kubectlMissing } from './kubectl.js';

/** A Pod as kubectl decoded it, or the error it gave. */
export type KubectlPod = { readonly ok: true; readonly pod: Record<string, unknown> } | { readonly ok: false; readonly error: string };

/** `kubectl set serviceaccount --local -f FILE default -o json`, minus what that command itself adds. */
export function kubectlPod(file: string): KubectlPod {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent' };
  const args = ['set', 'serviceaccount', '--local', '-f', file, 'default', '-o', 'json', '--request-timeout=1ms'];
  let text: string;
  try {
    text = execFileSync('kubectl', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, error: (e.stderr ?? '').trim() || e.message };
  }
  const pod = JSON.parse(text) as Record<string, any>;
  // The command's own doing: it names the service account; Go prints an unset creation time as null.
  delete pod['spec']?.['serviceAccountName'];
  if (pod['metadata']?.['creationTimestamp'] === null) delete pod['metadata']['creationTimestamp'];
  return { ok: true, pod };
}

/** Paths (a.b.0.c) where the file and kubectl's decoding of it differ: fields kubectl dropped as unknown,
 *  values it changed. Empty when the file is exactly a Pod. */
export function podDifferences(file: string, decoded: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at === '' ? k : `${at}.${k}`);
    } else if (a !== b) {
      out.push(`${at}: file ${JSON.stringify(a)}, kubectl ${JSON.stringify(b)}`);
    }
  };
  walk(parse(readFileSync(file, 'utf8')), decoded, '');
  return out;
}
