// init's last phase: the closing message with the join commands (one per bootstrap token), or with
// `-o json` the same facts as one object on stdout. The endpoint and CA pins come from admin.conf as
// written by this run (under --dry-run, the dry-run copy). kubeadm: cmd/phases/init/showjoincommand.go.
import { ApiError } from '../../api/api-error.js';
import type { ApiClient } from '../../api/client.js';
import { kubeSystem } from '../../api/objects.js';
import { certsTokenTtlMs, kubeadmCertsSecretName } from '../../cluster-objects/certs-secret.js';
import { CertificateError } from '../../errors.js';
import { formatResult } from '../../output/result-format.js';
import { closingMessage, initResult, type InitResultTimes, type JoinSummary } from '../../tokens/closing-message.js';
import { joinTargetOf } from '../../tokens/join-command.js';
import { parseTokenSecret } from '../../tokens/token-parse.js';
import { rfc3339 } from '../../config/rfc3339.js';
import { tokenExpiration, tokenIdOf, tokenSecretName } from '../../tokens/token-secret.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

export const showJoinCommand: Phase<InitContext> = {
  name: 'show-join-command',
  short: 'Show the join command for control-plane and worker node',
  long: 'Print how to use the new cluster (copy admin.conf) and the "tskubeadm join" commands for worker nodes and, when the ' +
    'cluster has a controlPlaneEndpoint, for more control-plane nodes, once per bootstrap token. The endpoint and the CA ' +
    'pins come from admin.conf. With -o json or -o yaml, print them as one InitResult object on standard output instead.',
  // As kubeadm: the tokens and the certificate key it prints must have been created in the same run.
  needs: ['bootstrap-token', 'upload-certs'],
  flags: ['config', 'kubeconfig-dir', 'skip-token-print', 'skip-certificate-key-print', 'upload-certs', 'dry-run', 'output'],
  run: async (ctx) => {
    const summary = await joinSummary(ctx);
    if (ctx.options.output !== 'text') {
      const result = initResult(summary, await expirations(ctx));
      ctx.out.print(await formatResult(result, ctx.options.output));
      return;
    }
    for (const line of closingMessage(summary).replace(/\n$/, '').split('\n')) ctx.out.info(line);
  },
};

async function joinSummary(ctx: InitContext): Promise<JoinSummary> {
  const path = `${ctx.options.kubeconfigDir}/admin.conf`;
  const text = await ctx.host.fs.readText(path);
  if (text === undefined) {
    throw new CertificateError(path, `failed to print the join command: ${ctx.writtenTo(path)} does not exist`, {
      fix: 'run the kubeconfig phase first (tskubeadm init phase kubeconfig admin), or pass the --kubeconfig-dir it wrote to',
    });
  }
  const target = await joinTargetOf(text, path, (p) => ctx.host.fs.readText(p));
  return {
    adminConfPath: ctx.writtenTo(path),
    adminConfExportPath: path,
    controlPlaneEndpointSet: ctx.cfg.cluster.controlPlaneEndpoint !== '',
    uploadCerts: ctx.options.uploadCerts,
    tokens: ctx.cfg.init.bootstrapTokens.map((t) => t.token),
    endpoint: target.endpoint,
    pins: target.caCertHashes,
    certificateKey: ctx.cfg.init.certificateKey,
    skipTokenPrint: ctx.options.skipTokenPrint,
    skipCertificateKeyPrint: ctx.options.skipCertificateKeyPrint,
  };
}

/**
 * When the tokens and the uploaded certificates expire, as the Secrets the earlier phases created say
 * (read back: those phases took their own `now`). Under --dry-run nothing was created, so they are
 * computed from now, as are any the API cannot give.
 */
async function expirations(ctx: InitContext): Promise<InitResultTimes> {
  const now = ctx.host.clock.now();
  const tokens = ctx.cfg.init.bootstrapTokens;
  const estimated = {
    tokenExpires: tokens.map((t) => tokenExpiration(t, now)),
    ...(ctx.options.uploadCerts ? { certificateKeyExpires: rfc3339(new Date(now.getTime() + certsTokenTtlMs)) } : {}),
  };
  if (ctx.dryRun) return estimated;
  const api = await ctx.api();
  const tokenExpires = await Promise.all(tokens.map(async (t, i) => {
    const stored = await storedExpiration(api, tokenSecretName(tokenIdOf(t.token)));
    return stored === null ? estimated.tokenExpires[i] : stored;
  }));
  if (!ctx.options.uploadCerts) return { tokenExpires };
  // kubeadm-certs is owned by a short-lived token: its expiry is the certificates'.
  const certs = await optional(() => api.get({ kind: 'Secret', name: kubeadmCertsSecretName, namespace: kubeSystem }));
  const owner = certs?.metadata.ownerReferences?.find((r) => r.kind === 'Secret')?.name;
  const stored = owner === undefined ? null : await storedExpiration(api, owner);
  return { tokenExpires, certificateKeyExpires: stored ?? estimated.certificateKeyExpires };
}

/** A token Secret's expiration: RFC 3339, undefined for never, null when it cannot be read. */
async function storedExpiration(api: ApiClient, name: string): Promise<string | undefined | null> {
  const secret = await optional(() => api.get({ kind: 'Secret', name, namespace: kubeSystem }));
  if (secret === undefined) return null;
  const parsed = parseTokenSecret(secret);
  if (!('token' in parsed)) return null;
  return parsed.token.expires === undefined ? undefined : rfc3339(parsed.token.expires);
}

/** The answer, or undefined when the API refuses: the closing output must not fail init for a detail. */
async function optional<T>(get: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (err instanceof ApiError) return undefined;
    throw err;
  }
}
