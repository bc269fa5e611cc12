// --rootfs: the host's files live under `root`. kubeadm chroots the whole process; we map
// every absolute path instead, resolving symlinks inside the root so a link planted under
// <root>/etc/kubernetes that points to /etc/passwd means <root>/etc/passwd, never the real one.
// /proc and /sys (HostSystem), processes, sockets and the clock are the inner host's.
// Relative paths are taken from the root, as kubeadm's chroot also changes directory to "/".
import path from 'node:path';
import type { Host, Mutation } from './host.js';
import { nodeFs } from './node-fs.js';
import { hostPathOf, resolveInRoot } from './rootfs-resolve.js';

export function rootfsHost(root: string, inner: Host): Host {
  const realRoot = path.resolve(root);
  const mutations: Mutation[] = [];
  const fs = nodeFs(mutations, {
    toReal: (p, followLast) => resolveInRoot(realRoot, p, followLast),
    toHost: (real) => hostPathOf(realRoot, real),
    cwd: '/',
    root: realRoot,
  });
  return {
    fs,
    exec: {
      async run(argv, opts) {
        if (opts.mutates) mutations.push({ action: 'exec', argv: [...argv] });
        return inner.exec.run(argv, opts);
      },
      which: (name) => inner.exec.which(name),
    },
    net: inner.net,
    system: inner.system,
    clock: inner.clock,
    env: inner.env,
    mutations,
    dryRun: inner.dryRun,
  };
}
