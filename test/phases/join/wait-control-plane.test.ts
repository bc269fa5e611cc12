// join's wait-control-plane on a fake host: the manifests written by control-plane-prepare/control-plane for node-2
// (192.0.2.11:6444), the component endpoints answered (or not) by the host's fake HTTP, on virtual time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpGetOptions } from '../../../src/host/host.js';
import type { InitConfig } from '../../../src/config/types.js';
import { CertificateError, exitCodeOf, exitCodes, TimeoutError } from '../../../src/errors.js';
import { captureOutput } from '../../../src/output/output.js';
import { writeControlPlaneManifest } from '../../../src/phases/init/control-plane.js';
import { waitControlPlane } from '../../../src/phases/join/wait-control-plane.js';
import { controlPlaneComponents } from '../../../src/manifests/static-pod.js';
import { noPatches } from '../../../src/patches/patch-set.js';
import { fakeHost, type FakeHttp } from '../../helpers/fake-host.js';
import { joinContext } from '../../helpers/join-context.js';
import { initConfig } from '../../preflight/healthy-host.js';
import { controlPlaneJoin, failure, joiningCluster } from './control-plane-fixture.js';

const caPem = '-----BEGIN CERTIFICATE-----\nthe cluster CA\n-----END CERTIFICATE-----\n';
const urls = {
  api: 'https://192.0.2.11:6444/livez',
  kcm: 'https://127.0.0.1:10257/healthz',
  scheduler: 'https://127.0.0.1:10259/livez',
};
const ok = { status: 200, body: 'ok' };

function cluster(): InitConfig {
  const c = joiningCluster(initConfig());
  return { ...c, init: { ...c.init, timeouts: { ...c.init.timeouts, controlPlaneComponentHealthCheckMs: 10_000 } } };
}

/** node-2 with its manifests and the cluster CA on disk, and `http` answering the health URLs. */
async function node(http: Record<string, FakeHttp>, o: { manifests?: boolean; worker?: boolean; dryRun?: boolean } = {}) {
  const host = fakeHost({ files: { '/etc/kubernetes/pki/ca.crt': caPem }, http });
  const cfg = cluster();
  if (o.manifests !== false) {
    for (const c of controlPlaneComponents) {
      await writeControlPlaneManifest({ cfg, host, out: captureOutput(), patches: () => Promise.resolve(noPatches) }, c);
    }
  }
  const out = captureOutput();
  const join = controlPlaneJoin('');
  const ctx = joinContext({
    cfg: o.worker === true ? { ...join, join: { ...join.join, controlPlane: undefined } } : join,
    host, out, cluster: cfg, dryRun: o.dryRun ?? false,
  });
  return { ctx, out, host };
}

describe('join wait-control-plane', () => {
  it('waits for the three components at this node\'s addresses, the API server checked against the cluster CA', async () => {
    const seen: HttpGetOptions[] = [];
    const { ctx, out } = await node({
      [urls.api]: (_url, opts) => {
        seen.push(opts);
        return seen.length < 3 ? { status: 500, body: '[-]etcd failed\n' } : ok;
      },
      [urls.kcm]: ok,
      [urls.scheduler]: ok,
    });
    await waitControlPlane.run!(ctx);
    assert.equal(out.stdout().replace(/after [0-9.]+m?s/g, 'after <d>'), [
      '[control-plane-check] Waiting for healthy control plane components. This can take up to 10s',
      `[control-plane-check] Checking kube-apiserver at ${urls.api}`,
      `[control-plane-check] Checking kube-controller-manager at ${urls.kcm}`,
      `[control-plane-check] Checking kube-scheduler at ${urls.scheduler}`,
      '[control-plane-check] kube-controller-manager is healthy after <d>',
      '[control-plane-check] kube-scheduler is healthy after <d>',
      '[control-plane-check] kube-apiserver is healthy after <d>',
      '',
    ].join('\n'));
    assert.equal(seen.length, 3);
    assert.equal(seen[0]!.ca, caPem);
    assert.notEqual(seen[0]!.insecure, true);
  });

  it('a component that never answers: a TimeoutError naming it, after the diagnosis', async () => {
    const { ctx, out } = await node({ [urls.api]: ok, [urls.kcm]: ok });
    const err = await failure(waitControlPlane.run!(ctx));
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal(exitCodeOf(err), exitCodes.timeout);
    assert.match(err.message, /^kube-scheduler \(connection refused\) did not become healthy within 10s$/);
    assert.match(out.stdout(), /\[control-plane-check\] kube-scheduler is not healthy after 10/);
  });

  it('no manifests: says which join phase writes them, before any wait', async () => {
    const { ctx, out } = await node({}, { manifests: false });
    const err = await failure(waitControlPlane.run!(ctx));
    assert.ok(err instanceof CertificateError, String(err));
    assert.match(err.fix ?? '', /tskubeadm join phase control-plane-prepare control-plane/);
    assert.equal(out.stdout(), '');
  });

  it('a worker join skips it; a dry run waits for nothing', async () => {
    const worker = await node({}, { worker: true });
    assert.equal(waitControlPlane.runIf!(worker.ctx), false);
    const dry = await node({}, { dryRun: true });
    assert.equal(waitControlPlane.runIf!(dry.ctx), true);
    await waitControlPlane.run!(dry.ctx);
    assert.equal(dry.out.stdout(), '');
  });
});
