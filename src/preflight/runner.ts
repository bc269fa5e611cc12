// Runs a list of checks concurrently and reports them in list order, in kubeadm's format
// (preflight/checks.go RunChecks): warnings as they come, errors gathered under
// "[preflight] Some fatal errors occurred:", then a PreflightError naming the failed checks.
import { PreflightError } from '../errors.js';
import type { ExecOptions, Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import { nameOf, type CheckResult, type CheckSet, type CheckSpec, type PreflightTarget } from './check.js';
import { checksFor } from './table.js';

export interface RunChecksOptions {
  readonly host: Host;
  readonly out: Output;
  readonly target: PreflightTarget;
  /** Lower-cased names from --ignore-preflight-errors and nodeRegistration.ignorePreflightErrors; may hold `all`. */
  readonly ignore: ReadonlySet<string>;
  /** Check name → info line: failures that tskubeadm's own earlier run on this node explains (src/resume/excuses.ts). */
  readonly excused?: ReadonlyMap<string, string>;
}

const fatalHeader = '[preflight] Some fatal errors occurred:';
const ignoreHint =
  '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`';

export interface CheckOutcome {
  readonly name: string;
  readonly warnings: readonly string[];
  /** Errors left after --ignore-preflight-errors (ignored ones moved to warnings). */
  readonly errors: readonly string[];
  /** The check failed, and the failure was turned into warnings by the ignore list. */
  readonly ignoredFailure: boolean;
  readonly report: readonly string[];
  /** The failure was left by this node's earlier tskubeadm run: the line said instead of the errors. */
  readonly excuse?: string;
}

/** kubeadm's setHasItemOrAll: names compare case-insensitively. */
export function isIgnored(ignore: ReadonlySet<string>, name: string): boolean {
  return ignore.has('all') || ignore.has(name.toLowerCase());
}

/**
 * Checks run concurrently and several ask the same question: two may probe one port (bindPort set
 * to 10250, say), and two simultaneous test binds would make one fail; several look up crictl or
 * run `kubelet --version`. Within a run each port is probed once, each executable looked up once
 * and each read-only command run once, and every check asking gets that answer.
 */
function shareProbes(host: Host): Host {
  const once = <K, V>(ask: (k: K) => Promise<V>) => {
    const answers = new Map<K, Promise<V>>();
    return (k: K): Promise<V> => {
      let p = answers.get(k);
      if (p === undefined) {
        p = ask(k);
        answers.set(k, p);
      }
      return p;
    };
  };
  const canListen = once((port: number) => host.net.canListen(port));
  const which = once((name: string) => host.exec.which(name));
  const readOnly = once((key: string) => {
    const { argv, opts } = JSON.parse(key) as { argv: string[]; opts: ExecOptions };
    return host.exec.run(argv, opts);
  });
  return {
    ...host,
    net: { ...host.net, canListen },
    exec: {
      // A command that changes the host (an image pull) always runs; a question is asked once.
      run: (argv, opts) => (opts.mutates ? host.exec.run(argv, opts) : readOnly(JSON.stringify({ argv, opts }))),
      which,
    },
  };
}

async function runOne(spec: CheckSpec, host: Host, target: PreflightTarget): Promise<CheckResult> {
  try {
    return await spec.run({ host, target });
  } catch (e) {
    // A check that cannot decide is a failed check, never a crash of the whole command.
    return { warnings: [], errors: [e instanceof Error ? e.message : String(e)] };
  }
}

/** Runs the checks (concurrently) and applies the ignore list; prints nothing. */
export async function evaluateChecks(checks: readonly CheckSpec[], opts: Omit<RunChecksOptions, 'out'>): Promise<CheckOutcome[]> {
  const host = shareProbes(opts.host);
  const results = await Promise.all(checks.map((c) => runOne(c, host, opts.target)));
  return checks.map((c, i) => {
    const name = nameOf(c, opts.target);
    const r = results[i] ?? { warnings: [], errors: [] };
    const ignored = isIgnored(opts.ignore, name);
    const excuse = !ignored && r.errors.length > 0 ? opts.excused?.get(name) : undefined;
    return {
      name,
      warnings: ignored ? [...r.warnings, ...r.errors] : [...r.warnings],
      errors: ignored || excuse !== undefined ? [] : [...r.errors],
      ignoredFailure: ignored && r.errors.length > 0,
      report: excuse === undefined ? [...(r.report ?? [])] : [],
      ...(excuse === undefined ? {} : { excuse }),
    };
  });
}

/** Prints outcomes as kubeadm does and throws PreflightError when errors remain. */
function reportOutcomes(outcomes: readonly CheckOutcome[], out: Output): void {
  const errorLines: string[] = [];
  const failed: string[] = [];
  for (const o of outcomes) {
    // SystemVerification's report goes to stdout before its verdict, as kubeadm prints it inside the check
    // (also when the error is then ignored).
    for (const line of o.report) out.info(line);
    if (o.excuse !== undefined) out.info(o.excuse);
    for (const w of o.warnings) out.warn(`\t[WARNING ${o.name}]: ${w}`);
    for (const e of o.errors) errorLines.push(`\t[ERROR ${o.name}]: ${e}`);
    if (o.errors.length > 0 && !failed.includes(o.name)) failed.push(o.name);
  }
  // kubeadm prints ignored failures as plain warnings; say which ones they were, so a log shows what was waved through.
  const ignored = outcomes.filter((o) => o.ignoredFailure).map((o) => o.name);
  if (ignored.length > 0) out.info(`[preflight] Failed checks ignored as requested (--ignore-preflight-errors / nodeRegistration.ignorePreflightErrors): ${ignored.join(', ')}`);
  if (errorLines.length === 0) return;
  out.warn(fatalHeader);
  for (const line of errorLines) out.warn(line);
  out.warn(ignoreHint);
  throw new PreflightError(failed);
}

export async function runChecks(checks: readonly CheckSpec[], opts: RunChecksOptions): Promise<void> {
  reportOutcomes(await evaluateChecks(checks, opts), opts.out);
}

/** One of kubeadm's lists (table.ts) for this target. */
export async function runCheckSet(set: CheckSet, opts: RunChecksOptions): Promise<void> {
  await runChecks(checksFor(set, opts.target), opts);
}
