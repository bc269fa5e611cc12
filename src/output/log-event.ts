// The --log-format json stream: one JSON object per line on stderr, for log shippers. The
// shape is documented in docs/schemas/log-event.schema.json and docs/logging.md.
import { PhaseError, TskubeadmError, exitCodeOf, fixOf } from '../errors.js';

export type LogLevel = 'info' | 'warn' | 'error' | 'debug';

/** A failure as the stream reports it: the message and fix the text mode prints, and the exit code it gives. */
export interface ErrorInfo {
  readonly message: string;
  readonly fix?: string;
  readonly exitCode: number;
  /** The name of the typed error that decided the exit code (PreflightError, ApiError…), else the error's own. */
  readonly name: string;
  /** Stacks along the cause chain; only with -v 5 or more. */
  readonly stack?: string;
}

export type LogEvent =
  | { readonly level: LogLevel; readonly event: 'run-start'; readonly command: string; readonly argv?: readonly string[] }
  | { readonly level: LogLevel; readonly event: 'phase-start'; readonly phase: string }
  | {
      readonly level: LogLevel;
      readonly event: 'phase-finish';
      readonly phase: string;
      readonly status: 'done' | 'verified';
      readonly durationMs: number;
      readonly reason?: string;
    }
  | { readonly level: LogLevel; readonly event: 'phase-skip'; readonly phase: string; readonly reason: string; readonly durationMs: number }
  | { readonly level: LogLevel; readonly event: 'phase-error'; readonly phase: string; readonly durationMs: number; readonly error: ErrorInfo }
  | { readonly level: LogLevel; readonly event: 'log'; readonly msg: string; readonly v?: number }
  | {
      readonly level: LogLevel;
      readonly event: 'run-finish';
      readonly command: string;
      readonly exitCode: number;
      readonly durationMs: number;
      readonly error?: ErrorInfo;
    };

/** Writes one event; each call is one complete line in a single write, so lines never interleave. */
export type EventSink = (event: LogEvent) => void;

/** `{"time":…,"level":…,"event":…,…}\n`: time, level and event always lead, whatever order `event` was built in.
 *  JSON.stringify escapes newlines, so a multi-line message stays on one line. */
export function encodeLogEvent(event: LogEvent, time: Date): string {
  const { level, event: name, ...fields } = event;
  return `${JSON.stringify({ time: time.toISOString(), level, event: name, ...fields })}\n`;
}

/** The wall clock is the CLI's to read (phases never emit events): an injected `now` keeps tests exact. */
export function eventSink(write: (s: string) => void, now: () => Date = () => new Date()): EventSink {
  return (event) => write(encodeLogEvent(event, now()));
}

/** Durations in the stream are whole milliseconds. */
export function wholeMs(ms: number): number {
  return Math.max(0, Math.round(ms));
}

/** A failure for the stream: what the text mode prints as `error: …` and `fix: …`, with its exit code. */
export function errorInfo(err: unknown, verbosity: number): ErrorInfo {
  const fix = fixOf(err);
  return {
    message: err instanceof Error ? err.message : String(err),
    ...(fix === undefined ? {} : { fix }),
    exitCode: exitCodeOf(err),
    name: decidingName(err),
    ...(verbosity >= 5 ? { stack: causeStacks(err).join('\n') } : {}),
  };
}

/** The name of the error exitCodeOf takes the code from (a PhaseError's typed cause), so a consumer can switch on it. */
function decidingName(err: unknown): string {
  for (const e of causeChain(err)) {
    if (e instanceof TskubeadmError && !(e instanceof PhaseError)) return e.name;
  }
  return err instanceof Error ? err.name : 'Error';
}

/** Each error's stack along the cause chain, the causes marked `caused by:` (text mode's -v 5 lines). */
export function causeStacks(err: unknown): string[] {
  return causeChain(err).map((e, i) => {
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    return i === 0 ? text : `caused by: ${text}`;
  });
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && !chain.includes(e); e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

// Flags whose value lets a machine join the cluster or decrypt its certificates: a log shipper must not get them.
const secretFlags = new Set(['--token', '--discovery-token', '--tls-bootstrap-token', '--certificate-key', '--join-string']);
const secretShapes = [/^[a-z0-9]{6}\.[a-z0-9]{16}$/, /^tskj1\./, /^[0-9a-fA-F]{64}$/];
export const redacted = '<redacted>';

/**
 * The command line for run-start, without secrets: the values of the token, discovery token, TLS bootstrap
 * token, certificate key and join string flags, and any argument shaped like a bootstrap token, a join string
 * or a certificate key (`token create <token>`), become `<redacted>`.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let valueOfSecret = false;
  for (const arg of argv) {
    if (valueOfSecret) {
      out.push(redacted);
      valueOfSecret = false;
      continue;
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && secretFlags.has(arg.slice(0, eq))) out.push(`${arg.slice(0, eq)}=${redacted}`);
    else if (secretFlags.has(arg)) {
      out.push(arg);
      valueOfSecret = true;
    } else out.push(secretShapes.some((re) => re.test(arg)) ? redacted : arg);
  }
  return out;
}
