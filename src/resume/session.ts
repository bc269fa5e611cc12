// The start of a resumable run: read what an earlier run on this host recorded, stop when it was another setup,
// and hand the command the values that run generated. runJournaled (src/cli/workflow-run.ts) reads it again under
// the host lock and tracks the phases (tracker.ts).
import type { Host } from '../host/host.js';
import { firstDifference, identityHash, ResumeConflictError, type Identity } from './identity.js';
import { loadProgress, progressPath, type GeneratedValues, type Progress, type ResumableCommand } from './progress.js';

export interface ResumeStart {
  readonly command: ResumableCommand;
  readonly identity: Identity;
  /** The record of an earlier run with this identity; undefined on a first run (or a damaged record). */
  readonly earlier: Progress | undefined;
}

/** What runJournaled needs to track a resumable run: the start, and the generated values this run uses. */
export interface ResumeRun extends ResumeStart {
  readonly generated: GeneratedValues;
}

/** Throws ResumeConflictError when the record belongs to another identity or command. */
export function checkIdentity(host: Host, progress: Progress, command: ResumableCommand, identity: Identity): void {
  if (progress.command === command && progress.identityHash === identityHash(identity)) return;
  const d = progress.command !== command
    ? { field: 'command', recorded: progress.command, current: command }
    : firstDifference(progress.identity, identity) ?? { field: 'identity', recorded: progress.identityHash, current: identityHash(identity) };
  throw new ResumeConflictError({ command, recordedCommand: progress.command, ...d, file: host.fs.realPath(progressPath) });
}

/** Reads and checks the earlier run's record (warning once and starting fresh when it is damaged). */
export async function startResume(host: Host, warn: (line: string) => void, command: ResumableCommand, identity: Identity): Promise<ResumeStart> {
  const earlier = await loadProgress(host, warn);
  if (earlier !== undefined) checkIdentity(host, earlier, command, identity);
  return { command, identity, earlier };
}
