// `join -o json|yaml`: the JoinResult, from the run's context once the whole workflow has succeeded.
import { publicKeyPin } from '../../pki/ca-hash.js';
import { parseCertificates } from '../../pki/certificate.js';
import type { JoinContext } from '../../phases/join/context.js';
import { joinResult, type JoinResult } from '../../output/results.js';

export async function joinResultOf(ctx: JoinContext, o: { readonly localEtcd?: boolean }): Promise<JoinResult> {
  const { cfg } = ctx;
  const discovered = await ctx.discovery();
  const controlPlane = cfg.join.controlPlane !== undefined;
  return joinResult({
    nodeName: cfg.join.nodeRegistration.name,
    role: controlPlane ? 'control-plane' : 'worker',
    apiServer: discovered.server,
    discovery: cfg.join.discovery.file === undefined ? 'token' : 'file',
    caTrust: discovered.trust,
    caCertHashes: parseCertificates(discovered.caPem).map((c) => publicKeyPin(c)),
    dryRun: ctx.dryRun,
    ...(controlPlane ? { adminKubeconfig: ctx.writtenTo(`${ctx.options.kubeconfigDir}/admin.conf`), localEtcdMember: o.localEtcd === true } : {}),
  });
}
