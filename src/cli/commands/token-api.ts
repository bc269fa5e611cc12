// What the API subcommands of `tskubeadm token` share: --kubeconfig and --dry-run (on `token` and on each
// subcommand, as cobra's persistent flags), kubeadm's choice of kubeconfig, and the connection to the cluster.
// Only commander and types load here; the API client loads when a command connects.
import { Option, type Command } from 'commander';
import type { ApiClient } from '../../api/client.js';
import type { Host } from '../../host/host.js';
import type { Output } from '../../output/output.js';
import { hostOf, outputOf } from '../command-io.js';
import type { CliDeps } from '../deps.js';

const adminConf = '/etc/kubernetes/admin.conf';
/** kubeadm's token commands have no config timeouts unless --config gives them. */
export const defaultApiTimeoutMs = 5 * 60 * 1000;

export interface ApiOptions {
  kubeconfig?: string;
  dryRun?: boolean;
}

/** --kubeconfig and --dry-run, on `token` (hidden, for `token --dry-run list`) and on every API subcommand. */
export function apiOptions(cmd: Command, hidden: boolean): Command {
  const opts = [
    new Option('--kubeconfig <string>', 'The kubeconfig file to talk to the cluster with; when not given, the first that exists of ' +
      `$KUBECONFIG, $HOME/.kube/config and ${adminConf} (default ${adminConf})`),
    new Option('--dry-run', 'Send nothing to the cluster: print each request that would be made'),
  ];
  for (const o of opts) cmd.addOption(hidden ? o.hideHelp() : o);
  return cmd;
}

function apiOptionsOf(cmd: Command, parent: Command): ApiOptions {
  const own = cmd.opts<ApiOptions>();
  const up = parent.opts<ApiOptions>();
  const kubeconfig = own.kubeconfig ?? up.kubeconfig;
  return { ...(kubeconfig === undefined ? {} : { kubeconfig }), dryRun: own.dryRun === true || up.dryRun === true };
}

/** kubeadm's GetKubeConfigPath: the flag, else the first existing of $KUBECONFIG's files, ~/.kube/config, admin.conf. */
async function kubeconfigPath(host: Host, given: string | undefined): Promise<string> {
  if (given !== undefined && given !== '') return given;
  const fromEnv = (host.env.KUBECONFIG ?? '').split(':').filter((p) => p !== '');
  const home = host.env.HOME;
  const candidates = [...fromEnv, ...(fromEnv.length === 0 && home !== undefined && home !== '' ? [`${home}/.kube/config`] : []), adminConf];
  for (const c of candidates) if ((await host.fs.stat(c)) !== undefined) return c;
  // Unlike client-go (which names the first candidate), name the file a control-plane node has.
  return adminConf;
}

export interface ApiRun {
  readonly host: Host;
  readonly out: Output;
  readonly kubeconfigPath: string;
  readonly connect: () => Promise<ApiClient>;
}

export async function apiRun(deps: CliDeps, cmd: Command, parent: Command, timeoutMs = defaultApiTimeoutMs): Promise<ApiRun> {
  const host = hostOf(deps, cmd);
  const out = outputOf(deps, cmd);
  const o = apiOptionsOf(cmd, parent);
  const path = await kubeconfigPath(host, o.kubeconfig);
  const connector = deps.connectApi ?? (await import('../../api/connect.js')).apiConnector;
  return { host, out, kubeconfigPath: path, connect: connector({ host, out, dryRun: o.dryRun === true, kubeconfigPath: path, timeoutMs }) };
}
