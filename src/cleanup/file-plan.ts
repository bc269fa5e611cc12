// The pure half of reset's file reversal: kubeadm's lists (cleanupnode.go), what the host journal says
// about each path (what was there before tskubeadm first touched it, what tskubeadm last wrote), and what
// reset does with one entry it meets in a directory it cleans. No host access here; host-files.ts does the IO.
import { hostPath } from '../host/host-path.js';
import type { HostJournal, HostSnapshot, JournalPrevious } from '../journal/journal.js';
import { journalDir } from '../journal/journal.js';
import { holdsPreexisting, preexisted } from '../journal/snapshot.js';
import { kubeletRunDir } from '../kubelet/kubelet-paths.js';
import type { ResetContext } from '../phases/reset/context.js';

export { kubeletRunDir };

export interface FileCleanup {
  /** kubeadm's reset directories whose contents go (the directories themselves stay unless the journal created them). */
  readonly contentsOf: readonly string[];
  /** kubeadm's reset files. */
  readonly files: readonly string[];
  /** Directories where entries that appeared after the journal's snapshot are the cluster's (CNI); used only with a journal. */
  readonly newEntriesOf: readonly string[];
  /** kubeadm directories this run leaves alone, and why (tmp without --cleanup-tmp-dir; /var/lib/kubelet when unmount failed). */
  readonly kept: readonly { readonly dir: string; readonly reason: string; readonly fix?: string }[];
  /** Remove the journal (and the directories it created) at the end. */
  readonly removeJournal: boolean;
}

/** Where CNI plugins write their configuration (/etc/cni/net.d; /etc/cni itself when a plugin made it) and state. */
export const cniDirs: readonly string[] = Object.freeze(['/etc/cni', '/var/lib/cni']);
/** kubeadm's filesToClean, in its order. */
const kubeconfigFileNames = ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'bootstrap-kubelet.conf', 'controller-manager.conf', 'scheduler.conf'];

export function kubeconfigFiles(kubeconfigDir: string): string[] {
  return kubeconfigFileNames.map((n) => `${kubeconfigDir}/${n}`);
}

/** kubeadm's lists for this config: contentsOf [manifests, /var/lib/kubelet (when unmounted), certificatesDir,
 *  tmp (cleanupTmpDir)], files (the six), newEntriesOf (CNI), kept as above. */
export function kubeadmFileCleanup(ctx: ResetContext, o: { unmounted: boolean }): FileCleanup {
  const k = ctx.options.kubeconfigDir;
  const tmp = `${k}/tmp`;
  const cleanupTmp = ctx.cfg.reset.cleanupTmpDir;
  const kept: FileCleanup['kept'][number][] = [];
  if (!o.unmounted) {
    kept.push({
      dir: kubeletRunDir,
      reason: 'what is mounted under it could not be unmounted, so its contents were not deleted',
      fix: `unmount what findmnt -R ${kubeletRunDir} lists, then run: tskubeadm reset phase cleanup-node`,
    });
  }
  if (!cleanupTmp) {
    kept.push({ dir: tmp, reason: 'kubeadm keeps its temporary directory unless asked', fix: 'tskubeadm reset --cleanup-tmp-dir' });
  }
  return Object.freeze({
    contentsOf: [`${k}/manifests`, ...(o.unmounted ? [kubeletRunDir] : []), hostPath(ctx.cfg.reset.certificatesDir), ...(cleanupTmp ? [tmp] : [])],
    files: kubeconfigFiles(k),
    newEntriesOf: cniDirs,
    kept,
    removeJournal: true,
  });
}

/** One path's story in the journal. */
export interface PathHistory {
  /** What was there before the FIRST change a run made to it: the state reset returns to. */
  readonly original: JournalPrevious;
  /** SHA-256 and mode of the last write, while a write is the last thing that happened to it. */
  readonly lastWrite?: { readonly sha256: string; readonly mode: number };
}

/** Every path the journal touched, keyed by path, first entry deciding the original state. */
export function pathHistories(journal: HostJournal): ReadonlyMap<string, PathHistory> {
  const out = new Map<string, PathHistory>();
  const absent: JournalPrevious = { existed: false };
  const first = (path: string, original: JournalPrevious) => {
    if (!out.has(path)) out.set(path, { original });
  };
  for (const e of journal.entries) {
    if (e.action === 'write') {
      for (const d of e.createdDirs ?? []) first(d, absent);
      first(e.path, e.previous);
      out.set(e.path, { original: out.get(e.path)!.original, lastWrite: { sha256: e.sha256, mode: e.mode } });
    } else if (e.action === 'mkdir') {
      for (const d of e.created) first(d, absent);
    } else if (e.action === 'remove') {
      first(e.path, e.previous);
      out.set(e.path, { original: out.get(e.path)!.original });
      // What was below a removed directory is gone with it: no later entry can speak for it.
      const prefix = `${e.path}/`;
      for (const [p, h] of out) if (p.startsWith(prefix) && h.lastWrite !== undefined) out.set(p, { original: h.original });
    }
  }
  return out;
}

/** Paths the journal created (absent before the first run touched them), the journal's own files excluded. */
export function createdPaths(histories: ReadonlyMap<string, PathHistory>): string[] {
  return [...histories].filter(([p, h]) => !h.original.existed && !isUnder(p, journalDir)).map(([p]) => p);
}

/** `p` is `dir` or lies below it. */
export function isUnder(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(`${dir}/`);
}

/** Deepest first, so a directory is looked at after everything below it. */
export function deepestFirst(paths: Iterable<string>): string[] {
  const depth = (p: string) => p.split('/').length;
  return [...new Set(paths)].sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : a > b ? 1 : 0));
}

/** What reset does with one entry it meets while cleaning a directory:
 *  remove it (rm -rf), descend into it, keep it (it was there before), or keep it because nothing says
 *  whether it was ('unknown': the caller reports that once per directory). */
export type EntryDecision = 'remove' | 'descend' | 'keep' | 'unknown';

export interface JournalView {
  readonly snapshot: HostSnapshot;
  readonly histories: ReadonlyMap<string, PathHistory>;
}

export function decideEntry(path: string, kind: 'file' | 'directory' | 'symlink' | 'other', journal: JournalView | undefined): EntryDecision {
  // No journal: kubeadm's rule, everything in its directories goes.
  if (journal === undefined) return 'remove';
  const { snapshot, histories } = journal;
  const pre = preexisted(snapshot, path);
  // Never through a symlink: a pre-existing directory is descended into, a pre-existing link is kept as it is.
  if (pre === true) return kind === 'directory' ? 'descend' : 'keep';
  if (pre === false) return kind === 'directory' && holdsPreexisting(snapshot, path) ? 'descend' : 'remove';
  const created = histories.get(path)?.original.existed === false;
  if (kind === 'directory' && (created || holdsCreated(histories, path))) return 'descend';
  return created ? 'remove' : 'unknown';
}

function holdsCreated(histories: ReadonlyMap<string, PathHistory>, dir: string): boolean {
  const prefix = `${dir}/`;
  for (const [p, h] of histories) if (p.startsWith(prefix) && !h.original.existed) return true;
  return false;
}

/** What to do about a path that existed before tskubeadm and that a run replaced or removed. */
export type RestorePlan =
  | { readonly path: string; readonly action: 'restore'; readonly blob: string; readonly mode: number }
  | { readonly path: string; readonly action: 'cannot'; readonly reason: string };

export function restorePlans(histories: ReadonlyMap<string, PathHistory>): RestorePlan[] {
  const out: RestorePlan[] = [];
  for (const [path, h] of histories) {
    const o = h.original;
    if (!o.existed || isUnder(path, journalDir)) continue;
    if (o.kind === 'file' && o.blob !== undefined) out.push({ path, action: 'restore', blob: o.blob, mode: o.mode });
    else if (o.kind === 'file') out.push({ path, action: 'cannot', reason: 'tskubeadm replaced this file, and its previous content (over 1 MiB) was not kept' });
    else out.push({ path, action: 'cannot', reason: `tskubeadm replaced or removed a ${o.kind} here, which cannot be put back` });
  }
  return out;
}
