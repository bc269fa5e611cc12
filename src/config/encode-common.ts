// Pieces shared by every kubeadm.k8s.io/v1beta4 kind, encoded as kubeadm's Go structs
// marshal them (encoding/json, then JSON → YAML): a field tagged `omitempty` disappears
// when it is "", 0, false, nil or an empty list/map; a nested struct never does (it
// prints as `{}`); a field without `omitempty` always prints, nil as `null`.
// Field tags: cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go, bootstraptoken/v1/types.go.
import type { APIEndpoint, Arg, BootstrapToken, EnvVar, HostPathMount, NodeRegistration, Taint, Timeouts } from './types.js';
import { kubeadmAPIVersion } from './defaults.js';
import { formatGoDuration } from './duration.js';

/** A JSON-shaped value, as Go would marshal it. */
export type GoValue = string | number | boolean | null | readonly GoValue[] | GoObject;
export interface GoObject {
  readonly [key: string]: GoValue;
}


/** Builds an object from entries, dropping those whose value is undefined (an omitted field). */
export function fields(entries: Readonly<Record<string, GoValue | undefined>>): GoObject {
  const out: Record<string, GoValue> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v;
  return out;
}

/** `omitempty` for strings. */
export const str = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);
/** `omitempty` for numbers. */
export const num = (n: number | undefined): number | undefined => (n === undefined || n === 0 ? undefined : n);
/** `omitempty` for booleans. */
export const flag = (b: boolean | undefined): true | undefined => (b === true ? true : undefined);
/** `omitempty` for lists (nil and empty are both dropped). */
export function list<T>(xs: readonly T[] | undefined, each: (x: T) => GoValue): readonly GoValue[] | undefined {
  return xs === undefined || xs.length === 0 ? undefined : xs.map(each);
}
/** `omitempty` for string lists. */
export const strings = (xs: readonly string[] | undefined): readonly GoValue[] | undefined => list(xs, (x) => x);

export function typeMeta(kind: string, apiVersion = kubeadmAPIVersion): GoObject {
  return { apiVersion, kind };
}

export function encodeArg(a: Arg): GoObject {
  return { name: a.name, value: a.value };
}

export function encodeEnvVar(e: EnvVar): GoObject {
  return fields({ name: e.name, value: str(e.value), valueFrom: e.valueFrom as GoObject | undefined });
}

export function encodeHostPathMount(m: HostPathMount): GoObject {
  return fields({
    name: m.name,
    hostPath: m.hostPath,
    mountPath: m.mountPath,
    readOnly: flag(m.readOnly),
    pathType: str(m.pathType),
  });
}

function encodeTaint(t: Taint): GoObject {
  return fields({ key: t.key, value: str(t.value), effect: t.effect, timeAdded: str(t.timeAdded) });
}

export function encodeAPIEndpoint(e: APIEndpoint): GoObject {
  return fields({ advertiseAddress: str(e.advertiseAddress), bindPort: num(e.bindPort) });
}

export function encodeNodeRegistration(n: NodeRegistration): GoObject {
  return fields({
    name: str(n.name),
    criSocket: str(n.criSocket),
    // `taints` has no omitempty: nil prints `taints: null`, an empty list `taints: []`.
    taints: n.taints === undefined ? null : n.taints.map(encodeTaint),
    kubeletExtraArgs: list(n.kubeletExtraArgs, encodeArg),
    ignorePreflightErrors: strings(n.ignorePreflightErrors),
    imagePullPolicy: str(n.imagePullPolicy),
    // *bool: set after defaulting, so it always prints.
    imagePullSerial: n.imagePullSerial,
  });
}

export function encodeTimeouts(t: Timeouts): GoObject {
  return {
    controlPlaneComponentHealthCheck: formatGoDuration(t.controlPlaneComponentHealthCheckMs),
    kubeletHealthCheck: formatGoDuration(t.kubeletHealthCheckMs),
    kubernetesAPICall: formatGoDuration(t.kubernetesAPICallMs),
    etcdAPICall: formatGoDuration(t.etcdAPICallMs),
    tlsBootstrap: formatGoDuration(t.tlsBootstrapMs),
    discovery: formatGoDuration(t.discoveryMs),
    upgradeManifests: formatGoDuration(t.upgradeManifestsMs),
  };
}

export function encodeBootstrapToken(t: BootstrapToken): GoObject {
  return fields({
    // `token` has no omitempty; it is always set after defaulting.
    token: t.token,
    description: str(t.description),
    // *metav1.Duration: a ttl of 0 ("never expires") still prints as 0s.
    ttl: t.ttlMs === undefined ? undefined : formatGoDuration(t.ttlMs),
    expires: str(t.expires),
    usages: strings(t.usages),
    groups: strings(t.groups),
  });
}

export function encodePatches(p: { readonly directory: string } | undefined): GoObject | undefined {
  return p === undefined ? undefined : fields({ directory: str(p.directory) });
}
