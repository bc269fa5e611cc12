// join --control-plane's download-certs: the kubeadm-certs Secret (uploaded by `init --upload-certs` or
// `init phase upload-certs`), read with the bootstrap token, decrypted with the certificate key and saved
// where this cluster keeps its CAs: private keys 0600, certificates and sa.pub 0644, as kubeadm.
// Unlike kubeadm, which overwrites whatever is there, a file already on disk with other contents stops the
// phase before anything is written: it is another cluster's CA or key, and overwriting it cannot be undone.
// kubeadm: cmd/phases/join/controlplaneprepare.go, phases/copycerts/copycerts.go (DownloadCerts).
import { createPublicKey } from 'node:crypto';
import { ApiError, isForbidden } from '../../api/api-error.js';
import type { ApiClient } from '../../api/client.js';
import { kubeSystem, type KubeObject } from '../../api/objects.js';
import {
  certificateKeyBytes, certsSecretEntries, decryptCertsSecret, kubeadmCertsSecretName, type CertsSecretEntry,
} from '../../cluster-objects/certs-secret.js';
import type { ClusterConfiguration } from '../../config/types.js';
import { CertificateError, ConfigError } from '../../errors.js';
import type { FileWrite, Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';
import { parsePrivateKey } from '../../pki/keys.js';
import { certificateMode, privateKeyMode } from '../../pki-files/pki-files.js';
import { defaultNodeTokenGroup } from '../../tokens/token-secret.js';
import type { JoinContext } from './context.js';

const tag = '[download-certs]';
const reupload = 'run `tskubeadm init phase upload-certs --upload-certs` on a control-plane node and join with the key it prints ' +
  '(the Secret and that key are deleted after 2 hours)';

/** The phase's work: nothing for a worker or without --certificate-key (the CAs must then be on disk already). */
export async function downloadCerts(ctx: JoinContext): Promise<void> {
  const keyHex = ctx.cfg.join.controlPlane?.certificateKey ?? '';
  if (keyHex === '') return;
  certificateKeyBytes(keyHex); // a malformed key fails before any request
  const cfg = await ctx.cluster();
  await saveCertsSecret({
    host: ctx.host, out: ctx.out, api: await ctx.bootstrapApi(), cluster: cfg.cluster, keyHex, writtenTo: ctx.writtenTo,
  });
}

export interface SaveCertsSecretRun {
  readonly host: Host;
  readonly out: Output;
  readonly api: ApiClient;
  readonly cluster: Pick<ClusterConfiguration, 'certificatesDir' | 'etcd'>;
  readonly keyHex: string;
  readonly writtenTo: (path: string) => string;
}

/** Reads, decrypts and writes the Secret's files; writes nothing unless every entry is usable. */
export async function saveCertsSecret(run: SaveCertsSecretRun): Promise<void> {
  run.out.info(`${tag} Downloading the certificates in Secret "${kubeadmCertsSecretName}" in the "${kubeSystem}" Namespace`);
  const secret = await readSecret(run.api);
  const files = decryptCertsSecret(secret, run.keyHex);
  const writes: FileWrite[] = [];
  for (const entry of certsSecretEntries(run.cluster)) {
    const data = files.get(entry.name);
    if (data === undefined) {
      throw new ConfigError(`the ${kubeSystem}/${kubeadmCertsSecretName} Secret does not include "${entry.name}" (for ${entry.path})`, {
        fix: `the Secret was uploaded for another etcd setup or by another tool: ${reupload}`,
      });
    }
    // Absent on the uploading node (an external etcd without TLS): nothing to save, as kubeadm.
    if (data.length === 0) continue;
    writes.push({ path: entry.path, data, mode: modeFor(entry, data) });
  }
  await refuseOtherFiles(run.host, writes);
  run.out.info(`${tag} Saving the certificates to the folder: "${run.writtenTo(run.cluster.certificatesDir)}"`);
  // Keys first: an interrupted write never leaves a certificate without its key.
  const ordered = [...writes.filter((w) => w.mode === privateKeyMode), ...writes.filter((w) => w.mode !== privateKeyMode)];
  const changed = [];
  for (const w of ordered) if (!(await sameContents(run.host, w))) changed.push(w);
  if (changed.length > 0) await run.host.fs.writeAll(changed);
}

async function readSecret(api: ApiClient): Promise<KubeObject> {
  const ref = { kind: 'Secret', name: kubeadmCertsSecretName, namespace: kubeSystem };
  try {
    const secret = await api.get(ref);
    if (secret !== undefined) return secret;
  } catch (err) {
    // upload-certs makes the Role that lets bootstrap tokens read the Secret: without it the answer is 403.
    if (isForbidden(err)) {
      throw new ApiError(403, 'Forbidden', `the bootstrap token may not read the Secret "${kubeadmCertsSecretName}" in the "${kubeSystem}" ` +
        `Namespace: the certificates were never uploaded, or the token is not in the group ${defaultNodeTokenGroup}`, { fix: reupload, cause: err });
    }
    throw err;
  }
  throw new ApiError(404, 'NotFound', `Secret "${kubeadmCertsSecretName}" was not found in the "${kubeSystem}" Namespace: it expired ` +
    '(it lives 2 hours) or the certificates were never uploaded', { fix: reupload });
}

/** kubeadm's writeCertOrKey: a private key is written as a key, a certificate or public key as a certificate. */
function modeFor(entry: CertsSecretEntry, data: Buffer): number {
  try {
    parsePrivateKey(data);
    return privateKeyMode;
  } catch {
    // not a private key: a certificate or public key below
  }
  try {
    createPublicKey(data); // PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE
    return certificateMode;
  } catch {
    throw new ConfigError(`the entry "${entry.name}" of the ${kubeSystem}/${kubeadmCertsSecretName} Secret is neither a private key, a public key nor a certificate`, {
      fix: `the Secret was not written by upload-certs: ${reupload}`,
    });
  }
}

async function sameContents(host: Host, w: FileWrite): Promise<boolean> {
  const existing = await host.fs.read(w.path);
  return existing !== undefined && existing.equals(Buffer.from(w.data));
}

/** Every file already there must hold exactly what the Secret holds; any other is listed and nothing is written. */
async function refuseOtherFiles(host: Host, writes: readonly FileWrite[]): Promise<void> {
  const others: string[] = [];
  for (const w of writes) {
    if ((await host.fs.stat(w.path)) !== undefined && !(await sameContents(host, w))) others.push(w.path);
  }
  const first = others[0];
  if (first === undefined) return;
  throw new CertificateError(first, `${others.join(', ')} already ${others.length === 1 ? 'exists' : 'exist'} with contents other than the ` +
    `cluster's (in the ${kubeadmCertsSecretName} Secret): this node holds another cluster's certificates`, {
    fix: 'run "tskubeadm reset" on this node (or move those files away), then join again',
  });
}
