// The run context every init phase receives: small, typed and frozen.
import type { ApiClient } from '../../api/client.js';
import type { InitConfig } from '../../config/types.js';
import type { NodeRun } from '../node-run.js';

export interface InitOptions {
  /** --upload-certs */
  readonly uploadCerts: boolean;
  readonly skipTokenPrint: boolean;
  readonly skipCertificateKeyPrint: boolean;
  /** --kubeconfig-dir (default /etc/kubernetes) */
  readonly kubeconfigDir: string;
  /** --kubeconfig (default /etc/kubernetes/admin.conf) */
  readonly kubeconfigPath: string;
  /** -o/--output: `text` prints kubeadm's closing message; `json` / `yaml` print only the InitResult on stdout. */
  readonly output: 'text' | 'json' | 'yaml';
}

export interface InitContext extends NodeRun {
  readonly cfg: InitConfig;
  readonly options: InitOptions;
  /**
   * The cluster's API, connected on first use: through admin.conf (--kubeconfig), after making sure the
   * kubeadm:cluster-admins binding exists (with super-admin.conf when admin.conf cannot yet); under
   * --dry-run a client that prints each request and sends none.
   */
  readonly api: () => Promise<ApiClient>;
}
