// One human line per mutation, in kubeadm's dry-run voice ("[dryrun] Would …").
import type { Mutation } from './host.js';
import { shellWords } from '../output/shell-words.js';

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

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
      return `[dryrun] Would run: ${shellWords(m.argv)}`;
  }
}
