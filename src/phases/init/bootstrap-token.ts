// init's bootstrap-token phase: the bootstrap token Secrets, the RBAC that lets token holders join
// (get nodes, post CSRs, have them approved; nodes renew their certificates), and the public
// kube-public/cluster-info ConfigMap with its anonymous-read Role. kubeadm: cmd/phases/init/bootstraptoken.go,
// phases/bootstraptoken/node/{token,tlsbootstrap}.go, phases/bootstraptoken/clusterinfo/clusterinfo.go.
import { createOrUpdate } from '../../api/apply.js';
import type { ApiClient } from '../../api/client.js';
import { kubePublic, refOf } from '../../api/objects.js';
import { clusterInfoRbac, nodeBootstrapRbac } from '../../cluster-objects/bootstrap-rbac.js';
import { adminCluster, clusterInfoConfigMap, clusterInfoKubeconfig, signedClusterInfo } from '../../cluster-objects/cluster-info.js';
import { toGoYaml } from '../../config/encode.js';
import { CertificateError } from '../../errors.js';
import { clusterCaPem } from '../../tokens/join-command.js';
import { bootstrapTokenSecret, tokenExpiration } from '../../tokens/token-secret.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

const tag = '[bootstrap-token]';

export const bootstrapToken: Phase<InitContext> = {
  name: 'bootstrap-token',
  aliases: ['bootstraptoken'],
  short: 'Generates bootstrap tokens used to join a node to a cluster',
  long: 'Bootstrap tokens let a joining node and the control plane trust each other. This phase stores the tokens of the ' +
    'configuration as Secrets in kube-system, creates the RBAC rules that let their holders join (read Nodes, post ' +
    'certificate signing requests and have them approved automatically) and let nodes renew their client certificates, ' +
    'and publishes the kube-public/cluster-info ConfigMap (the cluster CA and API server address) for anonymous reading. ' +
    'Re-running it updates what exists.',
  example: '# Make all the bootstrap token configurations and create an initial token, as "tskubeadm init" does.\n' +
    'tskubeadm init phase bootstrap-token --config kubeadm-config.yaml',
  flags: ['config', 'kubeconfig', 'skip-token-print', 'dry-run'],
  run: async (ctx) => {
    const api = await ctx.api();
    const tokens = ctx.cfg.init.bootstrapTokens;
    if (!ctx.options.skipTokenPrint) {
      // kubeadm prints one token plainly, several as Go's %v of a list.
      if (tokens.length === 1) ctx.out.info(`${tag} Using token: ${tokens[0]!.token}`);
      else if (tokens.length > 1) ctx.out.info(`${tag} Using tokens: [${tokens.map((t) => t.token).join(' ')}]`);
    }
    ctx.out.info(`${tag} Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles`);
    await storeTokens(ctx, api);
    for (const step of nodeBootstrapRbac()) {
      ctx.out.info(`${tag} ${step.message}`);
      for (const obj of step.objects) await createOrUpdate(api, obj);
    }
    await publishClusterInfo(ctx, api);
    for (const obj of clusterInfoRbac()) await createOrUpdate(api, obj);
  },
};

/** kubeadm's UpdateOrCreateTokens without failIfExists: a GET (it would refuse an existing token only for
 *  `token create`), then create-or-update. The expiry counts from now, not from the start of the run. */
async function storeTokens(ctx: InitContext, api: ApiClient): Promise<void> {
  for (const t of ctx.cfg.init.bootstrapTokens) {
    const secret = bootstrapTokenSecret(t, ctx.host.clock.now());
    await api.get(refOf(secret));
    await createOrUpdate(api, secret);
  }
}

/** kubeadm reads the --kubeconfig file (admin.conf; under --dry-run the one this run wrote). */
function adminKubeconfigPath(ctx: InitContext): string {
  return ctx.dryRun ? `${ctx.options.kubeconfigDir.replace(/\/+$/, '')}/admin.conf` : ctx.options.kubeconfigPath;
}

async function publishClusterInfo(ctx: InitContext, api: ApiClient): Promise<void> {
  ctx.out.info(`${tag} Creating the "cluster-info" ConfigMap in the "${kubePublic}" namespace`);
  const path = adminKubeconfigPath(ctx);
  const text = await ctx.host.fs.readText(path);
  if (text === undefined) {
    throw new CertificateError(path, `failed to load admin kubeconfig: ${path} does not exist`, {
      fix: 'run "tskubeadm init phase kubeconfig admin" first, or point --kubeconfig at the admin kubeconfig',
    });
  }
  // A CA referenced by path is embedded: joining nodes cannot read files on this machine.
  const cluster = adminCluster(text, path);
  const caPem = await clusterCaPem(cluster, path, (p) => ctx.host.fs.readText(p));
  const cm = clusterInfoConfigMap(clusterInfoKubeconfig(text, { path, ...(caPem === undefined ? {} : { caPem }) }));
  await createOrUpdate(api, cm);
  if (ctx.dryRun) {
    // Nothing will sign it in a dry run; show what join discovery would later find there.
    const now = ctx.host.clock.now();
    const signing = ctx.cfg.init.bootstrapTokens.map((t) => {
      const expiration = tokenExpiration(t, now);
      return { token: t.token, usages: t.usages, ...(expiration === undefined ? {} : { expiration }) };
    });
    ctx.out.info("[dryrun] cluster-info as kube-controller-manager's bootstrapsigner will sign it:");
    ctx.out.info(toGoYaml(signedClusterInfo(cm, signing, now)));
  }
}
