// The top-level commands, loaded on demand: a run builds only the command it was asked for
// (its modules, phase trees and flag tables), and a one-line stub of every other one so the
// root's help and "did you mean" still list them. This keeps `tskubeadm version` cold start
// small: the other commands' code is never even compiled.
import { Command } from 'commander';
import type { CliDeps } from './deps.js';

interface CommandEntry {
  readonly name: string;
  /** The command's description; equal to the full command's (a test checks it). */
  readonly summary: string;
  readonly load: () => Promise<(deps: CliDeps) => Command>;
}

/** Sorted by name, as kubeadm (cobra) lists its commands. */
export const commandTable: readonly CommandEntry[] = Object.freeze([
  {
    name: 'certs',
    summary: 'Check, renew and generate the certificates of a control plane, and make keys for --upload-certs',
    load: async () => (await import('./commands/certs.js')).certsCommand,
  },
  {
    name: 'completion',
    summary: 'Print a shell completion script for bash, zsh or fish',
    load: async () => (await import('./commands/completion.js')).completionCommand,
  },
  {
    name: 'config',
    summary: 'Work with kubeadm configuration files: print defaults, validate, migrate, list and pull images',
    load: async () => (await import('./commands/config.js')).configCommand,
  },
  {
    name: 'init',
    summary: 'Set up this machine as the first node of a new Kubernetes control plane.',
    load: async () => (await import('./commands/init.js')).initCommand,
  },
  {
    name: 'join',
    summary: 'Join this machine to an existing Kubernetes cluster, as a worker or as another control-plane node.',
    load: async () => (await import('./commands/join.js')).joinCommand,
  },
  {
    name: 'kubeconfig',
    summary: 'Kubeconfig file utilities: print a kubeconfig for an additional user',
    load: async () => (await import('./commands/kubeconfig.js')).kubeconfigCommand,
  },
  {
    name: 'reset',
    summary: "Revert the changes 'tskubeadm init' or 'tskubeadm join' made to this host: restore what they replaced, remove what they and the cluster created, keep what was there before, and report what is left.",
    load: async () => (await import('./commands/reset.js')).resetCommand,
  },
  {
    name: 'token',
    summary: 'Manage bootstrap tokens: create, list, delete and generate the tokens nodes join with',
    load: async () => (await import('./commands/token.js')).tokenCommand,
  },
  {
    name: 'version',
    summary: 'Print the version of tskubeadm and the Kubernetes version it deploys by default',
    load: async () => (await import('./commands/version.js')).versionCommand,
  },
]);

/** Every command fully built (docs, tests), or only `only` with stubs for the rest. */
export async function loadCommands(deps: CliDeps, only?: string): Promise<Command[]> {
  return Promise.all(
    commandTable.map(async (e) =>
      only === undefined || e.name === only ? (await e.load())(deps) : new Command(e.name).description(e.summary),
    ),
  );
}

/** Options of the root that take a value, so their value is not mistaken for the command name. */
const rootValueOptions = new Set(['-v', '--v', '--rootfs']);

/**
 * The command a command line asks for (`help init` asks for init), or undefined when it names
 * none the table knows (root help, a typo): then every command is built, as before.
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (rootValueOptions.has(a)) i++;
    else if (!a.startsWith('-')) words.push(a);
  }
  const name = words[0] === 'help' ? words[1] : words[0];
  return commandTable.some((e) => e.name === name) ? name : undefined;
}
