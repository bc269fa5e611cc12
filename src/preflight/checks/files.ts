// Checks on files and directories, and on /proc/sys values.
// kubeadm: preflight/checks.go (FileAvailableCheck, DirAvailableCheck, FileExistingCheck,
// FileContentCheck); checks_linux.go (addIPv4Checks, addIPv6Checks).
import { failure, pass, warning, type CheckContext, type CheckResult } from '../check.js';

type PathOf = (ctx: CheckContext) => string;

/** The file must not exist yet (we are about to write it). */
export function fileAvailable(path: PathOf, fix: string): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    const p = path(ctx);
    if ((await ctx.host.fs.stat(p)) === undefined) return pass;
    return failure(`${p} already exists`, fix);
  };
}

/** The directory must be absent or empty. */
export function dirAvailable(path: PathOf, fix: string): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    const p = path(ctx);
    if ((await ctx.host.fs.stat(p)) === undefined) return pass;
    let names: string[] | undefined;
    try {
      names = await ctx.host.fs.list(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // kubeadm opens and reads it: a plain file there reads as "not empty".
      if (code !== 'ENOTDIR') return failure(`unable to check if ${p} is empty: ${(e as Error).message}`, fix);
      names = [''];
    }
    if (names === undefined || names.length === 0) return pass;
    return failure(`${p} is not empty`, fix);
  };
}

/** The file must exist. */
export function fileExisting(path: PathOf, fix: string): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    const p = path(ctx);
    if ((await ctx.host.fs.stat(p)) !== undefined) return pass;
    return failure(`${p} doesn't exist`, fix);
  };
}

export interface SysctlSpec {
  readonly path: string;
  /** Name for sysctl(8), e.g. net.ipv4.ip_forward. */
  readonly key: string;
  readonly severity: 'error' | 'warning';
  /** Extra advice when the file does not exist at all (a module not loaded). */
  readonly missingFix?: string;
}

/** A /proc/sys value must start with `1` (kubeadm compares the first byte). */
export function sysctlIsOne(spec: SysctlSpec): (ctx: CheckContext) => Promise<CheckResult> {
  const report = spec.severity === 'error' ? failure : warning;
  const enable = `enable it with: sysctl -w ${spec.key}=1, and keep it across reboots with a line "${spec.key} = 1" in /etc/sysctl.d/k8s.conf`;
  return async ({ host }) => {
    const text = await host.system.readKernelFile(spec.path);
    if (text === undefined) return report(`${spec.path} does not exist`, spec.missingFix ?? enable);
    if (text.startsWith('1')) return pass;
    return report(`${spec.path} contents are not set to 1`, enable);
  };
}
