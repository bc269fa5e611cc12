// The run context every init phase receives: small, typed and frozen.
import type { ApiClient } from '../../api/client.js';
import type { InitConfig } from '../../config/types.js';
import type { Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';
import type { KeyPool } from '../../pki/key-pool.js';
import type { LoadedCAs } from '../../pki-files/ensure-certs.js';
import type { PatchSet } from '../../patches/patch-set.js';

export interface InitOptions {
  /** --upload-certs */
  readonly uploadCerts: boolean;
  readonly skipTokenPrint: boolean;
  readonly skipCertificateKeyPrint: boolean;
  /** --kubeconfig-dir (default /etc/kubernetes) */
  readonly kubeconfigDir: string;
  /** --kubeconfig (default /etc/kubernetes/admin.conf) */
  readonly kubeconfigPath: string;
  /** -o/--output: `text` prints kubeadm's closing message; `json` prints only the result object on stdout. */
  readonly output: 'text' | 'json';
}

export interface InitContext {
  readonly cfg: InitConfig;
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
  /** Lower-cased check names from --ignore-preflight-errors and nodeRegistration.ignorePreflightErrors; may hold "all". */
  readonly ignorePreflightErrors: ReadonlySet<string>;
  readonly options: InitOptions;
  /** Paths of the phases this invocation runs, so a phase can prepare work for later ones (key generation). */
  readonly selected: ReadonlySet<string>;
  /** Private keys for this run, generated concurrently ahead of use. */
  readonly keys: KeyPool;
  /** CAs read and checked so far in this run (each signs many certificates). */
  readonly loadedCAs: LoadedCAs;
  /** When the run started: the one creation time of every certificate it makes. */
  readonly startedAt: Date;
  /** Where a path the run writes really goes, for messages: itself, or its place in the --dry-run folder. */
  readonly writtenTo: (path: string) => string;
  /** The --patches / patches.directory files, read on first use (only the phases that patch something ask). */
  readonly patches: () => Promise<PatchSet>;
  /**
   * The cluster's API, connected on first use: through admin.conf (--kubeconfig), after making sure the
   * kubeadm:cluster-admins binding exists (with super-admin.conf when admin.conf cannot yet); under
   * --dry-run a client that prints each request and sends none.
   */
  readonly api: () => Promise<ApiClient>;
}
