// The CRI endpoint: kubeadm's DetectCRISocket (util/runtime) and the scheme-less
// value fix-up of SetNodeRegistrationDynamicDefaults (util/config/initconfiguration.go).
import type { Host } from '../host/host.js';
import { configDefaults } from './defaults.js';
import { urlScheme } from './url-scheme.js';

/** The sockets kubeadm probes, in its order. */
const knownCriSockets: readonly string[] = Object.freeze([
  'unix:///var/run/containerd/containerd.sock',
  'unix:///var/run/crio/crio.sock',
  'unix:///var/run/cri-dockerd.sock',
]);

export type CriDetection =
  | { readonly ok: true; readonly socket: string; readonly found: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly found: readonly string[] };

/** Probes the known sockets through the host's files; none found falls back to containerd, as kubeadm does. */
export async function detectCriSocket(host: Host): Promise<CriDetection> {
  const found: string[] = [];
  for (const socket of knownCriSockets) {
    const info = await host.fs.stat(socket.slice('unix://'.length));
    // lstat reports a socket as 'other'; a symlinked socket is accepted too.
    if (info !== undefined && (info.kind === 'other' || info.kind === 'symlink')) found.push(socket);
  }
  if (found.length === 0) return { ok: true, socket: configDefaults.criSocket, found };
  if (found.length === 1) return { ok: true, socket: found[0]!, found };
  return {
    ok: false,
    found,
    message:
      "found multiple CRI endpoints on the host. Please define which one do you wish to use by setting the 'criSocket' " +
      `field in the kubeadm configuration file: ${found.join(', ')}`,
  };
}

/** A value without a URL scheme gets `unix://` and a warning, as kubeadm does (corpus 003, 005, 008). */
export function normalizeCriSocket(value: string): { readonly socket: string; readonly warning?: string } {
  if (value === '' || urlScheme(value, { withSlashes: true }) !== undefined) return { socket: value };
  return {
    socket: `unix://${value}`,
    warning:
      `criSocket "${value}" has no URL scheme: using "unix://${value}". CRI endpoints without a scheme are deprecated; ` +
      'write the unix:// form in your configuration.',
  };
}
