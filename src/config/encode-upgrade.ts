// UpgradeConfiguration (kubeadm.k8s.io/v1beta4). The internal model has no upgrade command
// yet, so the shape lives here; `undefined` stands for Go's nil pointer (omitted), and
// booleans kubeadm keeps as *bool print whenever they are set, false included.
import type { ImagePullPolicy, Timeouts } from './types.js';
import { encodeTimeouts, fields, num, str, strings, typeMeta, type GoObject } from './encode-common.js';

interface UpgradeCommon {
  readonly dryRun?: boolean;
  readonly ignorePreflightErrors?: readonly string[];
}

export interface UpgradeConfiguration {
  readonly apply: UpgradeCommon & {
    readonly kubernetesVersion?: string;
    readonly allowExperimentalUpgrades?: boolean;
    readonly allowRCUpgrades?: boolean;
    readonly certificateRenewal?: boolean;
    readonly etcdUpgrade?: boolean;
    readonly forceUpgrade?: boolean;
    readonly patchesDirectory?: string;
    readonly printConfig?: boolean;
    readonly skipPhases?: readonly string[];
    readonly imagePullPolicy?: ImagePullPolicy;
    readonly imagePullSerial?: boolean;
  };
  readonly diff: { readonly kubernetesVersion?: string; readonly contextLines?: number };
  readonly node: UpgradeCommon & {
    readonly certificateRenewal?: boolean;
    readonly etcdUpgrade?: boolean;
    readonly skipPhases?: readonly string[];
    readonly patchesDirectory?: string;
    readonly imagePullPolicy?: ImagePullPolicy;
    readonly imagePullSerial?: boolean;
  };
  readonly plan: UpgradeCommon & {
    readonly kubernetesVersion?: string;
    readonly allowExperimentalUpgrades?: boolean;
    readonly allowRCUpgrades?: boolean;
    readonly printConfig?: boolean;
    readonly etcdUpgrade?: boolean;
  };
  readonly timeouts: Timeouts;
}

const patches = (dir: string | undefined): GoObject | undefined => (dir === undefined ? undefined : fields({ directory: str(dir) }));

export function encodeUpgradeConfiguration(c: UpgradeConfiguration): GoObject {
  const { apply: a, diff: d, node: n, plan: p } = c;
  return fields({
    ...typeMeta('UpgradeConfiguration'),
    apply: fields({
      kubernetesVersion: str(a.kubernetesVersion),
      allowExperimentalUpgrades: a.allowExperimentalUpgrades,
      allowRCUpgrades: a.allowRCUpgrades,
      certificateRenewal: a.certificateRenewal,
      dryRun: a.dryRun,
      etcdUpgrade: a.etcdUpgrade,
      forceUpgrade: a.forceUpgrade,
      ignorePreflightErrors: strings(a.ignorePreflightErrors),
      patches: patches(a.patchesDirectory),
      printConfig: a.printConfig,
      skipPhases: strings(a.skipPhases),
      imagePullPolicy: str(a.imagePullPolicy),
      imagePullSerial: a.imagePullSerial,
    }),
    diff: fields({ kubernetesVersion: str(d.kubernetesVersion), contextLines: num(d.contextLines) }),
    node: fields({
      certificateRenewal: n.certificateRenewal,
      dryRun: n.dryRun,
      etcdUpgrade: n.etcdUpgrade,
      ignorePreflightErrors: strings(n.ignorePreflightErrors),
      skipPhases: strings(n.skipPhases),
      patches: patches(n.patchesDirectory),
      imagePullPolicy: str(n.imagePullPolicy),
      imagePullSerial: n.imagePullSerial,
    }),
    plan: fields({
      kubernetesVersion: str(p.kubernetesVersion),
      allowExperimentalUpgrades: p.allowExperimentalUpgrades,
      allowRCUpgrades: p.allowRCUpgrades,
      dryRun: p.dryRun,
      ignorePreflightErrors: strings(p.ignorePreflightErrors),
      printConfig: p.printConfig,
      etcdUpgrade: p.etcdUpgrade,
    }),
    timeouts: encodeTimeouts(c.timeouts),
  });
}
