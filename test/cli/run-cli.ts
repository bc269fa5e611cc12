// Runs the whole CLI in-process with captured output and a fake host (k0s admin_test style).
import type { CliDeps } from '../../src/cli/deps.js';
import { run } from '../../src/cli/run.js';
import type { Host } from '../../src/host/host.js';
import { fakeHost } from '../helpers/fake-host.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The rootfs each makeHost call received. */
  readonly hostsMade: (string | undefined)[];
}

export interface CliOptions {
  readonly host?: Host;
  readonly env?: Record<string, string>;
  readonly isTTY?: boolean;
  readonly confirm?: CliDeps['confirm'];
  readonly signal?: AbortSignal;
  /** Terminal width; absent as on a pseudo-terminal without a size. */
  readonly columns?: number;
  readonly connectApi?: CliDeps['connectApi'];
}

export async function runCli(argv: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const hostsMade: (string | undefined)[] = [];
  const host = opts.host ?? fakeHost();
  const code = await run({
    argv,
    env: opts.env ?? {},
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: opts.isTTY ?? false,
    makeHost: ({ rootfs }) => {
      hostsMade.push(rootfs);
      return host;
    },
    ...(opts.confirm ? { confirm: opts.confirm } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.columns === undefined ? {} : { columns: opts.columns }),
    ...(opts.connectApi ? { connectApi: opts.connectApi } : {}),
  });
  return { code, stdout, stderr, hostsMade };
}
