// The hostPath volumes of kube-apiserver, kube-controller-manager and kube-scheduler.
// kubeadm: phases/controlplane/volumes.go getHostPathVolumesForTheControlPlane, getEtcdCertVolumes.
import path from 'node:path';
import type { ClusterConfiguration, ExternalEtcd, HostPathMount } from '../config/types.js';
import type { ControlPlaneComponentName } from './static-pod.js';
import { controllerManagerKubeconfig, lastArg, schedulerKubeconfig } from './control-plane-args.js';

/** The host's CA bundle folder, always mounted into the API server and the controller manager. */
export const caCertsPath = '/etc/ssl/certs';

/** Folders that files in /etc/ssl/certs may link into on some distributions: mounted too, but only the
 *  ones that exist on the host (the caller looks; this module does no IO). kubeadm's caCertsExtraVolumePaths. */
export const caCertsExtraPaths = [
  '/etc/pki/ca-trust', '/etc/pki/tls/certs', '/etc/ca-certificates', '/usr/share/ca-certificates', '/usr/local/share/ca-certificates',
] as const;

export const defaultFlexVolumeDir = '/usr/libexec/kubernetes/kubelet-plugins/volume/exec';

function mount(name: string, hostPath: string, readOnly: boolean, pathType: string): HostPathMount {
  return { name, hostPath, mountPath: hostPath, readOnly, pathType };
}

/** `/etc/pki/ca-trust` → `etc-pki-ca-trust`. */
export function caFolderVolumeName(folder: string): string {
  return folder.replaceAll('/', '-').slice(1);
}

/** `dir` is `parent` or lies under it (whole path segments, unlike kubeadm's string prefix, which took
 *  /etc/kubernetes/pki-etcd for a part of /etc/kubernetes/pki and left it unmounted). */
function isWithin(dir: string, parent: string): boolean {
  const p = parent.replace(/\/+$/, '');
  return dir === p || dir.startsWith(`${p}/`);
}

/** The folders of the external etcd's CA, certificate and key that no default volume already covers,
 *  as `etcd-certs-<i>` in sorted order; a folder inside another listed one is dropped for its parent. */
export function etcdCertVolumes(external: ExternalEtcd, certificatesDir: string): HostPathMount[] {
  const covered = [caCertsPath, ...caCertsExtraPaths, certificatesDir];
  let dirs: string[] = [];
  for (const file of [external.caFile, external.certFile, external.keyFile]) {
    if (file === '') continue;
    const dir = path.posix.dirname(path.posix.normalize(file));
    if (dir === '.' || covered.some((c) => isWithin(dir, c))) continue;
    if (dirs.some((d) => isWithin(dir, d))) continue;
    dirs = [...dirs.filter((d) => !isWithin(d, dir)), dir];
  }
  return dirs.sort().map((dir, i) => mount(`etcd-certs-${i}`, dir, true, 'DirectoryOrCreate'));
}

/** Every hostPath volume of `component`: kubeadm's defaults, then the user's extraVolumes, a user volume
 *  replacing a default of the same name. `existingCAFolders`: which of caCertsExtraPaths exist on the host. */
export function controlPlaneVolumes(
  component: ControlPlaneComponentName, cluster: ClusterConfiguration, existingCAFolders: ReadonlySet<string>,
): HostPathMount[] {
  const volumes = new Map<string, HostPathMount>();
  const add = (m: HostPathMount) => volumes.set(m.name, m);
  const caFolders = () => {
    add(mount('k8s-certs', cluster.certificatesDir, true, 'DirectoryOrCreate'));
    add(mount('ca-certs', caCertsPath, true, 'DirectoryOrCreate'));
    for (const folder of caCertsExtraPaths) {
      if (existingCAFolders.has(folder)) add(mount(caFolderVolumeName(folder), folder, true, 'DirectoryOrCreate'));
    }
  };
  switch (component) {
    case 'kube-apiserver': {
      caFolders();
      const external = cluster.etcd.external;
      if (external !== undefined) for (const m of etcdCertVolumes(external, cluster.certificatesDir)) add(m);
      for (const m of cluster.apiServer.extraVolumes) add(m);
      break;
    }
    case 'kube-controller-manager': {
      caFolders();
      add(mount('kubeconfig', controllerManagerKubeconfig, true, 'FileOrCreate'));
      // Writable: third-party storage drivers talk to the controller manager through sockets in there.
      const flex = lastArg(cluster.controllerManager.extraArgs, 'flex-volume-plugin-dir') ?? defaultFlexVolumeDir;
      add(mount('flexvolume-dir', flex, false, 'DirectoryOrCreate'));
      for (const m of cluster.controllerManager.extraVolumes) add(m);
      break;
    }
    case 'kube-scheduler':
      add(mount('kubeconfig', schedulerKubeconfig, true, 'FileOrCreate'));
      for (const m of cluster.scheduler.extraVolumes) add(m);
      break;
  }
  return [...volumes.values()];
}
