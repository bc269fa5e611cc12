// ResetConfiguration (kubeadm.k8s.io/v1beta4) from the internal model, as kubeadm marshals it.
import type { ResetConfiguration } from './types.js';
import { encodeTimeouts, fields, flag, str, strings, typeMeta, type GoObject } from './encode-common.js';

export function encodeResetConfiguration(c: ResetConfiguration): GoObject {
  return fields({
    ...typeMeta('ResetConfiguration'),
    cleanupTmpDir: flag(c.cleanupTmpDir),
    certificatesDir: str(c.certificatesDir),
    criSocket: str(c.criSocket),
    dryRun: flag(c.dryRun),
    force: flag(c.force),
    ignorePreflightErrors: strings(c.ignorePreflightErrors),
    skipPhases: strings(c.skipPhases),
    unmountFlags: strings(c.unmountFlags),
    timeouts: encodeTimeouts(c.timeouts),
  });
}
