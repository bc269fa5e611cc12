// The run context every join phase receives.
import type { JoinConfig } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';

export interface JoinContext {
  readonly cfg: JoinConfig;
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  /** Lower-cased check names; may hold "all". */
  readonly ignorePreflightErrors: ReadonlySet<string>;
}
