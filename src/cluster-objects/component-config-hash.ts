// kubeadm "signs" the component-config ConfigMaps it generated (kubelet-config, kube-proxy) with an
// annotation, so a later upgrade can tell whether a user edited them: sha256 over the values of
// `data` in sorted key order (keys not hashed), then the values of `binaryData` likewise.
import { createHash } from 'node:crypto';

export const componentConfigHashAnnotation = 'kubeadm.kubernetes.io/component-config.hash';

export function componentConfigHash(data: Readonly<Record<string, string>>, binaryData: Readonly<Record<string, Uint8Array>> = {}): string {
  const h = createHash('sha256');
  for (const k of Object.keys(data).sort()) h.update(data[k]!);
  for (const k of Object.keys(binaryData).sort()) h.update(binaryData[k]!);
  return `sha256:${h.digest('hex')}`;
}
