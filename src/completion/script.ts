// One entry for the completion command: the shells we generate for and their scripts.
import type { Command } from 'commander';
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { completionTree } from './model.js';
import { zshScript } from './zsh.js';

export const completionShells = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof completionShells)[number];

export function isCompletionShell(s: string): s is CompletionShell {
  return (completionShells as readonly string[]).includes(s);
}

/** The completion script for `shell`, from a program built with every command loaded. */
export function completionScript(shell: CompletionShell, program: Command): string {
  const tree = completionTree(program);
  switch (shell) {
    case 'bash':
      return bashScript(tree);
    case 'zsh':
      return zshScript(tree);
    case 'fish':
      return fishScript(tree);
  }
}
