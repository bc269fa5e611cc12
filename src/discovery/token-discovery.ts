// Token discovery, kubeadm's algorithm (discovery/token/token.go): fetch cluster-info without verifying TLS,
// wait for this token ID's signature, verify it with the token secret, check the CA against the pins, fetch
// again trusting only that CA and require the same kubeconfig. The answer is cluster-info's server and CA.
import { isValidBootstrapToken, tokenPatternText } from '../config/token.js';
import type { JoinConfiguration } from '../config/types.js';
import { ConfigError } from '../errors.js';
import type { Host } from '../host/host.js';
import { parseKubeconfig } from '../kubeconfig/kubeconfig.js';
import type { Output } from '../output/output.js';
import { kubeconfigCluster } from '../tokens/join-command.js';
import { jwsKeyPrefix, verifyDetached } from '../tokens/jws.js';
import { tokenIdOf, tokenSecretOf } from '../tokens/token-secret.js';
import { caCertHashProblem } from '../config/validate-join.js';
import { matchPins, pinCommand } from './ca-pins.js';
import { fetchClusterInfo } from './cluster-info-fetch.js';
import { DiscoveryError, identityPrefix } from './discovery-error.js';
import { fetchError, noKubeconfigError, noSignatureError } from './fetch-errors.js';

type TokenDiscovery = NonNullable<JoinConfiguration['discovery']['bootstrapToken']>;

export interface FoundCluster {
  readonly server: string;
  readonly caPem: string;
  readonly trust: 'pinned' | 'unpinned';
}

/** Input problems that must stop discovery before it sends anything: a malformed pin or token. */
function checkInput(bt: TokenDiscovery): void {
  const problems = bt.caCertHashes.flatMap((h, i) => {
    const why = caCertHashProblem(h);
    return why === undefined ? [] : [{ field: `discovery.bootstrapToken.caCertHashes[${i}]`, message: `invalid discovery token CA certificate hash: ${why}` }];
  });
  if (!isValidBootstrapToken(bt.token)) {
    problems.push({ field: 'discovery.bootstrapToken.token', message: `the bootstrap token does not match the pattern "${tokenPatternText}"` });
  }
  if (problems.length > 0) {
    throw new ConfigError(problems, { fix: `give the pin as "sha256:<64 hex digits>" and the token exactly as "tskubeadm token create --print-join-command" prints them; the pin can be computed on a control-plane node with: ${pinCommand}` });
  }
}

export async function tokenDiscovery(o: { host: Host; out: Output; bt: TokenDiscovery; timeoutMs: number }): Promise<FoundCluster> {
  const { host, out, bt } = o;
  checkInput(bt);
  const id = tokenIdOf(bt.token);
  const secret = tokenSecretOf(bt.token);
  const endpointURL = `https://${bt.apiServerEndpoint}`;
  const signatureKey = `${jwsKeyPrefix}${id}`;
  const started = host.clock.now().getTime();
  // Even when cluster-info exists the bootstrapsigner adds the signature a bit later: wait for it.
  const ready = (data: Readonly<Record<string, string>>) =>
    data[signatureKey] === undefined ? `could not find a JWS signature in the cluster-info ConfigMap for token ID "${id}"` : undefined;

  out.detail(1, `[discovery] Created cluster-info discovery client, requesting info from "${bt.apiServerEndpoint}"`);
  const first = await fetchClusterInfo({ net: host.net, clock: host.clock, server: endpointURL, trust: { insecure: true }, timeoutMs: o.timeoutMs, ready });
  if (!first.ok) throw fetchError(first.failure, { server: endpointURL, timeoutMs: o.timeoutMs, attempts: first.attempts, tokenId: id });

  const kubeconfigText = first.data['kubeconfig'];
  if (kubeconfigText === undefined || kubeconfigText === '') throw noKubeconfigError();
  const jws = first.data[signatureKey] ?? '';
  if (jws === '') throw noSignatureError(id);
  if (!verifyDetached(jws, kubeconfigText, id, secret)) {
    throw new DiscoveryError('bad-signature', `${identityPrefix}failed to verify JWS signature of received cluster info object, can't trust this API Server`, {
      fix: `the token's secret does not match the one that signed cluster-info for token ID "${id}": copy the token again from ` +
        '"tskubeadm token create --print-join-command" on a control-plane node; if it is right, something between this node and the API server alters its answers',
    });
  }
  let server: string;
  let caPem: string | undefined;
  try {
    const cluster = kubeconfigCluster(parseKubeconfig(kubeconfigText, 'the cluster-info ConfigMap'), 'the cluster-info ConfigMap');
    server = cluster.server;
    caPem = cluster.certificateAuthorityData;
  } catch (err) {
    throw new DiscoveryError('no-kubeconfig', `${identityPrefix}couldn't parse the kubeconfig file in the cluster-info ConfigMap: ${(err as Error).message}`, {
      fix: 'on a control-plane node run "tskubeadm init phase bootstrap-token" to publish cluster-info again', cause: err,
    });
  }
  if (caPem === undefined || caPem === '') {
    throw new DiscoveryError('no-kubeconfig', `${identityPrefix}the kubeconfig in the cluster-info ConfigMap carries no CA certificate`, {
      fix: 'on a control-plane node run "tskubeadm init phase bootstrap-token" to publish cluster-info again from an admin.conf that embeds the CA',
    });
  }
  if (bt.caCertHashes.length === 0) {
    out.detail(1, `[discovery] Cluster info signature and contents are valid and no TLS pinning was specified, will use API Server "${bt.apiServerEndpoint}"`);
    return { server, caPem, trust: 'unpinned' };
  }
  let pins: ReturnType<typeof matchPins>;
  try {
    pins = matchPins(caPem, bt.caCertHashes);
  } catch (err) {
    throw new DiscoveryError('ca-mismatch', `${identityPrefix}failed to parse cluster CA from the cluster-info ConfigMap: ${(err as Error).message}`, {
      fix: 'on a control-plane node run "tskubeadm init phase bootstrap-token" to publish cluster-info again', cause: err,
    });
  }
  if (!pins.matched) {
    throw new DiscoveryError('ca-mismatch',
      `${identityPrefix}cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${pins.presented.join(':')}" are pinned ` +
      `(the server presented ${pins.presented.join(', ') || 'no certificate'}; pinned: ${bt.caCertHashes.join(', ')})`, {
        fix: 'use the pin "tskubeadm token create --print-join-command" prints on a control-plane node, or compute it there with: ' +
          `${pinCommand}; a wrong pin can also mean this is not the cluster you meant`,
      });
  }

  out.detail(1, `[discovery] Requesting info from "${bt.apiServerEndpoint}" again to validate TLS against the pinned public key`);
  const timeLeft = Math.max(0, o.timeoutMs - (host.clock.now().getTime() - started));
  const second = await fetchClusterInfo({ net: host.net, clock: host.clock, server: endpointURL, trust: { ca: caPem }, timeoutMs: timeLeft, ready });
  if (!second.ok) throw fetchError(second.failure, { server: endpointURL, timeoutMs: o.timeoutMs, attempts: second.attempts, tokenId: id });
  if (second.data['kubeconfig'] !== kubeconfigText) {
    throw new DiscoveryError('changed', `${identityPrefix}the second kubeconfig from the cluster-info ConfigMap (using validated TLS) was different from the first`, {
      fix: 'cluster-info changed between two reads: run the join again; if it keeps failing, something between this node and the API server alters its answers (a proxy or an attack)',
    });
  }
  out.detail(1, `[discovery] Cluster info signature and contents are valid and TLS certificate validates against pinned roots, will use API Server "${bt.apiServerEndpoint}"`);
  return { server, caPem, trust: 'pinned' };
}
