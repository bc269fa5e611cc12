// The run context every reset phase receives.
import type { ResetConfig } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';

export interface ResetContext {
  readonly cfg: ResetConfig;
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  /** Lower-cased check names; may hold "all". */
  readonly ignorePreflightErrors: ReadonlySet<string>;
}
