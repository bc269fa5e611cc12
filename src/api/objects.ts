// The shape of the Kubernetes objects tskubeadm builds and reads: plain JSON, as the API serves them.
// Builders return these; the API clients (real, dry-run, test fakes) take and give them.

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  /** Absent for cluster-scoped kinds (Node, ClusterRole, ClusterRoleBinding). */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Set by the server; sent back on update for optimistic concurrency. */
  readonly resourceVersion?: string;
  readonly uid?: string;
  readonly creationTimestamp?: string;
  readonly ownerReferences?: readonly OwnerReference[];
}

/** Any API object: apiVersion, kind, metadata, and the kind's own fields. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** Names one object: its kind, name and (for namespaced kinds) namespace. */
export interface ObjectRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export function refOf(obj: KubeObject): ObjectRef {
  return { kind: obj.kind, name: obj.metadata.name, ...(obj.metadata.namespace === undefined ? {} : { namespace: obj.metadata.namespace }) };
}

/** The usual namespaces. */
export const kubeSystem = 'kube-system';
export const kubePublic = 'kube-public';
