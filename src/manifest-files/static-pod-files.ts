// Static Pod manifests on disk: /etc/kubernetes/manifests/<component>.yaml, 0600 in a 0700 folder, with the
// user's patches applied before writing. kubeadm: util/staticpod/utils.go WriteStaticPodToDisk.
import { parse } from 'yaml';
import { CertificateError } from '../errors.js';
import type { Host } from '../host/host.js';
import { encodeManifest, type StaticPodComponent } from '../manifests/static-pod.js';
import type { PatchSet } from '../patches/patch-set.js';

/** kubeadm's static Pod folder (the kubelet's staticPodPath). */
export const manifestsDir = '/etc/kubernetes/manifests';

export function manifestPath(component: StaticPodComponent, dir = manifestsDir): string {
  return `${dir}/${component}.yaml`;
}

/** Applies the patches for `component` and writes its manifest atomically. Returns the written Pod. */
export async function writeStaticPodManifest(
  host: Host, patches: PatchSet, component: StaticPodComponent, pod: Readonly<Record<string, unknown>>, dir = manifestsDir,
): Promise<Record<string, unknown>> {
  const patched = patches.apply(component, pod);
  await host.fs.mkdir(dir, { mode: 0o700 });
  await host.fs.write(manifestPath(component, dir), encodeManifest(patched), { mode: 0o600 });
  return patched;
}

/** A manifest as written (patches included), or undefined when there is none. */
export async function readStaticPodManifest(host: Host, component: StaticPodComponent, dir = manifestsDir): Promise<Record<string, unknown> | undefined> {
  const path = manifestPath(component, dir);
  const text = await host.fs.readText(path);
  if (text === undefined) return undefined;
  let pod: unknown;
  try {
    pod = parse(text);
  } catch (err) {
    throw new CertificateError(path, `${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, {
      fix: `remove it and run "tskubeadm init phase control-plane all" (or "etcd local") again`,
      cause: err,
    });
  }
  if (typeof pod !== 'object' || pod === null || Array.isArray(pod)) {
    throw new CertificateError(path, `${path} is not a Pod manifest`, { fix: 'remove it and generate it again' });
  }
  return pod as Record<string, unknown>;
}

/** The first container's command line of a manifest (empty when it has none). */
export function manifestCommand(pod: Readonly<Record<string, unknown>>): string[] {
  const containers = (pod['spec'] as Record<string, unknown> | undefined)?.['containers'];
  const first = Array.isArray(containers) ? (containers[0] as Record<string, unknown> | undefined) : undefined;
  const command = first?.['command'];
  return Array.isArray(command) ? command.filter((c): c is string => typeof c === 'string') : [];
}
