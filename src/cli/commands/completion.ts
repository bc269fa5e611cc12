// `tskubeadm completion bash|zsh|fish`: print a shell completion script generated from the
// program itself. It builds every command (the only command that needs the whole tree), then
// hands the tree to src/completion. The script is static: nothing runs tskubeadm on TAB.
import { Argument, Command } from 'commander';
import { UsageError } from '../../errors.js';
import { completionScript, completionShells, isCompletionShell } from '../../completion/script.js';
import { loadCommands } from '../command-table.js';
import type { CliDeps } from '../deps.js';
import { buildProgram } from '../program.js';

const install = `
Installing:
  bash  (needs bash 4.1 or later; the bash-completion package is not required)
    source <(tskubeadm completion bash)                                    # this shell; add it to ~/.bashrc to keep it
    tskubeadm completion bash | sudo tee /etc/bash_completion.d/tskubeadm  # every user's new shells
  zsh
    mkdir -p ~/.zsh/completions && tskubeadm completion zsh > ~/.zsh/completions/_tskubeadm
    # then in ~/.zshrc, before compinit:  fpath=(~/.zsh/completions $fpath); autoload -Uz compinit && compinit
    # or, after compinit, for this shell only: source <(tskubeadm completion zsh)
  fish
    tskubeadm completion fish > ~/.config/fish/completions/tskubeadm.fish

Regenerate the script after upgrading tskubeadm: it holds the commands and flags of the version that wrote it.
`;

export function completionCommand(deps: CliDeps): Command {
  return new Command('completion')
    .description('Print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('[shell]', 'The shell to complete for').choices(completionShells))
    .addHelpText('after', install)
    .action(async (shell: string | undefined) => {
      if (shell === undefined || !isCompletionShell(shell)) {
        throw new UsageError('"completion" needs the name of a shell', {
          fix: `run one of: ${completionShells.map((s) => `tskubeadm completion ${s}`).join(', ')}`,
        });
      }
      const program = buildProgram(deps, await loadCommands(deps));
      deps.stdout(completionScript(shell, program));
    });
}
