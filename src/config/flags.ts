// Command-line flags that feed the configuration, declared as data. The CLI builds its
// commander options from these tables; the config loader applies the values the user
// set and enforces kubeadm's rule that only some of them may be mixed with --config.

export type FlagKind = 'string' | 'boolean' | 'list';

export interface ConfigFlag {
  /** Long name without dashes, exactly kubeadm's. */
  readonly name: string;
  readonly description: string;
  readonly kind: FlagKind;
  /** Shown in help, e.g. "6443". */
  readonly defaultText?: string;
  /** kubeadm lets these be combined with --config; every other one is refused with --config. */
  readonly allowedWithConfig: boolean;
}

/** Values of the flags the user actually set (absent = not given). Lists are already split on commas. */
export type FlagValues = Readonly<Record<string, string | boolean | readonly string[]>>;
