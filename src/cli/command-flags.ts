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

/** init's result format (beyond kubeadm, for automation): the closing message, or one InitResult on stdout. */
export const initOutputFlag: CliFlag = { ...own('output', 'string', 'Output format of the result: text (the closing message), json or yaml (one InitResult on stdout; progress goes to stderr)', 'text'), short: 'o' };

/** join's result format (beyond kubeadm): the closing message, or one JoinResult on stdout. */
export const joinOutputFlag: CliFlag = { ...own('output', 'string', 'Output format of the result: text (the closing message), json or yaml (one JoinResult on stdout; progress goes to stderr)', 'text'), short: 'o' };

/** reset's report format (beyond kubeadm): text, or one ResetReport on stdout. */
export const resetOutputFlag: CliFlag = { ...own('output', 'string', 'Output format of the report of what reset did and left: text, json or yaml (one ResetReport on stdout; progress goes to stderr)', 'text'), short: 'o' };

/** Beyond kubeadm: how long init, join, reset and certs renew wait for another tskubeadm run on this host. */
export const lockTimeoutFlag = own('lock-timeout', 'string',
  'How long to wait for another tskubeadm run on this host to finish, e.g. 30s or 2m; 0s fails at once', '10s');

/** reset's --yes: the same as --force, under the name unattended tools expect. */
export const resetYesFlag: CliFlag = { ...own('yes', 'boolean', 'Answer yes to the confirmation (for unattended runs); the same as --force'), short: 'y' };

/** kubeadm's one-letter aliases. */
export const resetShorts: Readonly<Record<string, string>> = { force: 'f' };
