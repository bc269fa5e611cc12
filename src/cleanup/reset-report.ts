// What a reset did and what it left: every phase adds to one ResetReport, which the command prints at
// the end (text, or one JSON object with -o json) instead of kubeadm's "clean up by hand" advice.

export type LeftoverKind =
  | 'file' | 'directory' | 'etcd-member' | 'container' | 'mount' | 'service'
  | 'iptables' | 'nftables' | 'ipvs' | 'ipset' | 'interface' | 'kubeconfig' | 'image';

/** Something reset did not remove, and why. */
export interface Leftover {
  readonly kind: LeftoverKind;
  /** What it is: a path, `nat KUBE-SERVICES`, `cni0`, an etcd member ID… */
  readonly item: string;
  /** One sentence: why it was left. */
  readonly reason: string;
  /** A command or step that removes it, when there is one. */
  readonly fix?: string;
}

export type ResetActionKind =
  | 'removed' | 'restored' | 'stopped' | 'unmounted' | 'etcd-member-removed' | 'containers-removed'
  | 'rules-removed' | 'interface-removed' | 'kubeconfig-entry-removed';

/** Something reset changed (or, under --dry-run, would have changed). */
export interface ResetAction {
  readonly kind: ResetActionKind;
  readonly item: string;
}

export interface ResetReportData {
  readonly apiVersion: 'output.tskubeadm.io/v1alpha1';
  readonly kind: 'ResetReport';
  readonly dryRun: boolean;
  readonly actions: readonly ResetAction[];
  readonly leftovers: readonly Leftover[];
}

/** The collector phases write into. Not frozen: it is the one mutable part of the reset context. */
export class ResetReport {
  readonly #actions: ResetAction[] = [];
  readonly #leftovers: Leftover[] = [];

  constructor(readonly dryRun: boolean) {}

  did(kind: ResetActionKind, item: string): void {
    this.#actions.push({ kind, item });
  }

  left(l: Leftover): void {
    if (!this.#leftovers.some((x) => x.kind === l.kind && x.item === l.item)) this.#leftovers.push(l);
  }

  get actions(): readonly ResetAction[] {
    return this.#actions;
  }

  get leftovers(): readonly Leftover[] {
    return this.#leftovers;
  }

  data(): ResetReportData {
    return {
      apiVersion: 'output.tskubeadm.io/v1alpha1',
      kind: 'ResetReport',
      dryRun: this.dryRun,
      actions: [...this.#actions],
      leftovers: [...this.#leftovers],
    };
  }
}
