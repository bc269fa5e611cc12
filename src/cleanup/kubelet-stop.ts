// reset's first host step: stop the kubelet, so it neither restarts the static Pods nor remounts volumes
// while the rest of cleanup-node takes them away. kubeadm: cmd/phases/reset/cleanupnode.go.
//
// init and join start (restart) the kubelet, and the journal holds that as an 'exec' entry; stopping it is
// the whole undo: neither ever enables a unit (the package's own unit enablement is the package's), so there
// is no `systemctl enable` to reverse.
import { controlService } from '../kubelet/kubelet-service.js';
import type { ResetContext } from '../phases/reset/context.js';

const kubelet = 'kubelet';
const stopByHand = '[reset] Please ensure kubelet is stopped manually';

export async function stopKubelet(ctx: ResetContext): Promise<void> {
  const { out, report } = ctx;
  /** kubeadm's two warnings, and the kubelet in the report with why and how to stop it. */
  const notStopped = (warning: string, reason: string, fix: string) => {
    out.warn(warning);
    out.warn(stopByHand);
    report.left({ kind: 'service', item: kubelet, reason, fix });
  };
  const o = await controlService(ctx.host, kubelet, 'stop');
  if (o.initSystem === undefined) {
    notStopped('[reset] The kubelet service could not be stopped by tskubeadm. Unable to detect a supported init system!',
      'no supported init system (systemd or OpenRC) was found to stop it with', 'stop the kubelet by the means that started it');
    return;
  }
  out.info(ctx.dryRun ? '[dryrun] Would stop the kubelet service' : '[reset] Stopping the kubelet service');
  if (o.systemdNotRunning) {
    notStopped('[reset] The kubelet service could not be stopped by tskubeadm: [systemctl is installed but systemd is not running here (PID 1 is not systemd)]',
      'systemd is not running on this machine, so systemctl cannot stop the kubelet', 'stop the kubelet process by the means that started it');
    return;
  }
  if (o.failure !== undefined) {
    // A unit that does not exist has nothing running to stop: not worth a warning.
    if (!o.exists) {
      out.detail(1, `[reset] No kubelet service is installed here: nothing to stop (${o.failure.message})`);
      return;
    }
    notStopped(`[reset] The kubelet service could not be stopped by tskubeadm: [${o.failure.message}]`,
      `stopping it failed: ${o.failure.message}`, o.initSystem === 'systemd' ? 'systemctl stop kubelet' : 'rc-service kubelet stop');
    return;
  }
  report.did('stopped', kubelet);
}
