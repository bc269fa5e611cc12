// The API server URLs kubeconfig files point at. kubeadm: util/endpoint.go
// (GetControlPlaneEndpoint): controlPlaneEndpoint when set, with the local bind port when it has
// no port of its own; this node's advertise address otherwise. IPv6 hosts are bracketed.
import { joinHostPort, parseHostPort } from '../config/host-port.js';
import type { APIEndpoint, ClusterConfiguration } from '../config/types.js';

function url(host: string, port: number | string): string {
  return `https://${joinHostPort(host, port)}`;
}

/** This node's own API server: https://<advertiseAddress>:<bindPort>. */
export function localEndpointURL(local: APIEndpoint): string {
  return url(local.advertiseAddress, local.bindPort);
}

/** The cluster's stable address (a load balancer), or this node's when none is configured. */
export function controlPlaneEndpointURL(cluster: Pick<ClusterConfiguration, 'controlPlaneEndpoint'>, local: APIEndpoint): string {
  if (cluster.controlPlaneEndpoint === '') return localEndpointURL(local);
  const hp = parseHostPort(cluster.controlPlaneEndpoint);
  if (!hp.ok) return localEndpointURL(local);
  return url(hp.host, hp.port === '' ? local.bindPort : hp.port);
}
