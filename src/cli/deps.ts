// What the CLI needs from the outside world, injected so tests run any command
// in-process with captured output and a fake or temp-root host.
import type { ApiClient } from '../api/client.js';
import type { ConnectOptions } from '../api/connect.js';
import type { Host } from '../host/host.js';

export interface CliDeps {
  /** The user's arguments, without the node executable and script (process.argv.slice(2)). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** Whether stdout is a terminal: decides the listr2 task list vs plain lines. */
  readonly isTTY: boolean;
  /** Builds the host for this run; `rootfs` is --rootfs when given. Tests return a fake or temp-root host. */
  readonly makeHost: (opts: { readonly rootfs?: string }) => Host;
  /** Aborted on SIGINT/SIGTERM: the workflow stops between phases. */
  readonly signal?: AbortSignal;
  /** Terminal width, for wrapping help and task output; 80 when absent. */
  readonly columns?: number;
  /** Asks a yes/no question on the terminal (the line kubeadm prints is the question); absent when stdin is not a terminal. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Connects to the cluster's API; tests inject one that returns an in-memory or test-server client. Default: src/api/connect.ts apiConnector. */
  readonly connectApi?: (o: ConnectOptions) => () => Promise<ApiClient>;
}
