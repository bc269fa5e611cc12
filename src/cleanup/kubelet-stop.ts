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
  const o = await controlService(ctx.host, kubelet, 'stop');
  if (o.initSystem === undefined) {
    out.warn('[reset] The kubelet service could not be stopped by tskubeadm. Unable to detect a supported init system!');
    out.warn(stopByHand);
    report.left({
      kind: 'service', item: kubelet,
      reason: 'no supported init system (systemd or OpenRC) was found to stop it with',
      fix: 'stop the kubelet by the means that started it',
    });
    return;
  }
  out.info(ctx.dryRun ? '[dryrun] Would stop the kubelet service' : '[reset] Stopping the kubelet service');
  if (o.systemdNotRunning) {
    out.warn('[reset] The kubelet service could not be stopped by tskubeadm: [systemctl is installed but systemd is not running here (PID 1 is not systemd)]');
    out.warn(stopByHand);
    report.left({
      kind: 'service', item: kubelet,
      reason: 'systemd is not running on this machine, so systemctl cannot stop the kubelet',
      fix: 'stop the kubelet process by the means that started it',
    });
    return;
  }
  if (o.failure !== undefined) {
    // A unit that does not exist has nothing running to stop: not worth a warning.
    if (!o.exists) {
      out.detail(1, `[reset] No kubelet service is installed here: nothing to stop (${o.failure.message})`);
      return;
    }
    out.warn(`[reset] The kubelet service could not be stopped by tskubeadm: [${o.failure.message}]`);
    out.warn(stopByHand);
    report.left({
      kind: 'service', item: kubelet,
      reason: `stopping it failed: ${o.failure.message}`,
      fix: o.initSystem === 'systemd' ? 'systemctl stop kubelet' : 'rc-service kubelet stop',
    });
    return;
  }
  report.did('stopped', kubelet);
}
