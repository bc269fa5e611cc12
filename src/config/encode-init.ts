// InitConfiguration and ClusterConfiguration (kubeadm.k8s.io/v1beta4) from the internal
// model, field for field as kubeadm marshals them (see encode-common.ts for the rules).
import type { ClusterConfiguration, ControlPlaneComponent, Etcd, InitConfiguration } from './types.js';
import {
  encodeAPIEndpoint, encodeArg, encodeBootstrapToken, encodeEnvVar, encodeHostPathMount, encodeNodeRegistration,
  encodePatches, encodeTimeouts, fields, flag, list, str, strings, typeMeta, type GoObject,
} from './encode-common.js';
import { formatGoDuration } from './duration.js';

export function encodeInitConfiguration(c: InitConfiguration): GoObject {
  return fields({
    ...typeMeta('InitConfiguration'),
    bootstrapTokens: list(c.bootstrapTokens, encodeBootstrapToken),
    dryRun: flag(c.dryRun),
    nodeRegistration: encodeNodeRegistration(c.nodeRegistration),
    localAPIEndpoint: encodeAPIEndpoint(c.localAPIEndpoint),
    certificateKey: str(c.certificateKey),
    skipPhases: strings(c.skipPhases),
    patches: encodePatches(c.patches),
    timeouts: encodeTimeouts(c.timeouts),
  });
}

export function encodeClusterConfiguration(c: ClusterConfiguration): GoObject {
  return fields({
    ...typeMeta('ClusterConfiguration'),
    etcd: encodeEtcd(c.etcd),
    networking: fields({
      serviceSubnet: str(c.networking.serviceSubnet),
      podSubnet: str(c.networking.podSubnet),
      dnsDomain: str(c.networking.dnsDomain),
    }),
    kubernetesVersion: str(c.kubernetesVersion),
    controlPlaneEndpoint: str(c.controlPlaneEndpoint),
    apiServer: fields({ ...encodeComponent(c.apiServer), certSANs: strings(c.apiServer.certSANs) }),
    controllerManager: encodeComponent(c.controllerManager),
    scheduler: encodeComponent(c.scheduler),
    dns: fields({ imageRepository: str(c.dns.imageRepository), imageTag: str(c.dns.imageTag), disabled: flag(c.dns.disabled) }),
    proxy: fields({ disabled: flag(c.proxy.disabled) }),
    certificatesDir: str(c.certificatesDir),
    imageRepository: str(c.imageRepository),
    featureGates: Object.keys(c.featureGates).length === 0 ? undefined : { ...c.featureGates },
    clusterName: str(c.clusterName),
    encryptionAlgorithm: str(c.encryptionAlgorithm),
    certificateValidityPeriod: formatGoDuration(c.certificateValidityPeriodMs),
    caCertificateValidityPeriod: formatGoDuration(c.caCertificateValidityPeriodMs),
  });
}

function encodeComponent(c: ControlPlaneComponent): GoObject {
  return fields({
    extraArgs: list(c.extraArgs, encodeArg),
    extraVolumes: list(c.extraVolumes, encodeHostPathMount),
    extraEnvs: list(c.extraEnvs, encodeEnvVar),
  });
}

function encodeEtcd(e: Etcd): GoObject {
  if (e.local !== undefined) {
    const l = e.local;
    return {
      local: fields({
        imageRepository: str(l.imageRepository),
        imageTag: str(l.imageTag),
        dataDir: l.dataDir, // no omitempty
        extraArgs: list(l.extraArgs, encodeArg),
        extraEnvs: list(l.extraEnvs, encodeEnvVar),
        serverCertSANs: strings(l.serverCertSANs),
        peerCertSANs: strings(l.peerCertSANs),
      }),
    };
  }
  const x = e.external;
  // None of ExternalEtcd's fields is omitempty.
  return {
    external: {
      endpoints: x.endpoints.length === 0 ? null : [...x.endpoints],
      caFile: x.caFile,
      certFile: x.certFile,
      keyFile: x.keyFile,
    },
  };
}
