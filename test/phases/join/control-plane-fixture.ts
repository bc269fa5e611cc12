// What the control-plane join tests share: a first control plane's PKI made by init's certs phase on a temp root,
// uploaded by init's upload-certs phase into an in-memory API, and a second node (node-2, 192.0.2.11:6444) joining
// it with the certificate key, on its own temp root.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadInitConfig } from '../../../src/config/load.js';
import type { InitConfig, JoinConfig } from '../../../src/config/types.js';
import type { Host } from '../../../src/host/host.js';
import { captureOutput, type CapturedOutput } from '../../../src/output/output.js';
import { certs } from '../../../src/phases/init/certs.js';
import { uploadCerts } from '../../../src/phases/init/upload-certs.js';
import type { JoinContext } from '../../../src/phases/join/context.js';
import { controlPlanePrepare } from '../../../src/phases/join/control-plane-prepare.js';
import type { Phase } from '../../../src/workflow/phase.js';
import { selectPhases } from '../../../src/workflow/select.js';
import { initContext } from '../../helpers/init-context.js';
import { joinContext, type JoinContextOverrides } from '../../helpers/join-context.js';
import { memoryApi, type MemoryApi } from '../../helpers/memory-api.js';
import { runInitPhases } from '../../helpers/run-init-phases.js';
import { externalEtcdYaml, node1InitDocument } from '../init/certs-fixture.js';
import { tempRootHost } from '../../helpers/temp-root.js';
import { joinConfig } from '../../preflight/healthy-host.js';

export const keyHex = '0123456789abcdef'.repeat(4);
export const otherKeyHex = 'fedcba9876543210'.repeat(4);
export const pkiDir = 'etc/kubernetes/pki';
// Whole seconds: X.509 times have no milliseconds.
export const startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);

/** The first control plane's configuration: node-1 at 192.0.2.10, a load-balanced endpoint, a local etcd. */
function clusterYaml(externalEtcd: boolean): string {
  const etcd = externalEtcd ? externalEtcdYaml : '  local:\n    imageTag: 3.5.21-0\n';
  return `${node1InitDocument}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
encryptionAlgorithm: ECDSA-P256
controlPlaneEndpoint: cp.example.test:6443
apiServer:
  certSANs: [extra.example.test]
etcd:
${etcd}`;
}

export interface FirstNode {
  readonly root: string;
  readonly cfg: InitConfig;
  /** Holds kubeadm-certs (encrypted with keyHex), its owner token and its RBAC. */
  readonly api: MemoryApi;
}

/** init's certs and upload-certs phases on a new temp root (the caller removes it). */
export async function firstNode(o: { externalEtcd?: boolean } = {}): Promise<FirstNode> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-cp1-'));
  await writeFile(path.join(root, 'kubeadm.yaml'), clusterYaml(o.externalEtcd === true));
  const host = tempRootHost(root, { now: startedAt });
  const loaded = await loadInitConfig({ host, configPath: '/kubeadm.yaml', flags: {}, skipCriDetect: true });
  const cfg: InitConfig = { ...loaded, init: { ...loaded.init, certificateKey: keyHex } };
  await runInitPhases([certs], cfg, host, { only: 'certs' });
  if (o.externalEtcd === true) {
    // Stand-ins for the external etcd's client files, where the configuration says they are.
    await mkdir(path.join(root, 'etc/etcd'), { recursive: true });
    for (const [name, from] of [['ca.crt', 'ca.crt'], ['client.crt', 'apiserver-kubelet-client.crt'], ['client.key', 'apiserver-kubelet-client.key']]) {
      await copyFile(path.join(root, pkiDir, from!), path.join(root, 'etc/etcd', name!));
    }
  }
  const api = memoryApi();
  await uploadCerts.run!(initContext(cfg, host, captureOutput(), { api, options: { uploadCerts: true } }));
  return { root, cfg, api };
}

/** The cluster's configuration as node-2 uses it (what JoinContext.cluster() gives): its name, address and port. */
export function joiningCluster(first: InitConfig): InitConfig {
  return {
    ...first,
    init: {
      ...first.init,
      certificateKey: '',
      nodeRegistration: { ...first.init.nodeRegistration, name: 'node-2' },
      localAPIEndpoint: { advertiseAddress: '192.0.2.11', bindPort: 6444 },
    },
  };
}

export function controlPlaneJoin(certificateKey: string): JoinConfig {
  return joinConfig((c) => ({
    ...c,
    join: {
      ...c.join,
      nodeRegistration: { ...c.join.nodeRegistration, name: 'node-2' },
      controlPlane: { localAPIEndpoint: { advertiseAddress: '192.0.2.11', bindPort: 6444 }, certificateKey },
    },
  }));
}

export interface JoiningNode {
  readonly root: string;
  readonly host: Host;
  readonly out: CapturedOutput;
  readonly ctx: JoinContext;
}

/** node-2 on a new, empty temp root; `edit` may change the context's overrides (cfg, cluster, bootstrapApi…). */
export async function joiningNode(
  first: FirstNode, edit: (o: JoinContextOverrides) => JoinContextOverrides = (o) => o, only = 'control-plane-prepare',
): Promise<JoiningNode & { readonly selected: readonly string[] }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-cp2-'));
  const host = tempRootHost(root, { now: startedAt });
  const out = captureOutput();
  const selected = selectPhases([controlPlanePrepare], { only }).run.map((p) => p.path);
  const ctx = joinContext(edit({
    cfg: controlPlaneJoin(keyHex), host, out, selected, cluster: joiningCluster(first.cfg), bootstrapApi: first.api,
  }));
  return { root, host, out, ctx, selected };
}

/** Runs the selected sub-phases in order as the runner does (runIf false: skipped). */
export async function runSelected(node: { ctx: JoinContext; selected: readonly string[] }): Promise<string[]> {
  const ran: string[] = [];
  const placed = selectPhases<JoinContext>([controlPlanePrepare as Phase<JoinContext>], {}).run;
  for (const p of placed) {
    if (!node.selected.includes(p.path)) continue;
    if (p.phase.run === undefined || (p.phase.runIf !== undefined && !p.phase.runIf(node.ctx))) continue;
    await p.phase.run(node.ctx);
    ran.push(p.path);
  }
  return ran;
}

/** Every file under root, relative, sorted. */
export async function filesUnder(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
}

export const removeRoot = (root: string) => rm(root, { recursive: true, force: true });

/** What `p` rejected with; fails the test when it resolves. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected the phase to fail');
}
