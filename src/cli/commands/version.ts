// `tskubeadm version [-o short|json|yaml]`, in kubeadm's shapes (`clientVersion` with
// major/minor/gitVersion/…). This is the cold-start benchmark: it must not load zod,
// execa, listr2 or the config loader, and loads `yaml` only for -o yaml.
import { Command, Option } from 'commander';
import type { CliDeps } from '../deps.js';
import { buildInfo } from '../build-info.js';

/** kubeadm's version.Info, with NodeVersion in place of GoVersion/Compiler and the Kubernetes version deployed by default. */
export interface VersionInfo {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
  readonly gitCommit: string;
  readonly gitTreeState: string;
  readonly buildDate: string;
  readonly nodeVersion: string;
  readonly platform: string;
  /** The kubernetesVersion used when the configuration sets none. */
  readonly kubernetesVersion: string;
}

export function versionCommand(deps: CliDeps): Command {
  return new Command('version')
    .description('Print the version of tskubeadm and the Kubernetes version it deploys by default')
    .addOption(new Option('-o, --output <format>', 'Output format').choices(['short', 'json', 'yaml']))
    .action(async (opts: { output?: 'short' | 'json' | 'yaml' }) => {
      deps.stdout(await renderVersion(await versionInfo(), opts.output));
    });
}

async function versionInfo(): Promise<VersionInfo> {
  const { defaultKubernetesVersion } = await import('../../config/kubernetes-versions.js');
  const b = buildInfo();
  const [major = '0', minor = '0'] = b.version.split('.');
  return {
    major,
    minor,
    gitVersion: `v${b.version}`,
    gitCommit: b.gitCommit,
    gitTreeState: b.gitTreeState,
    buildDate: b.buildDate,
    nodeVersion: process.version,
    platform: `${process.platform}/${goArch(process.arch)}`,
    kubernetesVersion: defaultKubernetesVersion,
  };
}

async function renderVersion(info: VersionInfo, output: 'short' | 'json' | 'yaml' | undefined): Promise<string> {
  switch (output) {
    case 'short':
      return `${info.gitVersion}\n`;
    case 'json':
      return `${JSON.stringify({ clientVersion: info }, null, 2)}\n`;
    case 'yaml': {
      const { stringify } = await import('yaml');
      return stringify({ clientVersion: info }, { sortMapEntries: true });
    }
    default: {
      // Go's %#v of version.Info, as kubeadm prints it.
      const fields = Object.entries(info).map(([k, v]) => `${k[0]!.toUpperCase()}${k.slice(1)}:${JSON.stringify(v)}`);
      return `tskubeadm version: &version.Info{${fields.join(', ')}}\n`;
    }
  }
}

/** Node's arch names in Go's spelling (GOARCH), as kubeadm's platform field uses. */
function goArch(arch: string): string {
  return ({ x64: 'amd64', ia32: '386', ppc64: 'ppc64le' } as Record<string, string>)[arch] ?? arch;
}
