// JoinResults for the schema test, from join's real builder over a join context whose discovery found
// the temp root's CA (a full join needs a cluster: the e2e join tests run that).
import type { Host } from '../../src/host/host.js';
import { joinResultOf } from '../../src/cli/commands/join-result.js';
import type { JoinResult } from '../../src/output/results.js';
import type { Kubeconfig } from '../../src/kubeconfig/kubeconfig.js';
import { joinContext } from '../helpers/join-context.js';
import { joinConfig } from '../preflight/healthy-host.js';

export async function joinResultCases(host: Host): Promise<JoinResult[]> {
  const caPem = (await host.fs.readText('/etc/kubernetes/pki/ca.crt'))!;
  const discovery = { server: 'https://cp.example.test:6443', caPem, bootstrapKubeconfig: {} as Kubeconfig, trust: 'pinned' as const };
  const worker = joinContext({ cfg: joinConfig(), host, discovery });
  const cp = joinContext({
    cfg: joinConfig((c) => ({ ...c, join: { ...c.join, controlPlane: { localAPIEndpoint: { advertiseAddress: '192.0.2.11', bindPort: 6443 }, certificateKey: '' } } })),
    host,
    discovery,
  });
  return [await joinResultOf(worker, {}), await joinResultOf(cp, { localEtcd: true })];
}
