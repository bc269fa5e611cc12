// What makes a node "this node of this cluster" for a resumable run. A progress record made under another
// identity belongs to a different setup: resuming it would mix two clusters' files, so the run stops (exit 7).
// Everything else in the configuration is a per-phase input (inputs.ts): a change re-runs what it affects.
import path from 'node:path/posix';
import type { InitConfig, JoinConfig } from '../config/types.js';
import { TskubeadmError, exitCodes } from '../errors.js';
import { canonicalHash } from './canonical.js';
import type { ResumableCommand } from './progress.js';

/** Field name → value, in the order they are compared (the first difference is the one reported). */
export type Identity = Readonly<Record<string, string>>;

export function initIdentity(cfg: InitConfig): Identity {
  const c = cfg.cluster;
  const e = cfg.init.localAPIEndpoint;
  return {
    command: 'init',
    nodeName: cfg.init.nodeRegistration.name,
    clusterName: c.clusterName,
    certificatesDir: c.certificatesDir,
    controlPlaneEndpoint: c.controlPlaneEndpoint,
    advertiseAddress: `${e.advertiseAddress}:${e.bindPort}`,
    serviceSubnet: c.networking.serviceSubnet,
    podSubnet: c.networking.podSubnet,
    dnsDomain: c.networking.dnsDomain,
    etcd: c.etcd.local !== undefined ? `local ${c.etcd.local.dataDir}` : `external ${c.etcd.external.endpoints.join(',')}`,
  };
}

export function joinIdentity(cfg: JoinConfig): Identity {
  const d = cfg.join.discovery;
  const cp = cfg.join.controlPlane;
  return {
    command: 'join',
    nodeName: cfg.join.nodeRegistration.name,
    discovery: d.bootstrapToken !== undefined ? d.bootstrapToken.apiServerEndpoint : `file ${d.file?.kubeConfigPath ?? ''}`,
    role: cp === undefined ? 'worker' : `control-plane ${cp.localAPIEndpoint.advertiseAddress}:${cp.localAPIEndpoint.bindPort}`,
    // A join learns the cluster's certificatesDir only after discovery; its CA file's directory is where it starts.
    certificatesDir: path.dirname(cfg.join.caCertPath),
  };
}

export function identityHash(id: Identity): string {
  return canonicalHash(id);
}

/** The first field whose value differs, in `recorded`'s order then `current`'s. */
export function firstDifference(recorded: Identity, current: Identity): { field: string; recorded: string; current: string } | undefined {
  for (const field of new Set([...Object.keys(recorded), ...Object.keys(current)])) {
    const a = recorded[field] ?? '(unset)';
    const b = current[field] ?? '(unset)';
    if (a !== b) return { field, recorded: a, current: b };
  }
  return undefined;
}

/** This host was set up by another configuration (or the other command) than the one given now. */
export class ResumeConflictError extends TskubeadmError {
  constructor(o: { command: ResumableCommand; recordedCommand: ResumableCommand; field: string; recorded: string; current: string; file: string }) {
    super(
      `this node was set up by an earlier tskubeadm ${o.recordedCommand} with ${o.field} "${o.recorded}", not "${o.current}" (recorded in ${o.file})`,
      {
        exitCode: exitCodes.conflict,
        fix: `run "tskubeadm reset -f" first to start this node over, or run tskubeadm ${o.command} with the configuration of that earlier run to resume it`,
      },
    );
  }
}
ResumeConflictError.prototype.name = 'ResumeConflictError';
