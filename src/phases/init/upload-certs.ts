// init's upload-certs phase (with --upload-certs): a 2-hour bootstrap token, then the kubeadm-certs Secret owned
// by that token's Secret, holding the control plane's CAs and keys encrypted under the certificate key.
// kubeadm: cmd/phases/init/uploadcerts.go, phases/copycerts.
import { createOrUpdate } from '../../api/apply.js';
import { kubeSystem, refOf } from '../../api/objects.js';
import {
  certsSecretEntries, certsTokenDescription, certsTokenTtlMs, certificateKeyBytes, kubeadmCertsRbac, kubeadmCertsSecret,
  kubeadmCertsSecretName,
} from '../../cluster-objects/certs-secret.js';
import { generateBootstrapToken } from '../../config/token.js';
import { CertificateError, InternalError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { bootstrapTokenSecret } from '../../tokens/token-secret.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

const tag = '[upload-certs]';

export const uploadCerts: Phase<InitContext> = {
  name: 'upload-certs',
  short: `Upload certificates to ${kubeadmCertsSecretName}`,
  long: `With --upload-certs, store the cluster CA, front-proxy CA, service-account key pair and etcd CA (or the external etcd ` +
    `client files) in the ${kubeadmCertsSecretName} Secret in ${kubeSystem}, each encrypted with AES-256-GCM under the certificate ` +
    'key, so other control-plane nodes can join with --certificate-key. The Secret belongs to a bootstrap token that expires ' +
    'after 2 hours, and is deleted with it. Without --upload-certs the phase does nothing.',
  example: '# Upload the certificates again (for instance after the 2 hours) and print the new key.\n' +
    'tskubeadm init phase upload-certs --upload-certs --config kubeadm-config.yaml',
  flags: ['config', 'kubeconfig', 'upload-certs', 'certificate-key', 'skip-certificate-key-print', 'dry-run'],
  run: async (ctx) => {
    if (!ctx.options.uploadCerts) {
      ctx.out.info(`${tag} Skipping phase. Please see --upload-certs`);
      return;
    }
    const keyHex = ctx.cfg.init.certificateKey;
    // The CLI makes a key before the run when none was given, so the closing message can print the same one.
    if (keyHex === '') throw new InternalError('upload-certs ran with --upload-certs but without a certificate key');
    certificateKeyBytes(keyHex); // a malformed key fails before anything is created

    ctx.out.info(`${tag} Storing the certificates in Secret "${kubeadmCertsSecretName}" in the "${kubeSystem}" Namespace`);
    const api = await ctx.api();
    const tokenSecret = bootstrapTokenSecret(
      { token: generateBootstrapToken(), description: certsTokenDescription, ttlMs: certsTokenTtlMs, usages: [], groups: [] },
      ctx.host.clock.now(),
    );
    const created = await createOrUpdate(api, tokenSecret);
    const uid = created.metadata.uid ?? (await api.get(refOf(tokenSecret)))?.metadata.uid ?? (ctx.dryRun ? '' : undefined);
    if (uid === undefined) throw new InternalError(`the API server returned the Secret "${tokenSecret.metadata.name}" without a uid`);

    const files = new Map<string, Uint8Array | undefined>();
    for (const entry of certsSecretEntries(ctx.cfg.cluster)) files.set(entry.name, await readIfPresent(ctx.host, entry.path));
    await createOrUpdate(api, kubeadmCertsSecret(files, keyHex, { name: tokenSecret.metadata.name, uid }));
    for (const obj of kubeadmCertsRbac()) await createOrUpdate(api, obj);

    if (!ctx.options.skipCertificateKeyPrint) {
      ctx.out.info(`${tag} Using certificate key:`);
      ctx.out.info(keyHex);
    }
  },
};

/** The file's bytes; undefined when absent (or no path is configured, e.g. external etcd without TLS). */
async function readIfPresent(host: Host, path: string): Promise<Uint8Array | undefined> {
  if (path === '') return undefined;
  try {
    return await host.fs.read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CertificateError(path, `cannot read ${path} to upload it: ${code ?? (err as Error).message}`, {
      fix: code === 'EACCES' ? 'run tskubeadm as root' : `put the file that belongs at ${path} there, or remove what is in its place`,
      cause: err,
    });
  }
}
