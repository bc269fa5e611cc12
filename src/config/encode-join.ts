// JoinConfiguration (kubeadm.k8s.io/v1beta4) from the internal model, as kubeadm marshals it.
import type { JoinConfiguration } from './types.js';
import {
  encodeAPIEndpoint, encodeNodeRegistration, encodePatches, encodeTimeouts, fields, flag, str, strings, typeMeta,
  type GoObject,
} from './encode-common.js';

export function encodeJoinConfiguration(c: JoinConfiguration): GoObject {
  const d = c.discovery;
  const bt = d.bootstrapToken;
  return fields({
    ...typeMeta('JoinConfiguration'),
    dryRun: flag(c.dryRun),
    nodeRegistration: encodeNodeRegistration(c.nodeRegistration),
    caCertPath: str(c.caCertPath),
    // `discovery` has no omitempty, nor do bootstrapToken.token and file.kubeConfigPath.
    discovery: fields({
      bootstrapToken:
        bt === undefined
          ? undefined
          : fields({
              token: bt.token,
              apiServerEndpoint: str(bt.apiServerEndpoint),
              caCertHashes: strings(bt.caCertHashes),
              unsafeSkipCAVerification: flag(bt.unsafeSkipCAVerification),
            }),
      file: d.file === undefined ? undefined : { kubeConfigPath: d.file.kubeConfigPath },
      tlsBootstrapToken: str(d.tlsBootstrapToken),
    }),
    controlPlane:
      c.controlPlane === undefined
        ? undefined
        : fields({
            localAPIEndpoint: encodeAPIEndpoint(c.controlPlane.localAPIEndpoint),
            certificateKey: str(c.controlPlane.certificateKey),
          }),
    skipPhases: strings(c.skipPhases),
    patches: encodePatches(c.patches),
    timeouts: encodeTimeouts(c.timeouts),
  });
}
