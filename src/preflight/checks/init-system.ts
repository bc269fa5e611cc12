// Which init system manages services here, as kubeadm's initsystem.GetInitSystem finds it:
// systemd (systemctl on PATH) first, then OpenRC. The service checks ask it before they ask
// about a unit.
import type { Host } from '../../host/host.js';

export type InitSystem = 'systemd' | 'openrc';

export async function initSystemOf(host: Host): Promise<InitSystem | undefined> {
  if ((await host.exec.which('systemctl')) !== undefined) return 'systemd';
  if ((await host.exec.which('openrc')) !== undefined) return 'openrc';
  return undefined;
}

/** kubeadm's warning when neither is found. */
export const noInitSystem = 'no supported init system detected, skipping checking for services';
