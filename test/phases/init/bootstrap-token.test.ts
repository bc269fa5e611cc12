// init's bootstrap-token phase against the in-memory API: every request and object as a real kubeadm
// printed them for init-dry-run.config.yaml, its lines, --skip-token-print, several tokens, a re-run
// over existing objects, a CA named by path, a missing admin.conf, and the signed cluster-info of --dry-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { InitConfig } from '../../../src/config/types.js';
import { CertificateError } from '../../../src/errors.js';
import { encodeKubeconfig, tokenKubeconfig } from '../../../src/kubeconfig/kubeconfig.js';
import { captureOutput } from '../../../src/output/output.js';
import { bootstrapToken } from '../../../src/phases/init/bootstrap-token.js';
import type { InitOptions } from '../../../src/phases/init/context.js';
import { verifyDetached } from '../../../src/tokens/jws.js';
import { observedRequests, shownAs } from '../../helpers/observed-api.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { memoryApi, type MemoryApi } from '../../helpers/memory-api.js';
import { observedConfig, observedLines, skipReference } from '../../kubelet/reference.js';

/** The run's clock: the observed Secret expires 24h later, at 2026-11-26T13:15:47Z. */
const now = '2026-11-25T13:15:47Z';
const section = () => observedRequests('[bootstrap-token] Using token', '[dryrun] Would perform action LIST on resource "deployments"');

/** The CA and server kubeadm's admin.conf held, taken back out of the cluster-info it published. */
function observedCluster(): { caPem: string; server: string } {
  const cm = section().find((r) => r.resource === 'configmaps' && r.verb === 'CREATE')!;
  const kubeconfig = parse(parse(cm.body!).data.kubeconfig);
  const c = kubeconfig.clusters[0].cluster;
  return { caPem: Buffer.from(c['certificate-authority-data'], 'base64').toString(), server: c.server };
}

function adminConf(caPem: string, server: string): string {
  return encodeKubeconfig(tokenKubeconfig({ clusterName: 'kubernetes', server, caPem, user: 'kubernetes-admin' }, 'not-a-real-token'));
}

async function run(cfg: InitConfig, o: { api?: MemoryApi; files?: Record<string, string>; dryRun?: boolean; options?: Partial<InitOptions> } = {}) {
  const { caPem, server } = observedCluster();
  const host = fakeHost({ now, files: o.files ?? { '/etc/kubernetes/admin.conf': adminConf(caPem, server) } });
  const api = o.api ?? memoryApi();
  const out = captureOutput();
  await bootstrapToken.run!(initContext(cfg, host, out, { api, dryRun: o.dryRun ?? false, ...(o.options ? { options: o.options } : {}) }));
  return { api, out };
}

test('every request and object as kubeadm sent them, in order, with its lines', { skip: skipReference }, async () => {
  const { api, out } = await run(await observedConfig());
  assert.deepEqual(shownAs(api.requests), section());
  assert.equal(out.stdout(), observedLines('[bootstrap-token]').map((l) => `${l}\n`).join(''));
  assert.equal(out.stderr(), '');
});

test('--skip-token-print leaves the token out; several tokens are listed as Go prints a list', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const quiet = await run(cfg, { options: { skipTokenPrint: true } });
  assert.doesNotMatch(quiet.out.stdout(), /abcdef/);
  assert.match(quiet.out.stdout(), /^\[bootstrap-token\] Configuring bootstrap tokens/);
  const second = { ...cfg.init.bootstrapTokens[0]!, token: 'ghijkl.0123456789ghijkl' };
  const two: InitConfig = { ...cfg, init: { ...cfg.init, bootstrapTokens: [...cfg.init.bootstrapTokens, second] } };
  const { api, out } = await run(two);
  assert.match(out.stdout(), /^\[bootstrap-token\] Using tokens: \[abcdef\.0123456789abcdef ghijkl\.0123456789ghijkl\]\n/);
  assert.deepEqual(api.all('Secret').map((s) => s.metadata.name), ['bootstrap-token-abcdef', 'bootstrap-token-ghijkl']);
});

test('a re-run updates what exists instead of failing', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const { api } = await run(cfg);
  const before = api.all('ClusterRoleBinding').length;
  const secretVersion = api.stored('Secret', 'bootstrap-token-abcdef', 'kube-system')!.metadata.resourceVersion;
  api.requests.length = 0;
  await run(cfg, { api });
  assert.equal(api.all('ClusterRoleBinding').length, before);
  assert.notEqual(api.stored('Secret', 'bootstrap-token-abcdef', 'kube-system')!.metadata.resourceVersion, secretVersion);
  const updates = api.requests.filter((r) => r.verb === 'update').map((r) => `${r.kind}/${r.name}`);
  assert.deepEqual(updates, [
    'Secret/bootstrap-token-abcdef', 'ClusterRole/kubeadm:get-nodes', 'ClusterRoleBinding/kubeadm:get-nodes',
    'ClusterRoleBinding/kubeadm:kubelet-bootstrap', 'ClusterRoleBinding/kubeadm:node-autoapprove-bootstrap',
    'ClusterRoleBinding/kubeadm:node-autoapprove-certificate-rotation', 'ConfigMap/cluster-info',
    'Role/kubeadm:bootstrap-signer-clusterinfo', 'RoleBinding/kubeadm:bootstrap-signer-clusterinfo',
  ]);
});

test('an admin.conf naming its CA by path still publishes the CA itself', { skip: skipReference }, async () => {
  const { caPem, server } = observedCluster();
  const byPath = adminConf(caPem, server).replace(/certificate-authority-data: \S+/, 'certificate-authority: /etc/kubernetes/pki/ca.crt');
  const { api } = await run(await observedConfig(), { files: { '/etc/kubernetes/admin.conf': byPath, '/etc/kubernetes/pki/ca.crt': caPem } });
  const expected = section().find((r) => r.resource === 'configmaps')!.body;
  assert.deepEqual(shownAs(api.requests).find((r) => r.resource === 'configmaps')!.body, expected);
});

test('no admin.conf: a CertificateError naming it, after the tokens and RBAC', { skip: skipReference }, async () => {
  const api = memoryApi();
  await assert.rejects(run(await observedConfig(), { api, files: {} }), (e: unknown) =>
    e instanceof CertificateError && /\/etc\/kubernetes\/admin\.conf/.test(e.message) && /kubeconfig admin/.test(e.fix ?? ''));
  assert.equal(api.stored('ConfigMap', 'cluster-info', 'kube-public'), undefined);
});

test('--dry-run shows cluster-info as the bootstrapsigner will sign it, and the signature verifies', { skip: skipReference }, async () => {
  const { out } = await run(await observedConfig(), { dryRun: true });
  const text = out.stdout();
  const header = "[dryrun] cluster-info as kube-controller-manager's bootstrapsigner will sign it:\n";
  assert.ok(text.includes(header));
  // The signed object is the phase's last output.
  const shown = parse(text.slice(text.indexOf(header) + header.length));
  assert.equal(shown.metadata.name, 'cluster-info');
  const jws = shown.data['jws-kubeconfig-abcdef'];
  assert.equal(typeof jws, 'string');
  assert.ok(verifyDetached(jws, shown.data.kubeconfig, 'abcdef', '0123456789abcdef'));
  assert.ok(!verifyDetached(jws, shown.data.kubeconfig, 'abcdef', '0123456789abcdeg'));
});
