// Typed errors a user can hit. The CLI's single catch walks `cause` and maps the
// first typed error it finds to an exit code (never the outer type only: a wrapper
// must not change the code, unlike kubeadm's util/error.go).

/** Exit codes, documented in docs/exit-codes.md. 2 and 3 follow old kubeadm. */
export const exitCodes = Object.freeze({
  ok: 0,
  generic: 1,
  preflight: 2,
  invalidInput: 3,
  usage: 64,
  timeout: 4,
  api: 5,
  discovery: 6,
  conflict: 7,
  internal: 70,
} as const);

export type ExitCodeName = keyof typeof exitCodes;

/** Base of every error tskubeadm raises on purpose: a one-line message plus the fix. */
export class TskubeadmError extends Error {
  readonly exitCode: number;
  /** What the user can do about it; printed on its own line after the message. */
  readonly fix: string | undefined;
  constructor(message: string, opts: { exitCode: number; fix?: string; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.exitCode = opts.exitCode;
    this.fix = opts.fix;
  }
}
TskubeadmError.prototype.name = 'TskubeadmError';

/** A location inside a config file, for precise messages. */
export interface SourceLocation {
  readonly file?: string;
  /** 1-based index of the YAML document inside the file. */
  readonly document?: number;
  /** Kind of that document, e.g. `ClusterConfiguration`, when known. */
  readonly kind?: string;
  /** Dotted field path, e.g. `networking.serviceSubnet`. */
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;
}

export function formatLocation(loc: SourceLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) {
    let where = loc.file;
    if (loc.line !== undefined) where += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`;
    parts.push(where);
  }
  if (loc.document !== undefined) parts.push(`document ${loc.document}${loc.kind !== undefined ? ` (${loc.kind})` : ''}`);
  if (loc.field !== undefined && loc.field !== '') parts.push(loc.field);
  return parts.join(', ');
}

/** One problem in the user's input (config file or flags). */
export interface InputProblem extends SourceLocation {
  readonly message: string;
}

/** Invalid input: malformed YAML, unknown field, bad CIDR, conflicting flags… Nothing was written. */
export class ConfigError extends TskubeadmError {
  readonly problems: readonly InputProblem[];
  constructor(problems: readonly InputProblem[] | string, opts: { fix?: string; cause?: unknown } = {}) {
    const list: readonly InputProblem[] = typeof problems === 'string' ? [{ message: problems }] : problems;
    super(list.map(formatProblem).join('\n'), { exitCode: exitCodes.invalidInput, ...opts });
    this.problems = list;
  }
}
ConfigError.prototype.name = 'ConfigError';

export function formatProblem(p: InputProblem): string {
  const where = formatLocation(p);
  return where === '' ? p.message : `${where}: ${p.message}`;
}

/** A certificate, key or kubeconfig already on disk that cannot be used (corrupt PEM, a key that does not
 *  match, not signed by its CA, missing SANs, another CA's kubeconfig). Nothing was overwritten. */
export class CertificateError extends TskubeadmError {
  /** The file at fault, as the host sees it. */
  readonly path: string;
  constructor(path: string, message: string, opts: { fix?: string; cause?: unknown } = {}) {
    super(message, { exitCode: exitCodes.invalidInput, ...opts });
    this.path = path;
  }
}
CertificateError.prototype.name = 'CertificateError';

/** Wrong command-line usage (unknown flag, missing argument, mixing --config with flags). */
export class UsageError extends TskubeadmError {
  constructor(message: string, opts: { fix?: string; cause?: unknown } = {}) {
    super(message, { exitCode: exitCodes.usage, ...opts });
  }
}
UsageError.prototype.name = 'UsageError';

/** Preflight found errors that were not ignored. The individual lines were already printed. */
export class PreflightError extends TskubeadmError {
  readonly failed: readonly string[];
  constructor(failed: readonly string[]) {
    super('preflight checks failed', {
      exitCode: exitCodes.preflight,
      fix: `fix the errors above, or make a check non-fatal with --ignore-preflight-errors=${failed.join(',')}`,
    });
    this.failed = failed;
  }
}
PreflightError.prototype.name = 'PreflightError';

/** Something did not happen in time (a health check, a discovery, an API call). */
export class TimeoutError extends TskubeadmError {
  constructor(message: string, opts: { fix?: string; cause?: unknown } = {}) {
    super(message, { exitCode: exitCodes.timeout, ...opts });
  }
}
TimeoutError.prototype.name = 'TimeoutError';

/** A phase failed; the prefix matches kubeadm's `error execution phase <path>:`. The exit code comes from the cause. */
export class PhaseError extends TskubeadmError {
  readonly phasePath: string;
  constructor(phasePath: string, cause: unknown) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    super(`error execution phase ${phasePath}: ${inner}`, {
      exitCode: exitCodeOf(cause),
      cause,
      ...(cause instanceof TskubeadmError && cause.fix !== undefined ? { fix: cause.fix } : {}),
    });
    this.phasePath = phasePath;
  }
}
PhaseError.prototype.name = 'PhaseError';

/** A bug in tskubeadm, not the user's fault. */
export class InternalError extends TskubeadmError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, {
      exitCode: exitCodes.internal,
      fix: 'this is a bug in tskubeadm: please report it with the output of the same command run with -v',
      ...opts,
    });
  }
}
InternalError.prototype.name = 'InternalError';

/** The exit code of the first typed error along the `cause` chain; 1 for anything else. */
export function exitCodeOf(err: unknown): number {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    // PhaseError takes its code from its cause, so skip it to find the real one.
    if (e instanceof TskubeadmError && !(e instanceof PhaseError)) return e.exitCode;
  }
  return exitCodes.generic;
}

/** The user-facing fix of the first typed error along the `cause` chain. */
export function fixOf(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (e instanceof TskubeadmError && e.fix !== undefined) return e.fix;
  }
  return undefined;
}
