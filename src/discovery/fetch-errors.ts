// The DiscoveryError for a cluster-info wait that ran out: the last failure decides the reason and the fix.
import { formatGoDuration } from '../config/duration.js';
import { DiscoveryError, identityPrefix } from './discovery-error.js';
import { clusterInfoPath, type FetchFailure } from './cluster-info-fetch.js';

/** Node's codes for a server certificate that does not verify (tls.connect), vs. one for another name. */
const altNameCodes = new Set(['ERR_TLS_CERT_ALTNAME_INVALID']);
const untrustedCertCodes = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

export interface WaitContext {
  /** `https://host:port` requested. */
  readonly server: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  /** For messages about the token's signature. */
  readonly tokenId?: string;
}

/** Why the wait for cluster-info ended without it, as one DiscoveryError. */
export function fetchError(failure: FetchFailure | undefined, w: WaitContext): DiscoveryError {
  const url = `${w.server}${clusterInfoPath}`;
  const hostPort = w.server.replace(/^https:\/\//, '');
  const after = `(gave up after ${formatGoDuration(w.timeoutMs)}, ${w.attempts} attempt${w.attempts === 1 ? '' : 's'})`;
  if (failure === undefined || failure.kind === 'network') {
    const detail = failure?.detail ?? 'no answer';
    const code = failure?.kind === 'network' ? failure.code ?? '' : '';
    let fix = `check that ${hostPort} is the control-plane address and port, that no firewall blocks it, and that kube-apiserver runs there ` +
      '(on the control-plane node: crictl ps --name kube-apiserver); if it is still starting, raise timeouts.discovery';
    if (altNameCodes.has(code)) {
      const host = new URL(w.server).hostname.replace(/^\[|\]$/g, '');
      fix = `join through an address the API server certificate names, or add ${host} to apiServer.certSANs on the control plane and ` +
        'renew its certificate (tskubeadm init phase certs apiserver after removing apiserver.crt/.key)';
    } else if (untrustedCertCodes.has(code)) {
      fix = `check that ${hostPort} is this cluster's API server and not a proxy presenting its own certificate; the server must present a certificate signed by the cluster CA`;
    }
    return new DiscoveryError('unreachable', `${identityPrefix}failed to request the cluster-info ConfigMap from ${url}: ${detail} ${after}`, { fix });
  }
  if (failure.kind === 'forbidden') {
    return new DiscoveryError('forbidden',
      `${identityPrefix}the API server refused anonymous access to the cluster-info ConfigMap (HTTP ${failure.status}: ${failure.detail}) ${after}`, {
        fix: 'on a control-plane node run "tskubeadm init phase bootstrap-token" (it lets anonymous clients read kube-public/cluster-info), ' +
          'and check that kube-apiserver does not run with --anonymous-auth=false',
      });
  }
  if (failure.kind === 'status') {
    if (failure.status === 404) {
      return new DiscoveryError('no-kubeconfig',
        `${identityPrefix}the API server has no kube-public/cluster-info ConfigMap (${failure.detail}): it isn't set up for token bootstrapping ${after}`, {
          fix: 'on a control-plane node run "tskubeadm init phase bootstrap-token", which publishes cluster-info; or join with --discovery-file',
        });
    }
    return new DiscoveryError('unreachable', `${identityPrefix}failed to request the cluster-info ConfigMap from ${url}: ${failure.detail} ${after}`, {
      fix: `check the API server at ${hostPort}: its logs on the control-plane node (crictl logs of kube-apiserver) say why it answers so`,
    });
  }
  if (failure.data['kubeconfig'] === undefined || failure.data['kubeconfig'] === '') return noKubeconfigError();
  return noSignatureError(w.tokenId ?? '', after);
}

export function noKubeconfigError(): DiscoveryError {
  return new DiscoveryError('no-kubeconfig',
    `${identityPrefix}there is no kubeconfig key in the cluster-info ConfigMap. This API Server isn't set up for token bootstrapping, can't connect`, {
      fix: 'on a control-plane node run "tskubeadm init phase bootstrap-token", which publishes cluster-info; or join with --discovery-file',
    });
}

export function noSignatureError(tokenId: string, after = ''): DiscoveryError {
  return new DiscoveryError('no-signature',
    `${identityPrefix}token id "${tokenId}" is invalid for this cluster or it has expired${after === '' ? '' : ` ${after}`}`, {
      fix: 'create a new token on a control-plane node with "tskubeadm token create --print-join-command" and join with the command it prints',
    });
}
