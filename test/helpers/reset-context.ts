// A ResetContext for running reset phases directly in tests. The lazies a test does not give answer
// "nothing there" (no journal, no cluster configuration) or reject with a clear message (the API).
import type { ApiClient } from '../../src/api/client.js';
import { ResetReport } from '../../src/cleanup/reset-report.js';
import { defaultResetConfig } from '../../src/config/default-configs.js';
import type { ClusterConfiguration, ResetConfig } from '../../src/config/types.js';
import type { Host } from '../../src/host/host.js';
import type { HostJournal } from '../../src/journal/journal.js';
import { captureOutput, type Output } from '../../src/output/output.js';
import type { ResetContext, ResetOptions } from '../../src/phases/reset/context.js';

export interface ResetContextOverrides {
  host: Host;
  cfg?: ResetConfig;
  out?: Output;
  dryRun?: boolean;
  ignore?: readonly string[];
  options?: Partial<ResetOptions>;
  journal?: HostJournal;
  cluster?: ClusterConfiguration;
  api?: ApiClient | (() => Promise<ApiClient>);
}

export function resetContext(o: ResetContextOverrides): ResetContext {
  const api = o.api;
  return {
    cfg: o.cfg ?? defaultResetConfig(),
    host: o.host,
    out: o.out ?? captureOutput(),
    dryRun: o.dryRun ?? false,
    ignorePreflightErrors: new Set(o.ignore ?? []),
    options: { kubeconfigDir: '/etc/kubernetes', kubeconfigPath: '/etc/kubernetes/admin.conf', ...o.options },
    journal: () => Promise.resolve(o.journal),
    cluster: () => Promise.resolve(o.cluster),
    api: api === undefined
      ? () => Promise.reject(new Error('this test gave the reset context no API client'))
      : typeof api === 'function' ? api : () => Promise.resolve(api),
    report: new ResetReport(o.dryRun ?? false),
  };
}
