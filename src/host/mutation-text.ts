// One human line per mutation, in kubeadm's dry-run voice ("[dryrun] Would …").
import type { Mutation } from './host.js';

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** Quotes an argument for display only (nothing is ever run through a shell). */
function shellQuote(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** e.g. `[dryrun] Would write file "/etc/kubernetes/pki/ca.crt" (mode 0644, 1099 bytes)`. */
export function describeMutation(m: Mutation): string {
  switch (m.action) {
    case 'write': {
      const replacing = m.previous.existed ? ', replacing the existing one' : '';
      return `[dryrun] Would write file "${m.path}" (mode ${octal(m.mode)}, ${m.bytes} bytes${replacing})`;
    }
    case 'mkdir':
      return `[dryrun] Would create directory "${m.path}" (mode ${octal(m.mode)})`;
    case 'remove': {
      const kind = m.previous.existed ? m.previous.kind : 'file';
      const what = kind === 'directory' ? 'directory and its contents' : kind === 'symlink' ? 'symbolic link' : 'file';
      return `[dryrun] Would remove ${what} "${m.path}"`;
    }
    case 'exec':
      return `[dryrun] Would run: ${m.argv.map(shellQuote).join(' ')}`;
  }
}
