// Flags the workflow commands own themselves (not config fields), with kubeadm's names,
// meanings and defaults. Everything else init, join and reset accept is declared once, in the
// config flag tables (src/config/flags.ts).
import type { CliFlag } from './flag-options.js';

const own = (name: string, kind: CliFlag['kind'], description: string, defaultText?: string): CliFlag => ({
  name,
  kind,
  description,
  allowedWithConfig: true,
  target: 'command',
  ...(defaultText === undefined ? {} : { defaultText }),
});

/** Added to a workflow command whose table lacks it (every workflow command can skip phases). */
export const skipPhasesFlag = own('skip-phases', 'list', 'List of phases to be skipped.');

/** Only `init phase …` subcommands take these, when a phase lists them (kubeadm's SetAdditionalFlags). */
export const initPhaseOnlyFlags: readonly CliFlag[] = [
  own('kubeconfig', 'string', 'The kubeconfig file to use when talking to the cluster.', '/etc/kubernetes/admin.conf'),
  own('kubeconfig-dir', 'string', 'The path where to save the kubeconfig file.', '/etc/kubernetes'),
];

/** init's result format (beyond kubeadm, for automation): the closing message, or one JSON object on stdout. */
export const initOutputFlag: CliFlag = { ...own('output', 'string', 'Output format of the result: text (the closing message) or json (one object on stdout; progress goes to stderr)', 'text'), short: 'o' };

/** reset's report format (beyond kubeadm): text, or one ResetReport JSON object on stdout. */
export const resetOutputFlag: CliFlag = { ...own('output', 'string', 'Output format of the report of what reset did and left: text or json (one object on stdout; progress goes to stderr)', 'text'), short: 'o' };

/** kubeadm's one-letter aliases. */
export const resetShorts: Readonly<Record<string, string>> = { force: 'f' };
