// A Host that stands in for the machine the user-data will boot, while its config is
// validated on the machine rendering it. The loader asks the host for the node name, the
// default-route address and whether a discovery file exists: on the rendering machine these
// answers would be about the wrong machine (a CI runner with no default route, a laptop's
// hostname, a discovery file that only the target will have). The stand-in answers as a
// typical target would, so only the document itself is judged; the target re-checks at boot.
import type { FileInfo, Host, NetworkInterface } from '../host/host.js';
import { InternalError } from '../errors.js';

/** The node name the loader defaults to when the file sets none (the target uses its own hostname). */
export const standInHostname = 'node';

// Documentation addresses (RFC 5737, RFC 3849): global unicast, so the advertise-address choice succeeds
// (a loopback advertiseAddress too: some targets carry a global address on lo).
const interfaces: readonly NetworkInterface[] = Object.freeze([
  { name: 'lo', address: '127.0.0.1', family: 4, internal: true, prefix: 8 },
  { name: 'lo', address: '2001:db8::1', family: 6, internal: true, prefix: 128 },
  { name: 'eth0', address: '192.0.2.10', family: 4, internal: false, prefix: 24 },
  { name: 'eth0', address: '2001:db8:0:1::10', family: 6, internal: false, prefix: 64 },
]);

// Any path the config names (a discovery kubeconfig, say) is taken to exist on the target.
const someFile: FileInfo = Object.freeze({ kind: 'file', mode: 0o600, size: 1, mtimeMs: 0 });

/**
 * `base` (the command's host) answers whatever the loader never asks; the facts above are the
 * target's. Processes are refused outright: validation must not probe this machine's runtime.
 */
export function targetStandIn(base: Host): Host {
  return {
    ...base,
    fs: { ...base.fs, stat: async () => someFile },
    exec: {
      ...base.exec,
      run: async (argv) => {
        throw new InternalError(`validating a cloud-init config tried to run ${argv[0] ?? 'a process'} on the rendering machine`);
      },
      which: async () => undefined,
    },
    net: {
      ...base.net,
      interfaces: async () => interfaces,
      defaultRouteInterface: async () => 'eth0',
    },
    system: { ...base.system, hostname: () => standInHostname },
  };
}
