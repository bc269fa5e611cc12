// reset puts back the files init and join replaced, as they were before tskubeadm first wrote them, unless
// someone changed them again since (then the edit stays, and the report says how to put the old content back).
import { previousDir } from '../journal/journal.js';
import { readPrevious } from '../journal/journal-file.js';
import { sha256Hex } from '../sha256.js';
import { goQuote } from '../output/go-quote.js';
import { restorePlans } from './file-plan.js';
import type { Cleaner } from './host-files.js';
import { reach, symlinkLeftover } from './safe-path.js';

export const hashOf = (data: Buffer | undefined): string | undefined => (data === undefined ? undefined : sha256Hex(data));

export async function restoreReplaced(c: Cleaner): Promise<void> {
  const { ctx, view } = c;
  if (view === undefined) return;
  for (const plan of restorePlans(view.histories)) {
    const r = await reach(ctx.host, plan.path);
    if (!r.ok) {
      c.failures++;
      ctx.report.left(symlinkLeftover(r.symlink));
      continue;
    }
    if (plan.action === 'cannot') {
      ctx.report.left({ kind: 'file', item: plan.path, reason: plan.reason });
      continue;
    }
    if (r.info !== undefined && r.info.kind !== 'file') {
      ctx.report.left({ kind: 'file', item: plan.path, reason: `a file was there before tskubeadm, and a ${r.info.kind} is there now: it was not replaced` });
      continue;
    }
    const now = r.info === undefined ? undefined : hashOf(await ctx.host.fs.read(plan.path));
    if (r.info !== undefined && r.info.mode === plan.mode && now === plan.blob) continue;
    // Changed since tskubeadm wrote it: someone's edit, not tskubeadm's file. Kept, as a created file is; the journal
    // (and the earlier content in it) stays, so the user can put that back.
    const written = view.histories.get(plan.path)?.lastWrite;
    if (written !== undefined && now !== undefined && now !== written.sha256 && now !== plan.blob) {
      c.failures++;
      ctx.report.left({
        kind: 'file', item: plan.path, reason: 'tskubeadm replaced it, and it was changed again since, so what it held before tskubeadm was not put back',
        fix: `to put back what it held before tskubeadm: cp ${ctx.host.fs.realPath(`${previousDir}/${plan.blob}`)} ${ctx.host.fs.realPath(plan.path)}`,
      });
      continue;
    }
    const content = await readPrevious(ctx.host, plan.blob);
    if (content === undefined) {
      ctx.report.left({ kind: 'file', item: plan.path, reason: `what it held before tskubeadm is missing from ${previousDir}, so it could not be restored` });
      continue;
    }
    // A dry-run host would put the file into its folder on disk; a reset dry run writes nothing anywhere.
    if (!ctx.dryRun) {
      try {
        await ctx.host.fs.write(plan.path, content, { mode: plan.mode });
      } catch (e) {
        // As a failed removal: reported, and the reset goes on (a throw here would fail every re-run the same way).
        c.failures++;
        const msg = (e as Error).message;
        ctx.out.warn(`[reset] Failed to restore ${goQuote(plan.path)}: ${msg}`);
        ctx.report.left({ kind: 'file', item: plan.path, reason: `what it held before tskubeadm could not be restored: ${msg}` });
        continue;
      }
    }
    ctx.report.did('restored', plan.path);
    ctx.out.info(ctx.dryRun ? `[dryrun] Would restore ${plan.path} as it was before tskubeadm` : `[reset] Restored ${plan.path} as it was before tskubeadm`);
  }
}

