// reset's files: restore what init and join replaced, remove what they (or the cluster) created, keep
// what was there before. With a host journal that is exact (docs/decisions/0010-host-journal.md); without
// one, kubeadm's lists (cleanupnode.go), but only on a host that shows a node was set up here, so a
// second reset deletes nothing. Every change goes through ctx.host: --dry-run only records it.
import { type HostJournal, journalDir, journalPath } from '../journal/journal.js';
import { removeJournal } from '../journal/journal-file.js';
import { progressPath } from '../resume/progress.js';
import { preexisted } from '../journal/snapshot.js';
import { configDefaults } from '../config/defaults.js';
import { hostPath } from '../host/host-path.js';
import { goQuote } from '../output/go-quote.js';
import type { ResetContext } from '../phases/reset/context.js';
import {
  createdPaths, decideEntry, deepestFirst, type FileCleanup, isUnder, type JournalView, kubeconfigFiles, kubeletRunDir,
  pathHistories,
} from './file-plan.js';
import { hashOf, restoreReplaced } from './restore-replaced.js';
import { reach, symlinkLeftover } from './safe-path.js';

export { cniDirs, type FileCleanup, kubeadmFileCleanup, kubeconfigFiles, kubeletRunDir } from './file-plan.js';

/** One reset's view of the files: the context, what the journal says, what is left to look at when done. */
export interface Cleaner {
  readonly ctx: ResetContext;
  readonly view: JournalView | undefined;
  /** Directories to remove at the end when empty: the journal's and those that appeared after its snapshot. */
  readonly emptyDirs: Set<string>;
  /** Directories kept whose every entry was already reported: nothing more to say about them. */
  readonly settled: Set<string>;
  failures: number;
  /** Paths the journal created that are still there, in a directory this run keeps: the journal is kept for them. */
  pending: number;
}

async function cleaner(ctx: ResetContext): Promise<Cleaner> {
  const journal: HostJournal | undefined = await ctx.journal();
  const view = journal === undefined ? undefined : { snapshot: journal.snapshot, histories: pathHistories(journal) };
  return { ctx, view, emptyDirs: new Set(), settled: new Set(), failures: 0, pending: 0 };
}

/** Restores what init/join replaced, removes what they (or the cluster) created per the rule in common.md, reports leftovers. */
export async function revertHostFiles(ctx: ResetContext, target: FileCleanup): Promise<void> {
  const { out, dryRun } = ctx;
  const c = await cleaner(ctx);
  const certsDir = target.contentsOf.find((d) => d === hostPath(ctx.cfg.reset.certificatesDir));
  if (certsDir !== undefined && certsDir !== configDefaults.certificatesDir) {
    out.warn(`[reset] WARNING: Cleaning a non-default certificates directory: ${goQuote(certsDir)}`);
  }
  for (const k of target.kept) {
    const held = await ctx.host.fs.list(k.dir).catch(() => undefined);
    if ((held ?? []).length > 0) ctx.report.left({ kind: 'directory', item: k.dir, reason: k.reason, ...(k.fix ? { fix: k.fix } : {}) });
  }
  const setUp = c.view !== undefined || (await nodeWasSetUp(ctx));
  if (!setUp) out.detail(1, '[reset] No tskubeadm journal and no sign that a node was set up here: no files are deleted');

  out.info(`${dryRun ? '[dryrun] Would delete' : '[reset] Deleting'} contents of directories: [${target.contentsOf.join(' ')}]`);
  if (setUp) for (const dir of target.contentsOf) await cleanContents(c, dir);
  out.info(`${dryRun ? '[dryrun] Would delete' : '[reset] Deleting'} files: [${target.files.join(' ')}]`);
  if (setUp) for (const f of target.files) await removeListed(c, f);
  if (c.view === undefined) {
    // A journal that could not be read (its warning was printed) would stop every later init from keeping one.
    if (target.removeJournal && (await ctx.host.fs.stat(journalPath)) !== undefined) await dropJournal(c);
    return;
  }

  for (const dir of target.newEntriesOf) {
    if (preexisted(c.view.snapshot, dir) === 'unknown') continue;
    await cleanContents(c, dir, { quietUnknown: true });
  }
  await removeCreated(c, target);
  await restoreReplaced(c);
  // While a kept directory (a still-mounted /var/lib/kubelet) holds what the journal created, the journal stays:
  // the reset that finishes the job is then still exact.
  // So does anything that could not be removed or restored: a later reset without the journal would fall back
  // on kubeadm's lists and delete the user's files this one kept.
  const dropIt = target.removeJournal && c.pending === 0 && c.failures === 0;
  if (dropIt) await dropJournal(c);
  // The resume record goes either way: the node is no longer what init or join left, so a later run starts afresh.
  else if (target.removeJournal && !dryRun) await ctx.host.fs.remove(progressPath);
  await removeEmptyDirs(c, dropIt);
}

/** The etcd data directory (remove-etcd-member): its contents go, as kubeadm; the directory itself too when the
 *  journal created it (or it appeared after the snapshot); pre-existing entries stay. */
export async function cleanEtcdDataDir(ctx: ResetContext, dir: string): Promise<void> {
  const c = await cleaner(ctx);
  const abs = hostPath(dir);
  if (c.view === undefined && !(await nodeWasSetUp(ctx))) {
    ctx.out.detail(1, `[reset] No tskubeadm journal and no sign that a node was set up here: ${abs} is left as it is`);
    return;
  }
  const r = await reach(ctx.host, abs);
  if (r.ok && r.info === undefined) {
    ctx.out.detail(1, `[reset] The etcd data directory ${abs} does not exist`);
    return;
  }
  await cleanContents(c, abs);
  if (c.view !== undefined && r.ok && r.info?.kind === 'directory') {
    const created = c.view.histories.get(abs)?.original.existed === false;
    if (created || preexisted(c.view.snapshot, abs) === false) await removeIfEmpty(c, abs);
  }
  if (c.failures > 0) return;
  ctx.out.info(ctx.dryRun
    ? `[dryrun] Would delete contents of the etcd data directory: ${abs}`
    : `[reset] Deleted contents of the etcd data directory: ${abs}`);
}

/** No journal: only a host with one of kubeadm's kubeconfig files, a static Pod manifest or kubeadm's
 *  kubeadm-flags.env was a node; anywhere else kubeadm's lists would delete files that are not a cluster's.
 *  Not the kubelet's config.yaml: an image may ship one, and a journaled reset restores it, after which a
 *  second reset must still find nothing to do. */
export async function nodeWasSetUp(ctx: ResetContext): Promise<boolean> {
  const fs = ctx.host.fs;
  const k = ctx.options.kubeconfigDir;
  for (const f of [...kubeconfigFiles(k), `${kubeletRunDir}/kubeadm-flags.env`]) if ((await fs.stat(f)) !== undefined) return true;
  const manifests = await fs.list(`${k}/manifests`).catch(() => undefined);
  return (manifests ?? []).some((n) => n.endsWith('.yaml') || n.endsWith('.json'));
}

async function removePath(c: Cleaner, p: string): Promise<boolean> {
  const { ctx } = c;
  try {
    await ctx.host.fs.remove(p);
  } catch (e) {
    c.failures++;
    const msg = (e as Error).message;
    ctx.out.warn(`[reset] Failed to remove ${goQuote(p)}: ${msg}`);
    ctx.report.left({ kind: 'file', item: p, reason: `could not be removed: ${msg}` });
    return false;
  }
  ctx.report.did('removed', p);
  ctx.out.detail(1, ctx.dryRun ? `[dryrun] Would remove ${p}` : `[reset] Removed ${p}`);
  return true;
}

/** Empties `dir` as the journal (or, without one, kubeadm) says; never through a symlink. */
async function cleanContents(c: Cleaner, dir: string, o: { quietUnknown?: boolean } = {}): Promise<void> {
  const { ctx, view } = c;
  const fs = ctx.host.fs;
  const r = await reach(ctx.host, dir);
  const link = !r.ok ? r.symlink : r.info?.kind === 'symlink' ? dir : undefined;
  if (link !== undefined || !r.ok) {
    c.failures++;
    return void ctx.report.left(symlinkLeftover(link ?? dir));
  }
  if (r.info === undefined) return;
  if (r.info.kind !== 'directory') {
    c.failures++;
    ctx.out.warn(`[reset] Failed to delete contents of ${goQuote(dir)} directory: it is not a directory`);
    return;
  }
  let unknown = false;
  const walk = async (d: string): Promise<void> => {
    for (const name of (await fs.list(d)) ?? []) {
      const p = `${d}/${name}`;
      const info = await fs.stat(p);
      if (info === undefined) continue;
      const decision = decideEntry(p, info.kind, view);
      if (decision === 'remove') await removePath(c, p);
      else if (decision === 'descend') await walk(p);
      else if (decision === 'keep') ctx.out.detail(2, `[reset] Kept ${p}: it was there before tskubeadm`);
      else unknown = true;
    }
  };
  await walk(dir);
  if (view === undefined) return;
  if (unknown && !o.quietUnknown) {
    c.failures++; // not emptied: no "Deleted contents" line may follow
    ctx.report.left({
      kind: 'directory', item: dir,
      reason: 'what it held before tskubeadm is not known (its snapshot was cut short or not taken), so only what tskubeadm created there was removed',
      fix: `look at what is left in ${dir} and remove what belongs to this cluster`,
    });
  }
  if (preexisted(view.snapshot, dir) === false) c.emptyDirs.add(dir);
}

/** One of kubeadm's six kubeconfig files. */
async function removeListed(c: Cleaner, f: string): Promise<void> {
  const r = await reach(c.ctx.host, f);
  if (!r.ok) return void c.ctx.report.left(symlinkLeftover(r.symlink));
  if (r.info === undefined) return;
  const decision = decideEntry(f, r.info.kind, c.view);
  if (decision === 'remove') await removePath(c, f);
  else if (decision === 'unknown') {
    c.ctx.report.left({ kind: 'file', item: f, reason: 'not known whether it was there before tskubeadm (the snapshot was cut short), so it was kept' });
  }
}

function covered(target: FileCleanup, p: string): boolean {
  return target.files.includes(p) || [...target.contentsOf, ...target.newEntriesOf].some((d) => p !== d && isUnder(p, d));
}

/** What the journal created outside (or not yet removed from) kubeadm's lists; unchanged files only, unless
 *  kubeadm's lists cover them anyway. Directories wait for removeEmptyDirs. */
async function removeCreated(c: Cleaner, target: FileCleanup): Promise<void> {
  const { ctx, view } = c;
  if (view === undefined) return;
  for (const p of deepestFirst(createdPaths(view.histories))) {
    const r = await reach(ctx.host, p);
    if (target.kept.some((k) => isUnder(p, k.dir))) {
      if (r.ok && r.info?.kind === 'directory') c.emptyDirs.add(p);
      else if (r.ok && r.info !== undefined) c.pending++;
      continue;
    }
    if (!r.ok) {
      c.failures++;
      ctx.report.left(symlinkLeftover(r.symlink));
      continue;
    }
    if (r.info === undefined) continue;
    if (r.info.kind === 'directory') {
      c.emptyDirs.add(p);
      continue;
    }
    const written = view.histories.get(p)?.lastWrite;
    const unchanged = r.info.kind === 'file' && written !== undefined && hashOf(await ctx.host.fs.read(p)) === written.sha256;
    if (unchanged || covered(target, p)) await removePath(c, p);
    else {
      ctx.report.left({
        kind: 'file', item: p, reason: 'tskubeadm created it, but it was changed since tskubeadm wrote it',
        fix: `look at it; remove it if it is not needed: rm ${p}`,
      });
    }
  }
}

async function dropJournal(c: Cleaner): Promise<void> {
  const existed = (await c.ctx.host.fs.stat(journalPath)) !== undefined;
  await removeJournal(c.ctx.host);
  if (existed) c.ctx.report.did('removed', journalPath);
}

/** The directories the journal created, and those that appeared after its snapshot, deepest first. */
async function removeEmptyDirs(c: Cleaner, journalRemoved: boolean): Promise<void> {
  for (const d of deepestFirst(c.emptyDirs)) {
    // A kept journal keeps the directories above it.
    if (!journalRemoved && isUnder(journalDir, d)) continue;
    await removeIfEmpty(c, d);
  }
}

async function removeIfEmpty(c: Cleaner, dir: string): Promise<void> {
  const { ctx } = c;
  const r = await reach(ctx.host, dir);
  if (!r.ok) return void ctx.report.left(symlinkLeftover(r.symlink));
  if (r.info?.kind !== 'directory') return;
  const names = (await ctx.host.fs.list(dir)) ?? [];
  if (names.length === 0) {
    await removePath(c, dir);
    return;
  }
  // Whatever is left in it was reported already (a kept directory, a changed file): say nothing more.
  const reported = new Set([...ctx.report.leftovers.map((l) => l.item), ...c.settled]);
  if (names.every((n) => reported.has(`${dir}/${n}`))) {
    c.settled.add(dir);
    return;
  }
  ctx.report.left({
    kind: 'directory', item: dir, reason: 'it was not there before tskubeadm, and it holds files tskubeadm did not create',
    fix: `look at what is in ${dir}; remove it if it is not needed: rm -r ${dir}`,
  });
}

