// cloud-init user-data (a #cloud-config document) that boots a machine into a cluster:
// write_files puts the config (0600) and the bootstrap script (0700) in place during
// cloud-init's init stage; runcmd starts the script in its final stage, after networking.
// Built as an object and serialized; the only text assembled by hand is the header comment.
import { Document, isSeq, type YAMLSeq } from 'yaml';
import { bootstrapScript } from './bootstrap-script.js';
import type { RoleConfig } from './role-config.js';
import { commandOf, type Role } from './roles.js';

/** Where things go on the machine. The sentinel and binary paths can be changed from the command line. */
export const userDataPaths = Object.freeze({
  config: '/run/tskubeadm/kubeadm.yaml',
  script: '/usr/local/lib/tskubeadm/bootstrap.sh',
  log: '/var/log/tskubeadm-bootstrap.log',
  // Cluster API's bootstrap contract writes /run/cluster-api/bootstrap-success.complete the same way.
  sentinel: '/run/tskubeadm/bootstrap-success.complete',
  bin: '/usr/local/bin/tskubeadm',
  cloudInitOutput: '/var/log/cloud-init-output.log',
});

export interface UserDataInput {
  readonly role: Role;
  readonly config: RoleConfig;
  readonly binPath: string;
  readonly installFrom: string | undefined;
  readonly sentinelPath: string;
  /** Overrides for tests, which run the script in a temp dir; the machine's paths otherwise. */
  readonly paths?: { readonly config?: string; readonly script?: string; readonly log?: string };
}

export interface WriteFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

export interface CloudConfig {
  readonly write_files: readonly WriteFile[];
  readonly runcmd: readonly (readonly string[])[];
  readonly output: { readonly all: string };
}

export function cloudConfig(input: UserDataInput): CloudConfig {
  const paths: { config: string; script: string; log: string } = { ...userDataPaths, ...input.paths };
  const script = bootstrapScript({
    command: commandOf(input.role),
    uploadCerts: input.config.uploadCerts,
    configPath: paths.config,
    binPath: input.binPath,
    installFrom: input.installFrom,
    sentinelPath: input.sentinelPath,
    logPath: paths.log,
  });
  return {
    write_files: [
      { path: paths.config, owner: 'root:root', permissions: '0600', content: input.config.text },
      { path: paths.script, owner: 'root:root', permissions: '0700', content: script },
    ],
    // An argv list: cloud-init runs it without a shell.
    runcmd: [[paths.script]],
    // Every stage's output to the log file and, through tee's stdout, the console.
    output: { all: `| tee -a ${userDataPaths.cloudInitOutput}` },
  };
}

export type UserDataFormat = 'yaml' | 'json';

/** The user-data in the chosen format. */
export function renderUserData(input: UserDataInput, format: UserDataFormat): string {
  const cfg = cloudConfig(input);
  if (format === 'json') return encodeCloudConfigJson(cfg);
  const log = input.paths?.log ?? userDataPaths.log;
  return encodeCloudConfigYaml(cfg, [
    `Boots this machine as a Kubernetes ${input.role} node with \`tskubeadm ${commandOf(input.role)}\` (rendered by \`tskubeadm config cloud-init\`).`,
    `Success writes "success" to ${input.sentinelPath}; a failure prints "tskubeadm bootstrap FAILED (exit N): see ${log}" on the console.`,
  ]);
}

/** The #cloud-config text: cloud-init reads YAML 1.1 (PyYAML), so strings such as "0600" or "yes" are quoted. */
export function encodeCloudConfigYaml(cfg: CloudConfig, notes: readonly string[] = []): string {
  const doc = new Document(cfg, { version: '1.1' });
  for (const entry of (doc.get('runcmd') as YAMLSeq).items) if (isSeq(entry)) entry.flow = true;
  // cloud-init recognises user-data by this exact first line.
  const header = ['#cloud-config', ...notes.map((n) => `# ${n}`)].join('\n');
  return `${header}\n${doc.toString({ blockQuote: 'literal', lineWidth: 0 })}`;
}

/** The same user-data as JSON, for tooling: JSON is YAML, but the #cloud-config header line is lost. */
export function encodeCloudConfigJson(cfg: CloudConfig): string {
  return `${JSON.stringify(cfg, null, 2)}\n`;
}
