// kubeadm's own feature gates (app/features/features.go) as of v1.35, and the
// `--feature-gates key=true|false,...` flag syntax.
import { problem, type FieldProblem } from './field-problem.js';

export interface FeatureGate {
  readonly name: string;
  readonly stage: 'alpha' | 'beta' | 'ga' | 'deprecated';
  readonly default: boolean;
  /** Shown as a warning when the gate is set. */
  readonly note?: string;
}

export const featureGates: readonly FeatureGate[] = Object.freeze([
  { name: 'ControlPlaneKubeletLocalMode', stage: 'beta', default: true },
  { name: 'NodeLocalCRISocket', stage: 'beta', default: true },
  { name: 'RootlessControlPlane', stage: 'alpha', default: false },
  { name: 'WaitForAllControlPlaneComponents', stage: 'ga', default: true },
  // Kept readable so older files still load. PublicKeysECDSA, when set, still picks the key type
  // (src/pki/algorithms.ts clusterKeyAlgorithm), as kubeadm's EncryptionAlgorithmType() does.
  {
    name: 'PublicKeysECDSA',
    stage: 'deprecated',
    default: false,
    note: 'the PublicKeysECDSA feature gate is deprecated: set ClusterConfiguration encryptionAlgorithm (e.g. ECDSA-P256) instead; ' +
      'while it is set it decides the key type (true: ECDSA-P256, false: RSA-2048)',
  },
  { name: 'EtcdLearnerMode', stage: 'deprecated', default: true, note: 'the EtcdLearnerMode feature gate is GA and always on; remove it' },
].map((g) => Object.freeze(g as FeatureGate)));

/** Whether a gate is on for this cluster: its featureGates entry, else the gate's default. */
export function gateEnabled(cluster: { readonly featureGates: Readonly<Record<string, boolean>> }, name: string): boolean {
  return cluster.featureGates[name] ?? findFeatureGate(name)?.default ?? false;
}

function findFeatureGate(name: string): FeatureGate | undefined {
  return featureGates.find((g) => g.name === name);
}

function unknownGate(name: string): string {
  const known = featureGates.filter((g) => g.stage !== 'deprecated').map((g) => g.name).join(', ');
  return `unrecognized feature-gate key: ${name} (known gates: ${known})`;
}

/** Problems and warnings for a ClusterConfiguration featureGates map. */
export function checkFeatureGates(kind: string, gates: Readonly<Record<string, boolean>>): { problems: FieldProblem[]; warnings: string[] } {
  const problems: FieldProblem[] = [];
  const warnings: string[] = [];
  for (const name of Object.keys(gates)) {
    const g = findFeatureGate(name);
    if (g === undefined) problems.push(problem(kind, ['featureGates', name], unknownGate(name)));
    else if (g.note !== undefined) warnings.push(g.note);
  }
  return { problems, warnings };
}

/** Parses `A=true,B=false` as kubeadm's NewFeatureGate does. */
export function parseFeatureGatesFlag(text: string): { gates: Record<string, boolean>; problems: string[] } {
  const gates: Record<string, boolean> = {};
  const problems: string[] = [];
  for (const part of text.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) {
      problems.push(`missing bool value for feature-gate key:${part}`);
      continue;
    }
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (findFeatureGate(k) === undefined) {
      problems.push(unknownGate(k));
      continue;
    }
    const b = parseGoBool(v);
    if (b === undefined) problems.push(`invalid value ${v} for feature-gate key: ${k}, use true|false instead`);
    else gates[k] = b;
  }
  return { gates, problems };
}

/** Go's strconv.ParseBool. */
function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}
