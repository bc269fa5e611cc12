// The known reasons a control plane does not come up, as data: what each means, the evidence that
// points to it, and the fix. The signatures are the real messages of the kubelet, containerd, CRI-O,
// etcd and the API server, as users reported them (kubernetes/kubeadm #610, #2382, #3187; kubernetes/
// kubernetes #43805, #50373, #89682, #117293; containerd/containerd #4857, #8032, #8139; cri-tools).
// Order matters: root causes first; a `fallback` is shown only when nothing more specific matched.
import { controlPlaneContainers, type Evidence } from './evidence.js';
import { lastLine, lastMatching, seenIn } from './evidence-search.js';

export interface Cause {
  readonly id: string;
  /** What it means, in one line. */
  readonly title: string;
  /** What to do about it. */
  readonly fix: string;
  /** Shown only when no other cause matched: it describes a symptom more than a reason. */
  readonly fallback?: true;
  /** The evidence lines that point to this cause; none means it does not apply. */
  readonly evidence: (e: Evidence) => readonly string[];
}

export interface LikelyCause {
  readonly cause: Cause;
  readonly seen: readonly string[];
}

const signatures = Object.freeze({
  criUnimplemented: /CRI v1 (runtime|image) API is not implemented|unknown service runtime\.v1\.(RuntimeService|ImageService)/,
  dialFailed: /Error while dialing.*(no such file or directory|connection refused|permission denied)/,
  swap: /running with swap on is not supported|"Swap is on"/i,
  cgroup: /misconfiguration: kubelet cgroup driver|expected cgroupsPath to be of format|cgroup driver: "\w+" is different from/i,
  imagePull: /ErrImagePull|ImagePullBackOff|failed to pull (and unpack )?image|failed to get sandbox image|pull access denied|failed to resolve reference/i,
  addressInUse: /address already in use/i,
  x509: /x509: certificate|tls: failed to verify certificate|certificate signed by unknown authority/i,
  etcdRefused: /:2379\b.*connection refused|connection refused.*:2379\b/,
  livezEtcd: /\[-\]etcd failed/,
  kubeletFailed: /failed to run Kubelet|"command failed"|Main process exited, code=exited/,
  unitMissing: /could not be found|not-found|Unit kubelet\.service not found/i,
});

const kubeletUnhealthy = (e: Evidence): boolean =>
  e.unhealthy.includes('kubelet') || e.probes.some((p) => p.name === 'kubelet' && !p.result.healthy);

const isControlPlane = (name: string): boolean => (controlPlaneContainers as readonly string[]).includes(name);

const table: readonly Cause[] = [
  // First: without a kubelet nothing else on this list can happen.
  {
    id: 'kubelet-not-installed',
    title: 'The kubelet is not installed (no kubelet on PATH, or no kubelet service)',
    fix: 'install the kubelet package of the same minor version as the control plane, with its systemd unit, then run ' +
      '"tskubeadm init phase kubelet-start"',
    evidence: (e) => {
      const out: string[] = [];
      if (!e.kubelet.installed) out.push('no kubelet executable on PATH');
      if (!e.kubelet.status.missing) out.push(...lastMatching(`${e.kubelet.status.stdout}\n${e.kubelet.status.stderr}`, signatures.unitMissing).map((l) => `systemctl status kubelet: ${l}`));
      return out;
    },
  },
  {
    id: 'runtime-socket-missing',
    title: 'The container runtime is not listening on the CRI socket, so the kubelet cannot start any container',
    fix: 'start the container runtime (e.g. "systemctl enable --now containerd"), or set nodeRegistration.criSocket ' +
      '(--cri-socket) to the socket it really listens on',
    evidence: (e) => {
      const s = e.runtime.socket;
      if (s !== undefined) return s.result.ok ? [] : [`nothing accepts connections on ${s.path} (${s.result.code})`];
      return seenIn(e, signatures.dialFailed, 1, (l) => l === 'crictl ps -a');
    },
  },
  {
    id: 'runtime-cri-disabled',
    title: "The container runtime answers, but without its CRI plugin (containerd's packaged config often disables it)",
    fix: 'remove "cri" from disabled_plugins in /etc/containerd/config.toml (or regenerate it with "containerd config default"), ' +
      'then "systemctl restart containerd"',
    evidence: (e) => seenIn(e, signatures.criUnimplemented, 1),
  },
  {
    id: 'swap-on',
    title: 'Swap is on and the kubelet refuses to run with it (failSwapOn)',
    fix: 'turn swap off ("swapoff -a") and remove it from /etc/fstab and any swap units, or allow it with failSwapOn: false ' +
      '(and memorySwap) in a KubeletConfiguration document',
    evidence: (e) => {
      const logged = seenIn(e, signatures.swap, 1);
      if (logged.length > 0) return logged;
      if (e.swap.devices.length === 0 || !e.kubelet.failSwapOn || !kubeletUnhealthy(e)) return [];
      return [`swap is on (${e.swap.devices.join(', ')}) and the kubelet's failSwapOn is true`];
    },
  },
  {
    id: 'cgroup-driver-mismatch',
    title: 'The kubelet and the container runtime use different cgroup drivers, so the control-plane containers fail or keep restarting',
    fix: 'use systemd on both: "SystemdCgroup = true" under the runc options in /etc/containerd/config.toml (CRI-O: ' +
      'cgroup_manager = "systemd") and restart the runtime, or set cgroupDriver in the KubeletConfiguration to match it',
    evidence: (e) => {
      const logged = seenIn(e, signatures.cgroup, 1);
      if (logged.length > 0) return logged;
      const r = e.runtime.cgroupDriver;
      if (r === undefined || r === e.kubelet.cgroupDriver) return [];
      return [`the kubelet is configured for the ${e.kubelet.cgroupDriver} cgroup driver, the runtime for ${r} (${e.runtime.cgroupDriverSource ?? 'runtime'})`];
    },
  },
  {
    id: 'image-pull-failure',
    title: 'A control-plane image (or the runtime\'s sandbox "pause" image) could not be pulled',
    fix: 'make the registry reachable from this host (DNS, proxy in the runtime\'s environment, firewall), or load the images ' +
      'beforehand with "tskubeadm config images pull"; for the pause image, set the runtime\'s sandbox image to the one tskubeadm uses',
    evidence: (e) => seenIn(e, signatures.imagePull, 2),
  },
  {
    id: 'port-in-use',
    title: 'Another program already holds a port the control plane needs',
    fix: 'find it with "ss -ltnp" and stop it; if it is left over from an earlier cluster, run "tskubeadm reset" first',
    evidence: (e) => {
      const out = seenIn(e, signatures.addressInUse, 2);
      if (e.containers.list.exitCode !== 0) return out;
      for (const p of e.ports) {
        const running = e.containers.rows.some((r) => r.name === p.owner && r.state === 'Running');
        if (p.inUse && !running) out.push(`port ${p.port} is taken, but no ${p.owner} container is running`);
      }
      return out;
    },
  },
  {
    id: 'certificate-mismatch',
    title: 'A certificate does not match: the server is not signed by the cluster CA, or its SANs miss the address used',
    fix: 'if the API server serves a certificate from another CA or without this address, remove <certificatesDir>/apiserver.{crt,key} ' +
      'and run "tskubeadm init phase certs apiserver" (extra names go in apiServer.certSANs); if another program serves on that port, stop it',
    evidence: (e) => [
      ...e.probes.flatMap((p) => (!p.result.healthy && p.result.tlsRejected !== undefined ? [`${p.name} at ${p.url}: ${p.result.summary}`] : [])),
      ...seenIn(e, signatures.x509, 2),
    ],
  },
  {
    id: 'etcd-crashing',
    title: 'etcd keeps exiting, so the API server cannot start',
    fix: 'read the etcd log tail in the support file; usual reasons are a /var/lib/etcd left from an earlier cluster ' +
      '("tskubeadm reset", or empty that directory), etcd certificates that do not match, or a disk too slow for etcd',
    evidence: (e) => {
      const out: string[] = [];
      const etcd = e.containers.rows.filter((r) => r.name === 'etcd');
      const newest = etcd[0];
      if (newest !== undefined && (newest.state !== 'Running' || newest.attempt >= 2)) {
        const log = e.containers.logs.find((l) => l.container.name === 'etcd');
        const last = log === undefined ? undefined : lastLine(`${log.run.stdout}\n${log.run.stderr}`);
        out.push(`etcd container ${newest.id} is ${newest.state} (attempt ${newest.attempt})${last === undefined ? '' : `; its last log line: ${last}`}`);
      }
      out.push(...seenIn(e, signatures.etcdRefused, 1, (l) => l === 'kube-apiserver log'));
      for (const p of e.probes) {
        if (!p.result.healthy && p.result.body !== undefined && signatures.livezEtcd.test(p.result.body)) out.push(`${p.name} ${p.url}: [-]etcd failed`);
      }
      return out;
    },
  },
  {
    id: 'kubelet-not-running',
    title: 'The kubelet is not running',
    fallback: true,
    fix: 'read why in the kubelet journal lines of the support file ("journalctl -xeu kubelet"), fix it, then ' +
      '"systemctl enable --now kubelet" (or "tskubeadm init phase kubelet-start")',
    evidence: (e) => {
      const state = e.kubelet.isActive.stdout.trim();
      if (!e.kubelet.isActive.missing && state !== '' && state !== 'active') {
        return [`systemctl is-active kubelet: ${state}`, ...seenIn(e, signatures.kubeletFailed, 1, (l) => l === 'kubelet journal')];
      }
      const probe = e.probes.find((p) => p.name === 'kubelet');
      return probe !== undefined && !probe.result.healthy && kubeletUnhealthy(e) ? [`kubelet health check at ${probe.url}: ${probe.result.summary}`] : [];
    },
  },
  {
    id: 'static-pods-not-started',
    title: 'The kubelet runs but has not started the control-plane static Pods',
    fallback: true,
    fix: 'check that staticPodPath in /var/lib/kubelet/config.yaml is /etc/kubernetes/manifests and that the manifests are there; ' +
      'the kubelet journal in the support file tells what it is waiting for',
    evidence: (e) => {
      if (e.containers.list.exitCode !== 0 || kubeletUnhealthy(e)) return [];
      return e.containers.rows.some((r) => isControlPlane(r.name)) ? [] : ['crictl ps -a lists no etcd, kube-apiserver, kube-controller-manager or kube-scheduler container'];
    },
  },
  {
    id: 'control-plane-crashing',
    title: 'A control-plane container keeps exiting',
    fallback: true,
    fix: 'its last log lines are in the support file ("crictl --runtime-endpoint <criSocket> logs <container>"); fix what it reports',
    evidence: (e) => e.containers.logs.map((l) => {
      const last = lastLine(`${l.run.stdout}\n${l.run.stderr}`);
      return `${l.container.name} container ${l.container.id} is ${l.container.state} (attempt ${l.container.attempt})${last === undefined ? '' : `: ${last}`}`;
    }),
  },
];

export const causes: readonly Cause[] = Object.freeze(table.map((c) => Object.freeze(c)));

/** The causes the evidence points to, in table order; fallbacks only when nothing else matched. */
export function likelyCauses(e: Evidence): LikelyCause[] {
  const matched = causes.map((cause) => ({ cause, seen: cause.evidence(e) })).filter((m) => m.seen.length > 0);
  const specific = matched.filter((m) => m.cause.fallback !== true);
  return specific.length > 0 ? specific : matched;
}
