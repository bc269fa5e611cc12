// An InitContext for running init phases directly in tests.
import type { ApiClient } from '../../src/api/client.js';
import type { InitConfig } from '../../src/config/types.js';
import type { Host } from '../../src/host/host.js';
import type { Output } from '../../src/output/output.js';
import type { InitContext, InitOptions } from '../../src/phases/init/context.js';
import { createKeyPool } from '../../src/pki/key-pool.js';
import { noPatches, type PatchSet } from '../../src/patches/patch-set.js';

export function initContext(cfg: InitConfig, host: Host, out: Output, opts: {
  dryRun?: boolean;
  ignore?: readonly string[];
  selected?: readonly string[];
  options?: Partial<InitOptions>;
  patches?: PatchSet;
  api?: ApiClient;
} = {}): InitContext {
  return {
    cfg,
    host,
    out,
    dryRun: opts.dryRun ?? false,
    ignorePreflightErrors: new Set(opts.ignore ?? []),
    options: {
      uploadCerts: false, skipTokenPrint: false, skipCertificateKeyPrint: false,
      kubeconfigDir: '/etc/kubernetes', kubeconfigPath: '/etc/kubernetes/admin.conf', output: 'text',
      ...opts.options,
    },
    selected: new Set(opts.selected ?? []),
    keys: createKeyPool(cfg.cluster.encryptionAlgorithm),
    loadedCAs: new Map(),
    startedAt: host.clock.now(),
    writtenTo: (p) => p,
    patches: () => Promise.resolve(opts.patches ?? noPatches),
    api: () => (opts.api === undefined ? Promise.reject(new Error('this test gave the context no API client')) : Promise.resolve(opts.api)),
  };
}
