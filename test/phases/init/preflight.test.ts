import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PreflightError } from '../../../src/errors.js';
import { captureOutput } from '../../../src/output/output.js';
import { preflight } from '../../../src/phases/init/preflight.js';
import type { FakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { crictlImageKey, healthyHost, initConfig } from '../../preflight/healthy-host.js';
import { sharedPath, skipWithoutShared } from '../../helpers/shared.js';


/** crictl answers every inspecti with "not present" and every pull with success. */
const pullingRuntime = {
  crictl: (argv: readonly string[]) => (argv.includes('inspecti') ? { exitCode: 1, stderr: 'no such image' } : { stdout: 'Image is up to date' }),
};

async function runPhase(host: FakeHost, opts: { dryRun?: boolean; ignore?: readonly string[] } = {}) {
  const out = captureOutput();
  const ctx = initContext(initConfig(), host, out, opts);
  let error: unknown;
  try {
    await preflight.run?.(ctx);
  } catch (e) {
    error = e;
  }
  return { stdout: out.stdout(), stderr: out.stderr(), error };
}

/** The machine kubeadm-observed/preflight-no-kubelet.txt was captured on: cgroup v1, no kubelet, ip_forward 0. */
function observedMachine(): FakeHost {
  return healthyHost({
    kernelFiles: {
      '/proc/mounts': 'tmpfs /sys/fs/cgroup tmpfs ro 0 0\ncgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n',
      '/proc/cgroups': ['cpuset', 'cpu', 'cpuacct', 'blkio', 'memory', 'devices', 'freezer', 'pids', 'hugetlb'].map((c) => `${c}\t1\t1\t1`).join('\n'),
      '/sys/fs/cgroup/memory/tasks': '',
      '/sys/fs/cgroup/cgroup.controllers': undefined,
      '/proc/sys/net/ipv4/ip_forward': '0\n',
    },
    commands: { 'kubelet --version': undefined, 'systemctl is-enabled kubelet': { exitCode: 1, stdout: 'disabled\n' } },
  });
}

describe('init phase preflight', () => {
  it('declares the phase as kubeadm does', () => {
    assert.equal(preflight.name, 'preflight');
    assert.deepEqual(preflight.flags, ['config', 'image-repository', 'cri-socket', 'ignore-preflight-errors', 'dry-run']);
  });

  it('runs the checks, then pulls the images through crictl', async () => {
    const host = healthyHost({ commands: pullingRuntime });
    const r = await runPhase(host);
    assert.equal(r.error, undefined);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout,
      '[preflight] Running pre-flight checks\n' +
      '[preflight] Pulling images required for setting up a Kubernetes cluster\n' +
      '[preflight] This might take a minute or two, depending on the speed of your internet connection\n' +
      "[preflight] You can also perform this action beforehand using 'tskubeadm config images pull'\n");
    const pulled = host.mutations.flatMap((m) => (m.action === 'exec' ? [m.argv.at(-1)] : []));
    assert.deepEqual(pulled, [
      'registry.k8s.io/kube-apiserver:v1.35.0', 'registry.k8s.io/kube-controller-manager:v1.35.0',
      'registry.k8s.io/kube-scheduler:v1.35.0', 'registry.k8s.io/kube-proxy:v1.35.0',
      'registry.k8s.io/coredns/coredns:v1.12.3', 'registry.k8s.io/pause:3.10.1', 'registry.k8s.io/etcd:3.6.4-0',
    ]);
    assert.ok(host.mutations.every((m) => m.action === 'exec' && m.argv.join(' ').startsWith(crictlImageKey('pull'))));
  });

  it('fails fast for a non-root user, before any other check', async () => {
    const host = healthyHost({ euid: 1000 });
    const r = await runPhase(host);
    assert.ok(r.error instanceof PreflightError);
    assert.deepEqual(r.error.failed, ['IsPrivilegedUser']);
    assert.deepEqual(host.execCalls, []);
  });

  it('changes nothing on the host when a check fails', async () => {
    const host = observedMachine();
    const before = host.files();
    const r = await runPhase(host);
    assert.ok(r.error instanceof PreflightError);
    assert.deepEqual(r.error.failed, ['KubeletVersion', 'FileContent--proc-sys-net-ipv4-ip_forward']);
    assert.deepEqual(host.mutations, []);
    assert.deepEqual(host.files(), before);
    assert.doesNotMatch(r.stdout, /Pulling images/);
  });

  const observedFile = 'reference/kubeadm-observed/preflight-no-kubelet.txt';
  it("prints kubeadm's observed lines, each followed only by our fix", { skip: skipWithoutShared(observedFile) }, async () => {
    const observed = readFileSync(sharedPath(observedFile), 'utf8').split('\n').filter((l) => /^\t\[(WARNING|ERROR) /.test(l) || l.startsWith('[preflight] '));
    const r = await runPhase(observedMachine());
    const ours = `${r.stdout}${r.stderr}`.split('\n');
    for (const line of observed) {
      assert.ok(ours.some((o) => o === line || o.startsWith(`${line} — `)), `missing: ${JSON.stringify(line)}\nours:\n${ours.join('\n')}`);
    }
  });

  it('in dry-run, skips the root check and the pull, and --ignore-preflight-errors=all lets it pass', async () => {
    const host = observedMachine();
    const unprivileged = healthyHost({ euid: 1000 });
    const ok = await runPhase(unprivileged, { dryRun: true });
    assert.equal(ok.error, undefined);
    assert.equal(ok.stdout, "[preflight] Running pre-flight checks\n[preflight] Would pull the required images (like 'tskubeadm config images pull')\n");

    const r = await runPhase(host, { dryRun: true, ignore: ['all'] });
    assert.equal(r.error, undefined);
    assert.match(r.stderr, /^\t\[WARNING KubeletVersion\]: couldn't get kubelet version/m);
    assert.match(r.stderr, /^\t\[WARNING FileContent--proc-sys-net-ipv4-ip_forward\]: /m);
    assert.doesNotMatch(r.stderr, /Some fatal errors/);
    assert.deepEqual(host.mutations, []);
  });
});
