// Port checks: kubeadm tries `listen tcp :<port>` and reports `Port <n> is in use`.
// kubeadm: preflight/checks.go (PortOpenCheck).
import { failure, pass, warning, type CheckContext, type CheckResult } from '../check.js';

function freeItFix(port: number): string {
  return `find what holds it with: ss -ltnp 'sport = :${port}'; if it is a previous cluster on this machine, run tskubeadm reset`;
}

/** A port some component of this node must bind: in use → error. */
export function portFree(port: (ctx: CheckContext) => number): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    const p = port(ctx);
    if (await ctx.host.net.canListen(p)) return pass;
    return failure(`Port ${p} is in use`, freeItFix(p));
  };
}

/**
 * The insecure ports of kube-scheduler (10251) and kube-controller-manager (10252). Kubernetes 1.23
 * removed them and kubeadm stopped checking them, so nothing we deploy binds them: in use is only a
 * warning. It is still worth saying, because the usual holder is a control plane of an old cluster
 * still running on this machine.
 */
export function legacyPortFree(port: number, component: string): (ctx: CheckContext) => Promise<CheckResult> {
  return async (ctx) => {
    if (await ctx.host.net.canListen(port)) return pass;
    return warning(
      `Port ${port} is in use`,
      `it was the insecure port of ${component} before Kubernetes 1.23, so an old control plane may still run here; ${freeItFix(port)}`,
    );
  };
}
