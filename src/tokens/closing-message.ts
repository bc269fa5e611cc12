// The end of `init`: kubeadm's closing message (show-join-command phase), and the same facts as one
// object for `init -o json`. kubeadm: cmd/phases/init/showjoincommand.go.
import { joinCommand } from './join-command.js';
import { encodeJoinString } from './join-string.js';
import { tokenIdOf } from './token-secret.js';

const program = 'tskubeadm';

export interface JoinSummary {
  /** admin.conf as the user can copy it: under --dry-run the copy in the dry-run directory, as kubeadm. */
  readonly adminConfPath: string;
  /** The `export KUBECONFIG=` line's path, where admin.conf lives for real (kubeadm always prints /etc/kubernetes/admin.conf). */
  readonly adminConfExportPath?: string;
  /** Whether the ClusterConfiguration has a controlPlaneEndpoint: only then can more control-plane nodes join. */
  readonly controlPlaneEndpointSet: boolean;
  /** --upload-certs */
  readonly uploadCerts: boolean;
  readonly tokens: readonly string[];
  /** `host:port` from admin.conf. */
  readonly endpoint: string;
  /** `sha256:` pins of the cluster CA. */
  readonly pins: readonly string[];
  /** The key of the kubeadm-certs Secret; '' when certificates were not uploaded. */
  readonly certificateKey: string;
  readonly skipTokenPrint: boolean;
  readonly skipCertificateKeyPrint: boolean;
}

function commandsFor(s: JoinSummary, token: string): { worker: ReturnType<typeof joinCommand>; controlPlane: ReturnType<typeof joinCommand> } {
  const common = {
    endpoint: s.endpoint,
    token,
    caCertHashes: s.pins,
    withheld: { token: s.skipTokenPrint, certificateKey: s.skipCertificateKeyPrint },
    program,
  };
  return {
    worker: joinCommand({ ...common, controlPlane: false }),
    controlPlane: joinCommand({ ...common, controlPlane: true, ...(s.uploadCerts ? { certificateKey: s.certificateKey } : {}) }),
  };
}

/**
 * Exactly what kubeadm writes to stdout at the end of init, with `tskubeadm` for `kubeadm`: for each
 * token, an empty line and the whole message; the control-plane block only when controlPlaneEndpoint is
 * set, in its --upload-certs wording (and the certificate-key notice) or its copy-the-CAs wording.
 */
export function closingMessage(s: JoinSummary): string {
  let out = '';
  for (const token of s.tokens) {
    const { worker, controlPlane } = commandsFor(s, token);
    out += '\n' +
      'Your Kubernetes control-plane has initialized successfully!\n' +
      '\n' +
      'To start using your cluster, you need to run the following as a regular user:\n' +
      '\n' +
      '  mkdir -p $HOME/.kube\n' +
      `  sudo cp -i ${s.adminConfPath} $HOME/.kube/config\n` +
      '  sudo chown $(id -u):$(id -g) $HOME/.kube/config\n' +
      '\n' +
      'Alternatively, if you are the root user, you can run:\n' +
      '\n' +
      `  export KUBECONFIG=${s.adminConfExportPath ?? '/etc/kubernetes/admin.conf'}\n` +
      '\n' +
      'You should now deploy a pod network to the cluster.\n' +
      'Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:\n' +
      '  https://kubernetes.io/docs/concepts/cluster-administration/addons/\n' +
      '\n';
    if (s.controlPlaneEndpointSet && s.uploadCerts) {
      out += 'You can now join any number of the control-plane node running the following command on each as root:\n' +
        '\n' +
        `  ${controlPlane.multiLine}\n` +
        '\n' +
        'Please note that the certificate-key gives access to cluster sensitive data, keep it secret!\n' +
        'As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use\n' +
        `"${program} init phase upload-certs --upload-certs" to reload certs afterward.\n` +
        '\n';
    } else if (s.controlPlaneEndpointSet) {
      out += 'You can now join any number of control-plane nodes by copying certificate authorities\n' +
        'and service account keys on each node and then running the following as root:\n' +
        '\n' +
        `  ${controlPlane.multiLine}\n` +
        '\n';
    }
    out += 'Then you can join any number of worker nodes by running the following on each as root:\n' +
      '\n' +
      `${worker.multiLine}\n`;
  }
  return out;
}

/** One bootstrap token in InitResult. */
export interface InitResultToken {
  /** The public half; always shown. */
  readonly id: string;
  /** Omitted with --skip-token-print. */
  readonly token?: string;
  /** RFC 3339 (UTC); null for a token that never expires. */
  readonly expires: string | null;
  /** `tskubeadm join --join-string` value: endpoint, token and CA pins in one; omitted with the token. */
  readonly joinString?: string;
}

/**
 * `tskubeadm init -o json`: what a script needs to join more nodes, as one object.
 *
 * ```json
 * {
 *     "kind": "InitResult",
 *     "apiVersion": "output.tskubeadm.io/v1alpha1",
 *     "controlPlaneEndpoint": "cp.example.test:6443",      // host:port the join commands use (admin.conf's server)
 *     "adminKubeconfig": "/etc/kubernetes/admin.conf",     // where admin.conf is (the dry-run copy under --dry-run)
 *     "caCertHashes": ["sha256:c15a…"],                    // --discovery-token-ca-cert-hash values
 *     "bootstrapTokens": [                                 // one per InitConfiguration bootstrapTokens entry
 *         {"id": "abcdef", "token": "abcdef.0123456789abcdef", "expires": "2026-11-26T13:15:47Z", "joinString": "tskj1.…"}
 *     ],                                                   // token and joinString omitted with --skip-token-print; expires null = never
 *     "certificateKey": "…",                               // only with --upload-certs; omitted with --skip-certificate-key-print
 *     "certificateKeyExpires": "…",                        // only with --upload-certs: the kubeadm-certs Secret goes 2 h after upload
 *     "joinCommands": {                                    // one-line commands for the first token; null when there is no token
 *         "worker": "tskubeadm join cp.example.test:6443 --token … --discovery-token-ca-cert-hash sha256:… ",
 *         "controlPlane": "tskubeadm join … --control-plane --certificate-key …"  // null without a controlPlaneEndpoint
 *     }
 * }
 * ```
 * Withheld secrets read `<value withheld>` inside joinCommands, as in the text.
 */
export interface InitResult {
  readonly kind: 'InitResult';
  readonly apiVersion: 'output.tskubeadm.io/v1alpha1';
  readonly controlPlaneEndpoint: string;
  readonly adminKubeconfig: string;
  readonly caCertHashes: readonly string[];
  readonly bootstrapTokens: readonly InitResultToken[];
  readonly certificateKey?: string;
  readonly certificateKeyExpires?: string;
  readonly joinCommands: { readonly worker: string; readonly controlPlane: string | null } | null;
}

export interface InitResultTimes {
  /** Each token's expiration (RFC 3339), undefined for one that never expires; same order as `tokens`. */
  readonly tokenExpires: readonly (string | undefined)[];
  /** With --upload-certs: when the kubeadm-certs Secret is deleted. */
  readonly certificateKeyExpires?: string;
}

export function initResult(s: JoinSummary, times: InitResultTimes): InitResult {
  const first = s.tokens[0];
  const commands = first === undefined ? undefined : commandsFor(s, first);
  return {
    kind: 'InitResult',
    apiVersion: 'output.tskubeadm.io/v1alpha1',
    controlPlaneEndpoint: s.endpoint,
    adminKubeconfig: s.adminConfPath,
    caCertHashes: [...s.pins],
    bootstrapTokens: s.tokens.map((t, i) => ({
      id: tokenIdOf(t),
      ...(s.skipTokenPrint ? {} : { token: t }),
      expires: times.tokenExpires[i] ?? null,
      ...(s.skipTokenPrint ? {} : { joinString: encodeJoinString({ endpoint: s.endpoint, token: t, caCertHashes: s.pins }) }),
    })),
    ...(s.uploadCerts && !s.skipCertificateKeyPrint ? { certificateKey: s.certificateKey } : {}),
    ...(s.uploadCerts && times.certificateKeyExpires !== undefined ? { certificateKeyExpires: times.certificateKeyExpires } : {}),
    joinCommands: commands === undefined ? null : {
      // The text layout's trailing space is kubeadm's; a script gets the command without it.
      worker: commands.worker.oneLine.trimEnd(),
      controlPlane: s.controlPlaneEndpointSet ? commands.controlPlane.oneLine.trimEnd() : null,
    },
  };
}
