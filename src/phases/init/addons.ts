// init's addon phase: CoreDNS then kube-proxy, each created or updated through the API as kubeadm
// does (cmd/phases/init/addons.go, phases/addons/dns/dns.go, phases/addons/proxy/proxy.go). A
// disabled addon (dns.disabled / proxy.disabled, or its phase skipped) is left out.
import { isAlreadyExists, isNotFound, ApiError } from '../../api/api-error.js';
import { createOrRetain, createOrUpdate } from '../../api/apply.js';
import type { ApiClient } from '../../api/client.js';
import { kubeSystem, refOf, type KubeObject } from '../../api/objects.js';
import {
  coreDnsClusterRole, coreDnsClusterRoleBinding, coreDnsConfigMap, coreDnsDeployment, coreDnsName, coreDnsServiceAccount,
  deployedDnsVersion, dnsAddonSelector, existingReplicas, isKubeadmCorefile, kubeDnsService,
} from '../../addons/coredns.js';
import { kubeProxyConfigMap, kubeProxyDaemonSet, kubeProxyRbac, kubeProxyServiceAccount } from '../../addons/kube-proxy.js';
import { dnsImage } from '../../config/images.js';
import { exitCodes, TskubeadmError } from '../../errors.js';
import type { Phase } from '../../workflow/phase.js';
import type { InitContext } from './context.js';

const tag = '[addons]';
const common = ['config', 'kubeconfig', 'kubernetes-version', 'image-repository', 'dry-run'];

const coredns: Phase<InitContext> = {
  name: 'coredns',
  short: 'Install the CoreDNS addon to a Kubernetes cluster',
  long: 'Install the CoreDNS addon components via the API server. Although the DNS server is deployed, it is not ' +
    'scheduled until a pod network (CNI) is installed. A Corefile that kubeadm did not write is kept as it is, and an ' +
    'existing Deployment keeps its replica count.',
  flags: [...common, 'feature-gates', 'service-dns-domain', 'service-cidr', 'patches'],
  runIf: (ctx) => !ctx.cfg.cluster.dns.disabled,
  run: async (ctx) => {
    await ensureCoreDns(ctx, await ctx.api());
    ctx.out.info(`${tag} Applied essential addon: CoreDNS`);
  },
};

const kubeProxy: Phase<InitContext> = {
  name: 'kube-proxy',
  short: 'Install the kube-proxy addon to a Kubernetes cluster',
  long: 'Install the kube-proxy addon components via the API server: its ConfigMap (the KubeProxyConfiguration and a ' +
    'kubeconfig for the control-plane endpoint), DaemonSet, ServiceAccount and RBAC rules.',
  flags: [...common, 'apiserver-advertise-address', 'control-plane-endpoint', 'apiserver-bind-port', 'pod-network-cidr'],
  runIf: (ctx) => !ctx.cfg.cluster.proxy.disabled,
  run: async (ctx) => {
    const api = await ctx.api();
    const cfg = ctx.cfg;
    const objects = [
      kubeProxyConfigMap({ cluster: cfg.cluster, given: cfg.kubeProxy, localAPIEndpoint: cfg.init.localAPIEndpoint }),
      kubeProxyDaemonSet(cfg.cluster),
      kubeProxyServiceAccount(),
      ...kubeProxyRbac(),
    ];
    for (const obj of objects) await createOrUpdate(api, obj);
    ctx.out.info(`${tag} Applied essential addon: kube-proxy`);
  },
};

export const addon: Phase<InitContext> = {
  name: 'addon',
  short: 'Install required addons for passing conformance tests',
  long: 'This command is not meant to be run on its own. See list of available subcommands.',
  phases: [
    { name: 'all', short: 'Install all the addons', selectsParent: true },
    coredns,
    kubeProxy,
  ],
};

async function ensureCoreDns(ctx: InitContext, api: ApiClient): Promise<void> {
  const cluster = ctx.cfg.cluster;
  const deployments = await api.list('Deployment', kubeSystem, { labelSelector: dnsAddonSelector });
  const replicas = existingReplicas(deployments);
  await ensureCorefile(ctx, api, deployments);
  for (const obj of [coreDnsClusterRole(), coreDnsClusterRoleBinding(), coreDnsServiceAccount()]) await createOrUpdate(api, obj);
  const patched = (await ctx.patches()).apply('corednsdeployment', coreDnsDeployment(cluster, replicas)) as unknown as KubeObject;
  await createOrUpdate(api, patched);
  await ensureDnsService(api, kubeDnsService(cluster));
}

/**
 * kubeadm's rule: no Corefile yet, or one kubeadm wrote, gets the current default; any other Corefile is
 * the user's and is kept. kubeadm would first try to migrate an edited Corefile across CoreDNS versions
 * (corefile-migration); tskubeadm keeps it unchanged and says so.
 */
async function ensureCorefile(ctx: InitContext, api: ApiClient, deployments: readonly KubeObject[]): Promise<void> {
  const cm = coreDnsConfigMap(ctx.cfg.cluster);
  const existing = await api.get({ kind: 'ConfigMap', name: coreDnsName, namespace: kubeSystem });
  if (existing === undefined) {
    await createOrUpdate(api, cm);
    return;
  }
  const current = (existing['data'] as Record<string, unknown> | undefined)?.['Corefile'];
  if (typeof current !== 'string') {
    throw new TskubeadmError(`the ConfigMap ${kubeSystem}/${coreDnsName} has no Corefile`, {
      exitCode: exitCodes.api,
      fix: `add the Corefile key to it, or delete it (kubectl -n ${kubeSystem} delete configmap ${coreDnsName}) to get kubeadm's default`,
    });
  }
  if (current === '' || isKubeadmCorefile(current, ctx.cfg.cluster.networking.dnsDomain)) {
    await createOrUpdate(api, cm);
    return;
  }
  await createOrRetain(api, cm);
  // The version comes from the Deployment already listed (kubeadm lists it a second time).
  const installed = deployedDnsVersion(deployments[0]);
  const target = dnsImage(ctx.cfg.cluster).split(':').pop() ?? '';
  if (installed !== '' && installed.replace(/^v/, '') !== target.replace(/^v/, '')) {
    ctx.out.warn(`W: the CoreDNS Corefile in ${kubeSystem}/${coreDnsName} was edited and is kept as it is while CoreDNS moves from ${installed} to ${target}; check it against the CoreDNS ${target} release notes`);
  }
}

/** kubeadm creates the Service and updates it on AlreadyExists or Invalid ("provided IP is already allocated"). */
async function ensureDnsService(api: ApiClient, svc: KubeObject): Promise<void> {
  try {
    await api.create(svc);
    return;
  } catch (err) {
    if (!isAlreadyExists(err) && !(err instanceof ApiError && err.reason === 'Invalid')) throw err;
  }
  // kubeadm sends the template's resourceVersion "0" (no precondition); the current one says the same
  // to every API server and test double.
  const current = await api.get(refOf(svc));
  const resourceVersion = current?.metadata.resourceVersion;
  try {
    await api.update({ ...svc, metadata: { ...svc.metadata, ...(resourceVersion === undefined ? {} : { resourceVersion }) } });
  } catch (err) {
    if (isNotFound(err)) {
      throw new ApiError(err.status, err.reason, `unable to create/update the DNS service: the address ${String((svc['spec'] as Record<string, unknown>)['clusterIP'])} is taken by another Service`, {
        fix: `find it with "kubectl get services -A -o wide" and delete it, or choose another service subnet`,
        cause: err,
      });
    }
    throw err;
  }
}
