// Processes on the real machine: argv arrays through execa, never a shell. execa is
// imported lazily because loading it costs ~90 ms and `tskubeadm version` must start fast.
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ExecOptions, ExecResult, HostExec, Mutation } from './host.js';

/** Exit codes the shell uses for "could not run": 126 not executable, 127 not found; 124 as timeout(1). */
const spawnExitCodes: Readonly<Record<string, number>> = { EACCES: 126, EPERM: 126, ENOENT: 127 };
const timeoutExitCode = 124;

export function realExec(mutations: Mutation[], pathEnv: () => string | undefined): HostExec {
  return {
    async run(argv, opts) {
      if (opts.mutates) mutations.push({ action: 'exec', argv: [...argv] });
      return runProcess(argv, opts);
    },
    which: (name) => findExecutable(name, pathEnv()),
  };
}

async function runProcess(argv: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') throw new TypeError('exec: empty argv');
  const { execa } = await import('execa');
  const r = await execa(file, args, {
    reject: false,
    shell: false,
    stripFinalNewline: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    ...(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
  });
  const stdout = typeof r.stdout === 'string' ? r.stdout : '';
  const stderr = typeof r.stderr === 'string' ? r.stderr : '';
  if (r.timedOut) return { exitCode: timeoutExitCode, stdout, stderr, timedOut: true };
  if (r.exitCode !== undefined) return { exitCode: r.exitCode, stdout, stderr };
  if (r.signal !== undefined) return { exitCode: 128 + (signalNumbers[r.signal] ?? 0), stdout, stderr };
  // No exit code and no signal: the program never started.
  const code = (r as { code?: string }).code ?? 'ENOENT';
  const message = (r as { originalMessage?: string }).originalMessage ?? `spawn ${file} ${code}`;
  return { exitCode: spawnExitCodes[code] ?? 127, stdout, stderr, spawnError: message };
}

const signalNumbers: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

/** Like `which`: the first PATH entry holding an executable regular file of that name. */
export async function findExecutable(name: string, pathEnv: string | undefined): Promise<string | undefined> {
  const candidates = name.includes('/')
    ? [path.resolve(name)]
    : (pathEnv ?? '').split(path.delimiter).filter((d) => d !== '').map((d) => path.resolve(d, name));
  for (const c of candidates) {
    try {
      await fsp.access(c, constants.X_OK);
      if ((await fsp.stat(c)).isFile()) return c;
    } catch {
      // not here: try the next directory
    }
  }
  return undefined;
}
