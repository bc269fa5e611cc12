// Where the machine downloads tskubeadm from. curl fetches it as root at boot, so only
// schemes that name a file are accepted; plain http works but is called out.
import { UsageError } from '../errors.js';

export interface InstallUrl {
  readonly url: string;
  readonly warning?: string;
}

export function checkInstallUrl(value: string): InstallUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--install-from "${value}" is not a URL`, { fix: 'give the full URL of the tskubeadm executable, e.g. https://example.com/tskubeadm-linux-amd64' });
  }
  if (url.protocol === 'https:' || url.protocol === 'file:') return { url: value };
  if (url.protocol === 'http:') {
    return {
      url: value,
      warning: `--install-from ${value} is plain http: anyone on the network path can replace the executable the machine runs as root; prefer https`,
    };
  }
  throw new UsageError(`--install-from "${value}" uses ${url.protocol.replace(/:$/, '')}, which the machine cannot download from`, {
    fix: 'give an https:// (or file://) URL',
  });
}
