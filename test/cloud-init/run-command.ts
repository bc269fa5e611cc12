// Runs `tskubeadm config cloud-init …` in-process through a root program holding only that
// command, with captured output: independent of where the lead registers it under `config`.
import { Command } from 'commander';
import { configCloudInitCommand } from '../../src/cli/commands/config-cloud-init.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { buildProgram } from '../../src/cli/program.js';
import type { Host } from '../../src/host/host.js';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The error the action threw, if any (the CLI's single catch would turn it into the exit code). */
  readonly error: (Error & { exitCode?: number; fix?: string }) | undefined;
}

/** `rootfsSeen` collects the --rootfs each host request carried. */
export async function runCloudInit(args: readonly string[], host: Host, rootfsSeen: (string | undefined)[] = []): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const deps: CliDeps = {
    argv: args[0] === '--rootfs' ? [...args.slice(0, 2), 'config', 'cloud-init', ...args.slice(2)] : ['config', 'cloud-init', ...args],
    env: {},
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: false,
    makeHost: ({ rootfs }) => {
      rootfsSeen.push(rootfs);
      return host;
    },
  };
  const config = new Command('config');
  config.addCommand(configCloudInitCommand(deps));
  const program = buildProgram(deps, [config]);
  let error: CommandResult['error'];
  try {
    await program.parseAsync([...deps.argv], { from: 'user' });
  } catch (err) {
    error = err as CommandResult['error'];
  }
  return { stdout, stderr, error };
}
