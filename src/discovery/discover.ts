// Join's discovery: find the cluster and decide to trust it (token or file discovery), then build the
// kubeconfig the TLS bootstrap and join's own API reads use. kubeadm: discovery/discovery.go For.
import type { JoinConfiguration } from '../config/types.js';
import type { Host } from '../host/host.js';
import { currentEntries, tokenKubeconfig, type Kubeconfig } from '../kubeconfig/kubeconfig.js';
import type { Output } from '../output/output.js';
import type { Discovered } from './discovered.js';
import { DiscoveryError } from './discovery-error.js';
import { fileDiscovery } from './file-discovery.js';
import { tokenDiscovery } from './token-discovery.js';

/** kubeadm's names in the TLS bootstrap kubeconfig (discovery.TokenUser, the default cluster name). */
export const tlsBootstrapUser = 'tls-bootstrap-token-user';
export const tlsBootstrapClusterName = 'kubernetes';

/** The TLS bootstrap kubeconfig: cluster "kubernetes" (server + CA data), user "tls-bootstrap-token-user" with
 *  the token, context "tls-bootstrap-token-user@kubernetes". */
export function bootstrapKubeconfigFor(cluster: { readonly server: string; readonly caPem: string }, token: string): Kubeconfig {
  return tokenKubeconfig({ clusterName: tlsBootstrapClusterName, server: cluster.server, caPem: cluster.caPem, user: tlsBootstrapUser }, token);
}

const noCredentials = 'could not find authentication credentials for the TLS bootstrap process. Please use Token discovery, ' +
  'a discovery file with embedded authentication credentials or a discovery file without authentication credentials but with the TLSBootstrapToken flag';

/** Runs the discovery the configuration asks for, within join.timeouts.discoveryMs on the host's clock. */
export async function discover(o: { host: Host; out: Output; join: JoinConfiguration }): Promise<Discovered> {
  const { host, out, join } = o;
  const d = join.discovery;
  const timeoutMs = join.timeouts.discoveryMs;
  const tlsToken = d.tlsBootstrapToken;
  if (d.file !== undefined) {
    const found = await fileDiscovery({ host, out, location: d.file.kubeConfigPath, timeoutMs });
    if (tlsToken !== '') {
      out.detail(1, '[discovery] Using provided TLSBootstrapToken as authentication credentials for the join process');
      return { server: found.server, caPem: found.caPem, bootstrapKubeconfig: bootstrapKubeconfigFor(found, tlsToken), trust: 'file' };
    }
    if (!found.hasCredentials || currentEntries(found.kubeconfig).user === undefined) {
      throw new DiscoveryError('bad-file', noCredentials, {
        fix: `add a user with a token or client certificate to ${d.file.kubeConfigPath}, or pass --tls-bootstrap-token (discovery.tlsBootstrapToken) with a bootstrap token`,
      });
    }
    return { server: found.server, caPem: found.caPem, bootstrapKubeconfig: found.kubeconfig, trust: 'file' };
  }
  if (d.bootstrapToken !== undefined) {
    const found = await tokenDiscovery({ host, out, bt: d.bootstrapToken, timeoutMs });
    // tlsBootstrapToken defaults to the discovery token; an empty one is refused by validation.
    const token = tlsToken !== '' ? tlsToken : d.bootstrapToken.token;
    return { server: found.server, caPem: found.caPem, bootstrapKubeconfig: bootstrapKubeconfigFor(found, token), trust: found.trust };
  }
  throw new DiscoveryError('bad-file', "couldn't find a valid discovery configuration", {
    fix: 'give the API server endpoint with --token and --discovery-token-ca-cert-hash, --join-string, or --discovery-file',
  });
}
