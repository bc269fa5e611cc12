// How a failed command reports: kubeadm's `error: <message>`, then what to do, then the
// stack hint (or, with -v 5 and more, the stacks along the cause chain). One place only;
// --log-format json reports the same failure as an event (src/output/log-event.ts errorInfo).
import { fixOf } from '../errors.js';
import { causeStacks } from '../output/log-event.js';

export const stackHint = 'To see the stack trace of this error execute with --v=5 or higher';

export function formatError(err: unknown, verbosity: number): string {
  const message = err instanceof Error ? err.message : String(err);
  const [first = '', ...rest] = message.split('\n');
  const lines = [`error: ${first}`, ...rest.map((l) => `  ${l}`)];
  const fix = fixOf(err);
  if (fix !== undefined) lines.push(`  fix: ${fix}`);
  if (verbosity >= 5) lines.push(...causeStacks(err));
  else lines.push(stackHint);
  return `${lines.join('\n')}\n`;
}
