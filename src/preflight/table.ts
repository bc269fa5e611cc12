// Every preflight check, in kubeadm's order. One table serves all lists: a row names the
// lists (sets) it belongs to, and each list keeps the table's order, which reproduces
// kubeadm's InitNodeChecks, JoinNodeChecks (with addCommonChecks in the middle of both),
// RunRootCheckOnly and RunPullImagesCheck. kubeadm: preflight/checks.go, checks_linux.go.
import { InternalError } from '../errors.js';
import {
  pathCheckName, type CheckContext, type CheckSet, type CheckSpec, type ControlPlaneTarget, type PreflightTarget,
} from './check.js';
import {
  bootstrapKubeletKubeconfig, bridgeNfCallIp6tables, bridgeNfCallIptables, ipv4Forward, ipv6DefaultForwarding,
  kubeletKubeconfig, manifestsDir, ports,
} from './constants.js';
import { externalEtcdVersion } from './checks/etcd.js';
import { executables, inPath } from './checks/executables.js';
import { dirAvailable, fileAvailable, fileExisting, sysctlIsOne } from './checks/files.js';
import { kubeletVersion, serviceEnabled } from './checks/kubelet.js';
import { firewalld, hostname, httpProxy, httpProxyCIDR } from './checks/network.js';
import { legacyPortFree, portFree } from './checks/ports.js';
import { criReady, imagePull } from './checks/runtime.js';
import { systemVerification } from './checks/system-verification.js';
import { isPrivilegedUser, kubernetesVersion, mem, numCPU, swap } from './checks/system.js';

const controlPlaneSets = ['init', 'control-plane-join'] as const satisfies readonly CheckSet[];
const nodeSets = ['init', 'join'] as const satisfies readonly CheckSet[];

function cp(t: PreflightTarget): ControlPlaneTarget {
  if (t.controlPlane === undefined) throw new InternalError('a control-plane preflight check ran without a control-plane target');
  return t.controlPlane;
}
const cpOf = (ctx: CheckContext): ControlPlaneTarget => cp(ctx.target);

const resetFirst = 'this node was set up before: run tskubeadm reset first (or remove the file)';

const manifestRows = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((component): CheckSpec => {
  const path = `${manifestsDir}/${component}.yaml`;
  return {
    name: pathCheckName('FileAvailable', path),
    sets: controlPlaneSets,
    run: fileAvailable(() => path, 'a control plane was set up here before: run tskubeadm reset first (or remove the file)'),
  };
});

/** kubeadm adds one HTTPProxyCIDR check per comma-separated entry; validation allows two per list (dual stack). */
const proxyCIDRRows = (['serviceSubnets', 'podSubnets'] as const).flatMap((list) =>
  [0, 1].map((i): CheckSpec => ({
    name: 'HTTPProxyCIDR',
    sets: controlPlaneSets,
    when: (t) => cp(t)[list].length > i,
    run: httpProxyCIDR((ctx) => cpOf(ctx)[list][i]),
  })),
);

const executableRows = executables.map((e): CheckSpec => ({
  name: pathCheckName('FileExisting', e.name),
  sets: nodeSets,
  ...('when' in e ? { when: e.when } : {}),
  run: inPath(e),
}));

const bridgeFix =
  'load the module with: modprobe br_netfilter (and list it in /etc/modules-load.d/k8s.conf); ' +
  'only network setups that filter bridged traffic with iptables need it';

const externalCertRows = (['caFile', 'certFile', 'keyFile'] as const).map((field): CheckSpec => ({
  name: 'ExternalEtcdClientCertificates',
  sets: controlPlaneSets,
  // A joining control plane that downloads the certificates cannot have them yet.
  when: (t) => {
    const ext = cp(t).etcd.external;
    return ext !== undefined && ext[field] !== '' && !cp(t).downloadCerts;
  },
  run: fileExisting((ctx) => cpOf(ctx).etcd.external?.[field] ?? '', `check etcd.external.${field}, or copy the file to this path`),
}));

const rows = [
  // RunRootCheckOnly
  { name: 'IsPrivilegedUser', sets: ['root'], run: isPrivilegedUser },

  // JoinNodeChecks, head
  { name: pathCheckName('FileAvailable', kubeletKubeconfig), sets: ['join'], run: fileAvailable(() => kubeletKubeconfig, resetFirst) },
  { name: pathCheckName('FileAvailable', bootstrapKubeletKubeconfig), sets: ['join'], run: fileAvailable(() => bootstrapKubeletKubeconfig, resetFirst) },

  // InitNodeChecks, head
  { name: 'NumCPU', sets: controlPlaneSets, run: numCPU },
  { name: 'Mem', sets: controlPlaneSets, run: mem },
  { name: 'KubernetesVersion', sets: controlPlaneSets, run: kubernetesVersion },
  { name: 'Firewalld', sets: controlPlaneSets, run: firewalld((ctx) => [cpOf(ctx).bindPort, ports.kubelet]) },
  { name: (t) => `Port-${cp(t).bindPort}`, sets: controlPlaneSets, run: portFree((ctx) => cpOf(ctx).bindPort) },
  { name: `Port-${ports.kubeScheduler}`, sets: controlPlaneSets, run: portFree(() => ports.kubeScheduler) },
  { name: `Port-${ports.kubeControllerManager}`, sets: controlPlaneSets, run: portFree(() => ports.kubeControllerManager) },
  // Not in kubeadm 1.35 (the ports are gone since Kubernetes 1.23): asked for by the product, warnings only.
  { name: `Port-${ports.legacyKubeScheduler}`, sets: controlPlaneSets, run: legacyPortFree(ports.legacyKubeScheduler, 'kube-scheduler') },
  {
    name: `Port-${ports.legacyKubeControllerManager}`, sets: controlPlaneSets,
    run: legacyPortFree(ports.legacyKubeControllerManager, 'kube-controller-manager'),
  },
  ...manifestRows,
  { name: 'HTTPProxy', sets: controlPlaneSets, run: httpProxy((ctx) => cpOf(ctx).advertiseAddress) },
  ...proxyCIDRRows,

  // addCommonChecks (init and every join; not repeated for a joining control plane)
  { name: 'CRI', sets: nodeSets, run: criReady },
  { name: 'Swap', sets: nodeSets, run: swap },
  ...executableRows,
  { name: 'SystemVerification', sets: nodeSets, run: systemVerification },
  { name: 'Hostname', sets: nodeSets, run: hostname },
  { name: 'KubeletVersion', sets: nodeSets, run: kubeletVersion },
  // kubeadm 1.35 prints `Service-kubelet` (older releases title-cased it to Service-Kubelet).
  { name: 'Service-kubelet', sets: nodeSets, run: serviceEnabled('kubelet') },
  { name: `Port-${ports.kubelet}`, sets: nodeSets, run: portFree(() => ports.kubelet) },

  // JoinNodeChecks, tail
  {
    name: (t) => pathCheckName('FileAvailable', t.join?.caCertPath ?? ''), sets: ['join'],
    when: (t) => t.join?.caCertPath !== undefined,
    run: fileAvailable((ctx) => ctx.target.join?.caCertPath ?? '', resetFirst),
  },
  {
    name: 'HTTPProxy', sets: ['join'],
    when: (t) => t.join?.discoveryHost !== undefined,
    run: httpProxy((ctx) => ctx.target.join?.discoveryHost),
  },

  // Forwarding (addIPv4Checks / addIPv6Checks). kubeadm 1.35 dropped the bridge-nf-call checks:
  // kube-proxy's nftables mode and many network plugins do not need them. Asked for by the product,
  // they stay as warnings, in the place older kubeadm checked them.
  {
    name: pathCheckName('FileContent', bridgeNfCallIptables), sets: nodeSets, when: (t) => t.forwarding.ipv4,
    run: sysctlIsOne({ path: bridgeNfCallIptables, key: 'net.bridge.bridge-nf-call-iptables', severity: 'warning', missingFix: bridgeFix }),
  },
  {
    name: pathCheckName('FileContent', ipv4Forward), sets: nodeSets, when: (t) => t.forwarding.ipv4,
    run: sysctlIsOne({ path: ipv4Forward, key: 'net.ipv4.ip_forward', severity: 'error' }),
  },
  {
    name: pathCheckName('FileContent', bridgeNfCallIp6tables), sets: nodeSets, when: (t) => t.forwarding.ipv6,
    run: sysctlIsOne({ path: bridgeNfCallIp6tables, key: 'net.bridge.bridge-nf-call-ip6tables', severity: 'warning', missingFix: bridgeFix }),
  },
  {
    name: pathCheckName('FileContent', ipv6DefaultForwarding), sets: nodeSets, when: (t) => t.forwarding.ipv6,
    run: sysctlIsOne({ path: ipv6DefaultForwarding, key: 'net.ipv6.conf.default.forwarding', severity: 'error' }),
  },

  // InitNodeChecks, tail: etcd
  { name: 'ExternalEtcdVersion', sets: ['init'], when: (t) => cp(t).etcd.external !== undefined, run: externalEtcdVersion },
  { name: `Port-${ports.etcdClient}`, sets: controlPlaneSets, when: (t) => cp(t).etcd.local !== undefined, run: portFree(() => ports.etcdClient) },
  { name: `Port-${ports.etcdPeer}`, sets: controlPlaneSets, when: (t) => cp(t).etcd.local !== undefined, run: portFree(() => ports.etcdPeer) },
  {
    name: (t) => pathCheckName('DirAvailable', cp(t).etcd.local?.dataDir ?? ''), sets: controlPlaneSets,
    when: (t) => cp(t).etcd.local !== undefined,
    run: dirAvailable((ctx) => cpOf(ctx).etcd.local?.dataDir ?? '',
      'it holds the data of an earlier etcd member: run tskubeadm reset, or move it away if you need that data'),
  },
  ...externalCertRows,

  // RunPullImagesCheck
  { name: 'ImagePull', sets: ['image-pull'], run: imagePull },
] satisfies readonly CheckSpec[];

/** The whole table, frozen: rows are data, never edited at run time. */
export const checkTable: readonly CheckSpec[] = Object.freeze(rows.map((r) => Object.freeze(r)));

/** The checks of one list for this target, in order (rows whose condition is false are left out). */
export function checksFor(set: CheckSet, target: PreflightTarget, table: readonly CheckSpec[] = checkTable): CheckSpec[] {
  return table.filter((c) => c.sets.includes(set) && (c.when === undefined || c.when(target)));
}
