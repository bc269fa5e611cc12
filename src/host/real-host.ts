// The machine itself.
import type { Host, Mutation } from './host.js';
import { identityMapping, nodeFs } from './node-fs.js';
import { realExec } from './real-exec.js';
import { realNet } from './real-net.js';
import { realClock } from './real-clock.js';
import { realSystem } from './real-system.js';

export interface RealHostOptions {
  /** The environment the host reports (default: a copy of process.env). Child processes still inherit process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where relative paths are taken from (default: process.cwd()). */
  readonly cwd?: string;
}

export function realHost(opts: RealHostOptions = {}): Host {
  const mutations: Mutation[] = [];
  const env = Object.freeze({ ...(opts.env ?? process.env) });
  const system = realSystem();
  return {
    fs: nodeFs(mutations, { ...identityMapping, cwd: opts.cwd ?? process.cwd() }),
    exec: realExec(mutations, () => env.PATH),
    net: realNet(system),
    system,
    clock: realClock(),
    env,
    mutations,
    dryRun: false,
  };
}
