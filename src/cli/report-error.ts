// How a failed command reports: kubeadm's `error: <message>`, then what to do, then the
// stack hint (or, with -v 5 and more, the stacks along the cause chain). One place only.
import { fixOf } from '../errors.js';

export const stackHint = 'To see the stack trace of this error execute with --v=5 or higher';

export function formatError(err: unknown, verbosity: number): string {
  const message = err instanceof Error ? err.message : String(err);
  const [first = '', ...rest] = message.split('\n');
  const lines = [`error: ${first}`, ...rest.map((l) => `  ${l}`)];
  const fix = fixOf(err);
  if (fix !== undefined) lines.push(`  fix: ${fix}`);
  if (verbosity >= 5) lines.push(...stacks(err));
  else lines.push(stackHint);
  return `${lines.join('\n')}\n`;
}

function stacks(err: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = err, first = true; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause, first = false) {
    seen.add(e);
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    out.push(first ? text : `caused by: ${text}`);
  }
  return out;
}
