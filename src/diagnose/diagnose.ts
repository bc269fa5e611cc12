// A diagnosis, run before a wait gives up: collect the evidence, name the likely causes, keep the
// evidence in a support file (0600: journals can hold addresses and names) and print a short summary.
import type { Host } from '../host/host.js';
import type { Output } from '../output/output.js';
import { likelyCauses, type LikelyCause } from './causes.js';
import { collectEvidence, type DiagnosisInput } from './collect.js';
import type { Evidence } from './evidence.js';
import { summaryLines, supportFilePath, supportFileText } from './report.js';

export type { DiagnosisInput } from './collect.js';

export interface Diagnosis {
  readonly evidence: Evidence;
  readonly likely: readonly LikelyCause[];
  /** The support file as the host sees it, when it could be written. */
  readonly supportFile?: string;
  /** Where it really is on this machine (--rootfs), for messages. */
  readonly supportFileShown?: string;
}

export async function diagnose(host: Host, out: Output, input: DiagnosisInput, what = 'wait-control-plane'): Promise<Diagnosis> {
  const evidence = await collectEvidence(host, input);
  const likely = likelyCauses(evidence);
  const path = supportFilePath(what, evidence.collectedAt);
  let written = false;
  try {
    await host.fs.write(path, supportFileText(evidence, likely), { mode: 0o600 });
    written = true;
  } catch (err) {
    out.warn(`[${what}] could not write the evidence to ${host.fs.realPath(path)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const shown = written ? host.fs.realPath(path) : undefined;
  for (const line of summaryLines(what, likely, input.criSocket, shown)) out.info(line);
  return { evidence, likely, ...(shown === undefined ? {} : { supportFile: path, supportFileShown: shown }) };
}
