// What the plain (non-workflow) commands need from a parsed command line: the host, under
// --rootfs when given, and output at the -v level in the --log-format asked for; and, for the
// PKI commands, init's configuration read without probing the container runtime.
import type { Command } from 'commander';
import type { InitConfig } from '../config/types.js';
import type { Host } from '../host/host.js';
import { jsonLineOutput, plainOutput, type Output } from '../output/output.js';
import type { CliDeps } from './deps.js';
import { globalsOf } from './globals.js';

/** The host for this run, under --rootfs when the root program got one. */
export function hostOf(deps: CliDeps, cmd: Command): Host {
  const { rootfs } = globalsOf(cmd);
  return deps.makeHost(rootfs === undefined ? {} : { rootfs });
}

/** Plain lines, or `log` events on stderr with --log-format json; results (print) go to stdout either way. */
export function outputOf(deps: CliDeps, cmd: Command): Output {
  const { verbosity, logFormat } = globalsOf(cmd);
  const opts = { stdout: deps.stdout, stderr: deps.stderr, verbosity };
  return logFormat === 'json' ? jsonLineOutput(opts) : plainOutput(opts);
}

/** Config warnings go to stderr, as kubeadm's klog warnings do; every command marks them the same way. */
export function printWarnings(out: Output, warnings: readonly string[]): void {
  for (const w of warnings) out.warn(`[config] WARNING: ${w}`);
}

/** init's configuration from --config (or the defaults) for commands that only read the PKI: kubeadm's skipCRIDetect. */
export async function loadPkiConfig(host: Host, out: Output, configPath: string | undefined): Promise<InitConfig> {
  const { loadInitConfig } = await import('../config/load.js');
  const cfg = await loadInitConfig({ host, ...(configPath === undefined || configPath === '' ? {} : { configPath }), flags: {}, skipCriDetect: true });
  printWarnings(out, cfg.warnings);
  return cfg;
}

/** The same output with results (out.print) going to `stdout`: with -o json, stdout carries the result object
 *  only, and progress lines go where the run's renderer sends them (stderr). */
export function resultsTo(out: Output, stdout: (s: string) => void): Output {
  return {
    verbosity: out.verbosity,
    info: (line) => out.info(line),
    detail: (level, line) => out.detail(level, line),
    warn: (line) => out.warn(line),
    print: stdout,
  };
}
