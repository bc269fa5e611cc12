// The real kubectl as the reader of the kubeconfig files tskubeadm writes: if kubectl reads a
// file the way we meant it, so will every client built on client-go.
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';

/** For a test's `skip` option: false when kubectl runs, else why the test is skipped. */
export const kubectlMissing: string | false =
  spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0 ? false : 'kubectl is not on PATH';

/** `kubectl config view --raw -o json` of one file (only the fields the tests read). */
export interface KubectlView {
  readonly clusters: readonly { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  readonly users: readonly { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }[];
  readonly contexts: readonly { name: string; context: { cluster: string; user: string } }[];
  readonly 'current-context': string;
}

export function kubectlView(file: string): KubectlView {
  // KUBECONFIG would be merged in otherwise; an empty HOME keeps ~/.kube out of it too.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent' };
  // `config view` never talks to the server, but some kubectl builds (gcloud's version dispatcher) first ask
  // it for its version; a 1ms request timeout stops that from waiting seconds on an unreachable address.
  const args = ['config', 'view', '--kubeconfig', file, '--raw', '-o', 'json', '--request-timeout=1ms'];
  return JSON.parse(execFileSync('kubectl', args, { encoding: 'utf8', env })) as KubectlView;
}

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString();

/** The CA PEM, client certificate and client key PEM kubectl found in a single-user file. */
export function embedded(view: KubectlView): { caPem: string; cert: X509Certificate | undefined; certPem: string; keyPem: string } {
  const certPem = decode(view.users[0]?.user['client-certificate-data']);
  return {
    caPem: decode(view.clusters[0]?.cluster['certificate-authority-data']),
    cert: certPem === '' ? undefined : new X509Certificate(certPem),
    certPem,
    keyPem: decode(view.users[0]?.user['client-key-data']),
  };
}
