// The kubelet files a real kubeadm (v1.35.0-alpha.0) printed for init-dry-run.config.yaml, cut out of
// ../shared/reference/kubeadm-observed/init-dry-run.txt, and the same config loaded by our loader.
import { readFileSync } from 'node:fs';
import { loadInitConfig } from '../../src/config/load.js';
import type { InitConfig } from '../../src/config/types.js';
import { fakeHost } from '../helpers/fake-host.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';

export const observedDir = 'reference/kubeadm-observed';
export const skipReference = skipWithoutShared(`${observedDir}/init-dry-run.txt`);

/** The host kubeadm ran on was not named node-1 (it wrote --hostname-override=node-1). */
export const observedHostname = 'debian';

/** The content kubeadm printed after `[dryrun] Would write file "<path>" with content:`, up to the next `[` line. */
export function observedFile(path: string): string {
  const lines = readFileSync(sharedPath(`${observedDir}/init-dry-run.txt`), 'utf8').split('\n');
  const start = lines.indexOf(`[dryrun] Would write file "${path}" with content:`);
  if (start === -1) throw new Error(`init-dry-run.txt shows no content for ${path}`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('[')) break;
    body.push(line);
  }
  return `${body.join('\n')}\n`;
}

/** The lines kubeadm printed that start with `prefix`, in order. */
export function observedLines(prefix: string): string[] {
  return readFileSync(sharedPath(`${observedDir}/init-dry-run.txt`), 'utf8').split('\n').filter((l) => l.startsWith(prefix));
}

/** init-dry-run.config.yaml loaded as `tskubeadm init --config` would load it. */
export async function observedConfig(): Promise<InitConfig> {
  const text = readFileSync(sharedPath(`${observedDir}/init-dry-run.config.yaml`), 'utf8');
  const host = fakeHost({ hostname: observedHostname, files: { '/cfg.yaml': text } });
  return loadInitConfig({ host, configPath: '/cfg.yaml', flags: {} });
}
