// What init, join and reset share once their flags are parsed: the renderer, the host
// (--rootfs, --dry-run), config warnings, phase selection with early validation, the run
// itself and the dry-run plan. kubeadm: newInitData / newJoinData / newResetData.
import { randomInt } from 'node:crypto';
import { ConfigError, UsageError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import type { Phase } from '../workflow/phase.js';
import type { ResumeRun } from '../resume/session.js';
import type { ResumeTracker } from '../resume/tracker.js';
import { chooseRenderer } from '../workflow/renderer.js';
import { runPhases, type PhaseRenderer, type RunOptions } from '../workflow/run.js';
import { selectPhases, validatePhaseNames, type Selection } from '../workflow/select.js';
import { resultsTo } from './command-io.js';
import type { CliDeps } from './deps.js';
import type { WorkflowCall } from './workflow-command.js';

export interface RunSetup {
  readonly renderer: PhaseRenderer;
  /** Where the run prints: the renderer's output, whose results (print) go to the real stdout. */
  readonly out: Output;
  /** The host before any --dry-run wrapping: the machine, or the --rootfs tree. */
  readonly host: Host;
}

/** Validates --skip-phases against the tree before anything else happens, then builds renderer and host. With a
 *  data `output` format (-o json|yaml), stdout carries the result document only and progress goes to stderr. */
export function setUpRun<C>(deps: CliDeps, call: WorkflowCall, tree: readonly Phase<C>[], output = 'text'): RunSetup {
  validatePhaseNames(tree, listFlag(call.set['skip-phases']) ?? []);
  const renderer = chooseRenderer({
    isTTY: deps.isTTY,
    stdout: output === 'text' ? deps.stdout : deps.stderr,
    stderr: deps.stderr,
    verbosity: call.globals.verbosity,
    ...(deps.columns === undefined ? {} : { columns: deps.columns }),
    logFormat: call.globals.logFormat,
  });
  const host = deps.makeHost(call.globals.rootfs === undefined ? {} : { rootfs: call.globals.rootfs });
  return { renderer, out: output === 'text' ? renderer.out : resultsTo(renderer.out, deps.stdout), host };
}

export function stringFlag(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function listFlag(v: unknown): readonly string[] | undefined {
  return Array.isArray(v) ? (v as string[]) : undefined;
}

export interface DryRun {
  readonly host: Host;
  /** Where writes land, as a host path. */
  readonly dir: string;
  /** Where a write to `path` lands on this machine. */
  writtenTo(path: string): string;
  /** One line per recorded mutation, in order. */
  plan(): string[];
}

/**
 * Wraps the host for --dry-run. init and join make their directory up front, as kubeadm's
 * GetDryRunDir: /etc/kubernetes/tmp/tskubeadm-<cmd>-dryrun<random> (0700), or the directory named
 * by TSKUBEADM_<CMD>_DRYRUN_DIR. reset writes nothing, so it gets a directory that is made only if used.
 */
export async function enterDryRun(deps: CliDeps, base: Host, out: Output, command: 'init' | 'join' | 'reset'): Promise<DryRun> {
  const { dryRunHost, dryRunPath, describeMutation } = await import('../host/index.js');
  const envVar = `TSKUBEADM_${command.toUpperCase()}_DRYRUN_DIR`;
  const fromEnv = deps.env[envVar];
  let dir: string;
  if (command === 'reset') {
    dir = `/etc/kubernetes/tmp/tskubeadm-reset-dryrun${randomInt(2 ** 32)}`;
  } else if (fromEnv !== undefined && fromEnv !== '') {
    dir = fromEnv;
    await base.fs.mkdir(dir, { mode: 0o700 });
  } else {
    dir = await makeTempDir(base, '/etc/kubernetes/tmp', `tskubeadm-${command}-dryrun`);
    out.warn(`Using dry-run directory ${dir}. To override it, set the environment variable ${envVar}`);
  }
  const host = dryRunHost(base, dir);
  return { host, dir, writtenTo: (p) => base.fs.realPath(dryRunPath(dir, p)), plan: () => host.mutations.map(describeMutation) };
}

/** Go's os.MkdirTemp(parent, prefix) through the host: prefix + random digits, never an existing name. */
async function makeTempDir(host: Host, parent: string, prefix: string): Promise<string> {
  await host.fs.mkdir(parent, { mode: 0o700 });
  for (;;) {
    const dir = `${parent}/${prefix}${randomInt(2 ** 32)}`;
    if ((await host.fs.stat(dir)) === undefined) {
      await host.fs.mkdir(dir, { mode: 0o700 });
      return dir;
    }
  }
}

/** The end of a dry run: what would have changed, and where the files went instead. */
export async function printPlan(out: Output, base: Host, dry: DryRun): Promise<void> {
  const lines = dry.plan();
  if (lines.length === 0) {
    out.info('[dryrun] No changes would be made to this host');
    return;
  }
  out.info(`[dryrun] Planned changes to this host, none of which were made:`);
  for (const l of lines) out.info(l);
  // As kubeadm, the static Pod manifests and the kubelet's files are shown in full; keys, certificates and
  // kubeconfigs never are.
  for (const m of dry.host.mutations) {
    if (m.action !== 'write' || !shownInDryRun(m.path)) continue;
    const text = await dry.host.fs.readText(m.path);
    if (text === undefined) continue;
    out.info(`[dryrun] Would write file "${m.path}" with content:`);
    out.info(text.replace(/\n$/, ''));
  }
  if (dry.host.mutations.some((m) => m.action === 'write' || m.action === 'mkdir')) {
    out.info(`[dryrun] The files it would write are in ${base.fs.realPath(dry.dir)}`);
  }
}

/** The files a dry run prints: nothing secret in them. */
function shownInDryRun(path: string): boolean {
  return path.startsWith('/etc/kubernetes/manifests/') || path === '/var/lib/kubelet/config.yaml' || path === '/var/lib/kubelet/kubeadm-flags.env';
}

export interface RunSelectedOptions {
  readonly only?: string;
  /** --skip-phases when given, else the config's skipPhases. */
  readonly flagSkip?: readonly string[];
  readonly configSkip: readonly string[];
  readonly configFile?: string;
}

/**
 * The phases to run: `phase x/y` and --skip-phases, else the config's skipPhases. Called right after
 * the config is loaded, before anything is written: a bad name in the file is a config error, on
 * the command line a usage error.
 */
function selectFor<C>(tree: readonly Phase<C>[], opts: RunSelectedOptions): Selection<C> {
  const fromFlag = opts.flagSkip !== undefined;
  try {
    return selectPhases(tree, {
      ...(opts.only === undefined ? {} : { only: opts.only }),
      skip: opts.flagSkip ?? opts.configSkip,
      skipSource: fromFlag ? '--skip-phases' : 'skipPhases',
    });
  } catch (err) {
    if (fromFlag || !(err instanceof UsageError) || !err.message.startsWith('invalid phase name')) throw err;
    throw new ConfigError([{ message: err.message, field: 'skipPhases', ...(opts.configFile ? { file: opts.configFile } : {}) }], {
      ...(err.fix === undefined ? {} : { fix: err.fix }),
    });
  }
}

/** selectFor with the options of a parsed command line. */
export function selectForCall<C>(tree: readonly Phase<C>[], call: WorkflowCall, configSkip: readonly string[], configFile?: string): Selection<C> {
  const flagSkip = listFlag(call.set['skip-phases']);
  return selectFor(tree, {
    ...(call.only === undefined ? {} : { only: call.only }),
    ...(flagSkip === undefined ? {} : { flagSkip }),
    configSkip,
    ...(configFile === undefined ? {} : { configFile }),
  });
}

export interface RunSelectionOptions<C = unknown> {
  /** After each phase that ran, was skipped or failed (init and join flush the host journal). */
  readonly afterPhase?: RunOptions['afterPhase'];
  /** Before each phase would run (resumable init and join: src/resume/tracker.ts). */
  readonly beforePhase?: RunOptions<C>['beforePhase'];
}

export async function runSelection<C>(
  deps: CliDeps, setup: RunSetup, selection: Selection<C>, ctx: C, opts: RunSelectionOptions<C> = {},
): Promise<void> {
  for (const s of selection.skipped) {
    if (setup.renderer.leftOut) setup.renderer.leftOut(s.placed.path, `skipped by ${s.reason}`);
    else setup.out.detail(1, `[phase] ${s.placed.path} skipped by ${s.reason}`);
  }
  await runPhases(selection, ctx, {
    renderer: setup.renderer,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(opts.afterPhase ? { afterPhase: opts.afterPhase } : {}),
    ...(opts.beforePhase ? { beforePhase: opts.beforePhase } : {}),
  });
}

/**
 * Runs init's or join's selection with the host journal (src/journal/) and the resume record (src/resume/), under
 * the host lock (src/lock/). The lock is taken first and released last, so two runs never interleave and its own
 * file never becomes a journal entry; the resume record is read again under it. The journal is opened before the
 * first phase (the first run on a host snapshots `watched`), flushed after each top-level phase and once more when
 * the run ends, failed or not. A dry run takes no lock and keeps no journal; it reads the resume record (so it
 * shows what a re-run would skip) and never writes it.
 */
export async function runJournaled<C>(
  deps: CliDeps,
  setup: RunSetup,
  selection: Selection<C>,
  ctx: C & { readonly host: Host; readonly out: Output; readonly dryRun: boolean },
  o: {
    readonly command: 'init' | 'join';
    readonly watched: readonly string[];
    /** The resume start (src/resume/session.ts) with the generated values this run uses. */
    readonly resume?: ResumeRun;
    /** --lock-timeout as given (a Go duration), or undefined for the default. */
    readonly lockTimeout?: unknown;
  },
): Promise<void> {
  const dryRun = ctx.dryRun || ctx.host.dryRun;
  if (dryRun) {
    const tracker = o.resume === undefined ? undefined : await trackerFor(ctx, o.resume, true);
    await runSelection(deps, setup, selection, ctx, tracker === undefined ? {} : { beforePhase: tracker.beforePhase });
    return;
  }
  const { withHostLock } = await import('../lock/host-lock.js');
  const { lockTimeoutMs } = await import('../lock/lock-timeout.js');
  await withHostLock(ctx.host, {
    command: o.command,
    timeoutMs: lockTimeoutMs(o.lockTimeout),
    out: ctx.out,
    ...(deps.signal ? { signal: deps.signal } : {}),
  }, () => runLocked(deps, setup, selection, ctx, o));
}

async function trackerFor<C>(
  ctx: C & { readonly host: Host; readonly out: Output }, resume: ResumeRun, dryRun: boolean,
): Promise<ResumeTracker<C>> {
  const { startResume } = await import('../resume/session.js');
  const { resumeTracker } = await import('../resume/tracker.js');
  // Under the lock, read again now that nothing else can change it; the first read only chose the generated values.
  // A record gone since (a reset ran while this run waited for the lock) is gone: its phases must not be taken as
  // done. A dry run takes no lock, so its first read stands.
  const { earlier } = dryRun ? resume : await startResume(ctx.host, () => {}, resume.command, resume.identity);
  return resumeTracker(ctx, { host: ctx.host, out: ctx.out, command: resume.command, identity: resume.identity, earlier, generated: resume.generated, dryRun });
}

async function runLocked<C>(
  deps: CliDeps,
  setup: RunSetup,
  selection: Selection<C>,
  ctx: C & { readonly host: Host; readonly out: Output; readonly dryRun: boolean },
  o: { readonly command: 'init' | 'join'; readonly watched: readonly string[]; readonly resume?: ResumeRun },
): Promise<void> {
  let tracker: ResumeTracker<C> | undefined;
  if (o.resume !== undefined) {
    tracker = await trackerFor(ctx, o.resume, false);
    // What a run killed mid-write left: staged files of processes that are gone (we hold the lock).
    const { removeStaleStagedFiles } = await import('../resume/staged-files.js');
    for (const p of await removeStaleStagedFiles(ctx.host)) ctx.out.detail(1, `[resume] removed ${p}, left by an interrupted write`);
  }
  const { openJournal } = await import('../journal/recorder.js');
  const leaves = selection.run.filter((p) => p.phase.run !== undefined).map((p) => p.path);
  const recorder = await openJournal(ctx.host, {
    command: o.command,
    phases: leaves,
    watched: o.watched,
    out: ctx.out,
  });
  // Both records are flushed when a top-level phase (certs, kubeconfig, …) is done or any phase fails: each flush is
  // an fsync'ed rewrite, one per leaf would cost init ~15 %. A crash inside a phase loses its entries: the next run
  // finds what it left (journal/recover.ts) before it changes anything, and runs those leaves again (they reuse the
  // files they find).
  const top = (path: string) => path.split('/')[0];
  const lastOfGroup = new Set(leaves.filter((p, i) => top(p) !== top(leaves[i + 1] ?? '')));
  let ok = false;
  try {
    await runSelection<C>(deps, setup, selection, ctx, {
      afterPhase: async (t) => {
        tracker?.afterPhase(t);
        if (t.status === 'failed' || lastOfGroup.has(t.path)) {
          await tracker?.flush();
          await recorder.flush();
        }
      },
      beforePhase: async (placed) => {
        // On disk before the first phase that changes the host (preflight changes nothing, and a failed one leaves
        // no journal), so a run killed before its first flush still left the snapshot of what was there before it.
        if (placed.path !== 'preflight') await recorder.persist();
        return tracker?.beforePhase(placed);
      },
    });
    ok = true;
  } finally {
    try {
      await tracker?.flush();
      await recorder.close();
    } catch (err) {
      // After a failed run its own error is the one to show; after a good one the journal's trouble is.
      if (ok) throw err;
      ctx.out.warn(`could not update the host journal: ${(err as Error).message}`);
    }
  }
}
