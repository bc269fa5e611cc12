import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultClusterConfiguration } from '../../../src/config/default-configs.js';
import { PreflightError } from '../../../src/errors.js';
import { captureOutput } from '../../../src/output/output.js';
import { preflight, runControlPlaneJoinChecks } from '../../../src/phases/join/preflight.js';
import type { FakeHost } from '../../helpers/fake-host.js';
import { joinContext } from '../../helpers/join-context.js';
import { mergeJoinNode } from '../../../src/phases/join/join-cluster.js';
import { healthyHost, joinConfig } from '../../preflight/healthy-host.js';

function ctxFor(host: FakeHost, opts: { dryRun?: boolean; controlPlane?: boolean; neverPull?: boolean } = {}) {
  const out = captureOutput();
  const cfg = joinConfig((c) => {
    const nodeRegistration = opts.neverPull === true ? { ...c.join.nodeRegistration, imagePullPolicy: 'Never' as const } : c.join.nodeRegistration;
    const controlPlane = { localAPIEndpoint: { advertiseAddress: '192.0.2.11', bindPort: 6443 }, certificateKey: '' };
    return { ...c, join: { ...c.join, nodeRegistration, ...(opts.controlPlane === true ? { controlPlane } : {}) } };
  });
  const cluster = mergeJoinNode(cfg, defaultClusterConfiguration(), undefined, undefined);
  const ctx = joinContext({ cfg, host, out, dryRun: opts.dryRun ?? false, ignore: [], cluster });
  return { ctx, out };
}

async function attempt(p: Promise<void>): Promise<unknown> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('join phase preflight', () => {
  it('passes on a healthy worker and prints only the opening line', async () => {
    const { ctx, out } = ctxFor(healthyHost());
    assert.equal(await attempt(preflight.run!(ctx)), undefined);
    assert.equal(out.stdout(), '[preflight] Running pre-flight checks\n');
    assert.equal(out.stderr(), '');
  });

  it('refuses a node that was set up before, and writes nothing', async () => {
    const host = healthyHost({ files: { '/etc/kubernetes/kubelet.conf': 'x', '/etc/kubernetes/pki/ca.crt': 'y' } });
    const { ctx, out } = ctxFor(host);
    const e = await attempt(preflight.run!(ctx));
    assert.ok(e instanceof PreflightError);
    assert.deepEqual(e.failed, ['FileAvailable--etc-kubernetes-kubelet.conf', 'FileAvailable--etc-kubernetes-pki-ca.crt']);
    assert.match(out.stderr(), /^\t\[ERROR FileAvailable--etc-kubernetes-kubelet\.conf\]: \/etc\/kubernetes\/kubelet\.conf already exists — /m);
    assert.deepEqual(host.mutations, []);
  });

  it('warns when the discovery endpoint would go through a proxy', async () => {
    const { ctx, out } = ctxFor(healthyHost({ env: { https_proxy: 'http://proxy:3128' } }));
    assert.equal(await attempt(preflight.run!(ctx)), undefined);
    assert.match(out.stderr(), /^\t\[WARNING HTTPProxy\]: Connection to "https:\/\/192\.0\.2\.10" uses proxy "http:\/\/proxy:3128"/m);
  });

  it('runs the control-plane checks against the cluster configuration, and pulls unless dry-run', async () => {
    const busy = healthyHost({ busyPorts: [2379] });
    const { ctx, out } = ctxFor(busy, { controlPlane: true });
    const e = await attempt(runControlPlaneJoinChecks(ctx, defaultClusterConfiguration()));
    assert.ok(e instanceof PreflightError);
    assert.deepEqual(e.failed, ['Port-2379']);
    assert.equal(out.stdout(), '[preflight] Running pre-flight checks before initializing the new control plane instance\n');

    const dry = ctxFor(healthyHost(), { controlPlane: true, dryRun: true });
    assert.equal(await attempt(runControlPlaneJoinChecks(dry.ctx, defaultClusterConfiguration())), undefined);
    assert.match(dry.out.stdout(), /Would pull the required images \(like 'tskubeadm config images pull'\)\n$/);
  });

  it('with imagePullPolicy Never, says it pulls nothing (as init does) instead of announcing a pull', async () => {
    const host = healthyHost();
    const { ctx, out } = ctxFor(host, { controlPlane: true, neverPull: true });
    assert.equal(await attempt(runControlPlaneJoinChecks(ctx, defaultClusterConfiguration())), undefined);
    assert.doesNotMatch(out.stdout(), /Pulling images/);
    assert.match(out.stdout(), /^\[preflight\] Not pulling images: nodeRegistration\.imagePullPolicy is Never$/m);
    assert.deepEqual(host.mutations, []);
  });
});
