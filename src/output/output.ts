// Where phases and commands print. Injected through the context so tests capture it
// and the CLI decides between a listr2 task list (TTY), plain greppable lines and JSON events.
import { eventSink } from './log-event.js';

export interface Output {
  /** Verbosity from -v/--v; 0 by default. */
  readonly verbosity: number;
  /** A progress line in kubeadm's style: `[certs] Generating "ca" certificate and key`. */
  info(line: string): void;
  /** Detail shown only at verbosity >= level. */
  detail(level: number, line: string): void;
  /** A warning, to stderr: `[WARNING Swap]: ...` or `W: ...`. */
  warn(line: string): void;
  /** A command's result (YAML, JSON, a token) to stdout, exactly as given. */
  print(text: string): void;
}

/** Plain lines to two writers; the non-TTY renderer and the base of test capture. */
export function plainOutput(opts: {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  verbosity?: number;
}): Output {
  const verbosity = opts.verbosity ?? 0;
  return {
    verbosity,
    info: (line) => opts.stdout(`${line}\n`),
    detail: (level, line) => {
      if (verbosity >= level) opts.stderr(`${line}\n`);
    },
    warn: (line) => opts.stderr(`${line}\n`),
    print: (text) => opts.stdout(text),
  };
}

/**
 * --log-format json: every progress line becomes a `log` event on stderr (info → info, warn → warn, detail(n) →
 * debug with `v: n`, still only at -v >= n); results (print) go to stdout exactly as given.
 */
export function jsonLineOutput(opts: {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  verbosity?: number;
  now?: () => Date;
}): Output {
  const verbosity = opts.verbosity ?? 0;
  const emit = eventSink(opts.stderr, opts.now);
  return {
    verbosity,
    info: (line) => emit({ level: 'info', event: 'log', msg: line }),
    detail: (level, line) => {
      if (verbosity >= level) emit({ level: 'debug', event: 'log', msg: line, v: level });
    },
    warn: (line) => emit({ level: 'warn', event: 'log', msg: line }),
    print: (text) => opts.stdout(text),
  };
}

/** Output captured in memory, for tests and for commands that render after the fact. */
export interface CapturedOutput extends Output {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function captureOutput(verbosity = 0): CapturedOutput {
  let out = '';
  let err = '';
  const base = plainOutput({ stdout: (s) => (out += s), stderr: (s) => (err += s), verbosity });
  return { ...base, stdout: () => out, stderr: () => err };
}
