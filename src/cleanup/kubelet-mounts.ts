// reset's second host step: unmount what the kubelet mounted under /var/lib/kubelet (Pod volumes, projected
// Secrets, CSI mounts), so that deleting the directory's contents cannot reach into a mounted filesystem.
// kubeadm: cmd/phases/reset/cleanupnode.go and unmount_linux.go (umount2 of every mount under the directory).
import path from 'node:path';
import { commandSucceeded } from '../host/exec-result.js';
import type { Host } from '../host/host.js';
import { kubeletRunDir } from '../kubelet/kubelet-paths.js';
import { describeFailure } from '../kubelet/kubelet-service.js';
import type { ResetContext } from '../phases/reset/context.js';

const umountTimeoutMs = 60_000;

/** ResetConfiguration unmountFlags → umount(8) options. umount(8) has no option for MNT_EXPIRE (see below). */
const umountOptions: Readonly<Record<string, string | undefined>> = Object.freeze({
  MNT_FORCE: '--force',
  MNT_DETACH: '--lazy',
  // UMOUNT_NOFOLLOW: do not follow a symlink at the target. The targets come from mountinfo, where the kernel
  // lists resolved mount points (a mounted dentry cannot be replaced by a link), so only umount(8)'s own
  // userspace resolution is left to turn off.
  UMOUNT_NOFOLLOW: '--no-canonicalize',
});

/** Mount points from /proc/self/mountinfo (field 5), with the kernel's octal escapes (\040 …) decoded, in order. */
export function mountPointsOf(mountinfo: string): string[] {
  const points: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (field !== undefined && field !== '') points.push(unescapeMountField(field));
  }
  return points;
}

function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** The mounts strictly under `dir` (not `dir` itself, as kubeadm), deepest first; of several mounts stacked on
 *  one point the latest comes first. Each entry is one umount. */
export function mountsUnder(points: readonly string[], dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const depth = (p: string) => p.split('/').filter((s) => s !== '').length;
  return points.filter((p) => p.startsWith(prefix)).reverse().sort((a, b) => depth(b) - depth(a));
}

/**
 * Unmounts every mount under the kubelet's directory. True when nothing is left mounted there, so its contents
 * may be deleted; false (after a warning and a Leftover per mount) when the directory is absent or a mount
 * stayed: the caller then keeps the directory's contents, as kubeadm does. Under --dry-run the umounts are
 * recorded by the host and the answer is what a real run would do if they succeeded.
 */
export async function unmountKubeletDir(ctx: ResetContext): Promise<boolean> {
  const { host, out, report } = ctx;
  const info = await host.fs.stat(kubeletRunDir);
  const target = info?.kind === 'symlink' ? await host.fs.list(kubeletRunDir).catch(() => undefined) : info;
  if (info === undefined || target === undefined) {
    out.warn(`[reset] Skipping unmount of directories in "${kubeletRunDir}": lstat ${kubeletRunDir}: no such file or directory`);
    return false;
  }
  out.info(ctx.dryRun
    ? `[dryrun] Would unmount mounted directories in "${kubeletRunDir}"`
    : `[reset] Unmounting mounted directories in "${kubeletRunDir}"`);

  const dir = await machineDir(host);
  const mountinfo = await host.system.readKernelFile('/proc/self/mountinfo');
  if (mountinfo === undefined) {
    out.warn(`[reset] Failed to unmount mounted directories in "${kubeletRunDir}": /proc/self/mountinfo cannot be read`);
    report.left({
      kind: 'mount', item: kubeletRunDir,
      reason: 'the mount table (/proc/self/mountinfo) could not be read, so what is mounted there is unknown',
      fix: `findmnt -R ${dir}, then umount what it lists`,
    });
    return false;
  }
  const mounts = mountsUnder(mountPointsOf(mountinfo), dir);
  if (mounts.length === 0) {
    out.detail(1, `[reset] Nothing is mounted under ${dir}`);
    return true;
  }

  if (ctx.cfg.reset.unmountFlags.includes('MNT_EXPIRE')) {
    // umount2(MNT_EXPIRE) only marks a mount on the first call (EAGAIN) and unmounts it on a second if unused
    // since; umount(8) cannot ask for it, and kubeadm fails on the first EAGAIN. Leave them, and say so.
    out.warn('[reset] unmountFlags MNT_EXPIRE is not supported by tskubeadm (umount(8) cannot mark mounts as expired): ' +
      `leaving ${mounts.length} mount(s) under "${kubeletRunDir}" in place and its contents undeleted`);
    for (const m of mounts) {
      report.left({ kind: 'mount', item: m, reason: 'unmountFlags asks for MNT_EXPIRE, which tskubeadm cannot apply', fix: `umount ${m}` });
    }
    return false;
  }

  const options = ctx.cfg.reset.unmountFlags.flatMap((f) => umountOptions[f] ?? []);
  let allGone = true;
  for (const m of mounts) {
    const argv = ['umount', ...options, m];
    const r = await host.exec.run(argv, { mutates: true, timeoutMs: umountTimeoutMs });
    if (commandSucceeded(r)) {
      report.did('unmounted', m);
      continue;
    }
    // Unmounting one mount can take others with it (a lazy parent, shared-subtree propagation): kubeadm ignores
    // that error (EINVAL); here, a point no longer in the mount table is done.
    if (!(await stillMounted(host, m))) {
      out.detail(1, `[reset] ${m} was already unmounted`);
      report.did('unmounted', m);
      continue;
    }
    allGone = false;
    const why = describeFailure(argv, r, umountTimeoutMs);
    out.warn(`[reset] Failed to unmount mounted directory in ${dir}/: ${m}: ${why}`);
    report.left({
      kind: 'mount', item: m,
      reason: `unmounting failed (${why}); the contents of ${kubeletRunDir} were kept so that nothing inside a mounted filesystem is deleted`,
      fix: `umount --lazy ${m}, then run tskubeadm reset again`,
    });
  }
  if (!allGone) out.warn(`[reset] Failed to unmount mounted directories in ${kubeletRunDir}: its contents are kept`);
  return allGone;
}

async function stillMounted(host: Host, point: string): Promise<boolean> {
  const now = await host.system.readKernelFile('/proc/self/mountinfo');
  return now === undefined || mountPointsOf(now).includes(point);
}

/**
 * Where the kubelet's directory is on this machine, as mountinfo names it: the host's mapping (--rootfs) with
 * its symlinks resolved (a /var/lib/kubelet moved to a bigger disk and linked back), then whatever links the
 * machine path itself still has (realpath(1); the unresolved path when it cannot run).
 */
async function machineDir(host: Host): Promise<string> {
  // realPath resolves every component but the last: ask for a child and take its parent.
  const mapped = path.posix.dirname(host.fs.realPath(`${kubeletRunDir}/x`));
  const r = await host.exec.run(['realpath', '-e', '--', mapped], { mutates: false, timeoutMs: 10_000 });
  const resolved = r.stdout.trim();
  return commandSucceeded(r) && resolved.startsWith('/') ? resolved : mapped;
}
