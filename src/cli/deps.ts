// What the CLI needs from the outside world, injected so tests run any command
// in-process with captured output and a fake or temp-root host.
import type { Host } from '../host/host.js';

export interface CliDeps {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Whether stdout is a terminal: decides the listr2 task list vs plain lines, and whether prompts may run. */
  readonly isTTY: boolean;
  /** Builds the host for this run; `rootfs` is --rootfs when given. Tests return a fake or temp-root host. */
  readonly makeHost: (opts: { readonly rootfs?: string }) => Host;
}
