import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pass } from '../../../src/preflight/check.js';
import { kubeletVersion, serviceEnabled } from '../../../src/preflight/checks/kubelet.js';
import { healthyHost, initTargetOf, joinTargetOf, runOn } from '../healthy-host.js';

const kubelet = (stdout: string) => healthyHost({ commands: { 'kubelet --version': { stdout } } });

describe('KubeletVersion', () => {
  it('passes for a kubelet within the skew', async () => {
    assert.deepEqual(await runOn(kubeletVersion, kubelet('Kubernetes v1.32.0\n')), pass);
    assert.deepEqual(await runOn(kubeletVersion, kubelet('Kubernetes v1.35.3')), pass);
  });

  it('is an error without a kubelet, in kubeadm words', async () => {
    const r = await runOn(kubeletVersion, healthyHost({ commands: { 'kubelet --version': undefined } }));
    assert.match(r.errors[0] ?? '',
      /^couldn't get kubelet version: cannot execute 'kubelet --version': executable file not found in \$PATH — install the kubelet package \(v1\.32 to v1\.35\)/);
  });

  it('is an error for a kubelet older than kubeadm minor − 3', async () => {
    const r = await runOn(kubeletVersion, kubelet('Kubernetes v1.31.9'));
    assert.match(r.errors[0] ?? '', /^Kubelet version "1\.31\.9" is lower than kubeadm can support\. Please upgrade kubelet — /);
  });

  it('is an error for a kubelet newer than the control plane, on init only', async () => {
    const cp134 = initTargetOf((c) => ({ ...c, cluster: { ...c.cluster, kubernetesVersion: 'v1.34.2' } }));
    const r = await runOn(kubeletVersion, kubelet('Kubernetes v1.35.0'), cp134);
    assert.match(r.errors[0] ?? '',
      /^the kubelet version is higher than the control plane version\. This is not a supported version skew and may lead to a malfunctional cluster\. Kubelet version: "1\.35\.0" Control plane version: "1\.34\.2" — /);
    assert.deepEqual(await runOn(kubeletVersion, kubelet('Kubernetes v1.36.0'), joinTargetOf()), pass);
  });

  it('is an error when the output cannot be parsed', async () => {
    const r = await runOn(kubeletVersion, kubelet('kubelet version 1.35'));
    assert.match(r.errors[0] ?? '', /^couldn't get kubelet version: Unable to parse output from Kubelet: "kubelet version 1\.35"/);
  });
});

describe('Service-kubelet', () => {
  const check = serviceEnabled('kubelet');

  it('passes when enabled', async () => {
    assert.deepEqual(await runOn(check, healthyHost()), pass);
  });

  it("warns with kubeadm's words when disabled", async () => {
    const r = await runOn(check, healthyHost({ commands: { 'systemctl is-enabled kubelet': { exitCode: 1, stdout: 'disabled\n' } } }));
    assert.deepEqual(r, { warnings: ["kubelet service is not enabled, please run 'systemctl enable kubelet.service'"], errors: [] });
  });

  it('warns that the unit does not exist when systemd does not know it', async () => {
    const r = await runOn(check, healthyHost({
      commands: { 'systemctl is-enabled kubelet': { exitCode: 1, stderr: 'Failed to get unit file state for kubelet.service: No such file or directory\n' } },
    }));
    assert.match(r.warnings[0] ?? '', /^kubelet service does not exist — install the kubelet package/);
  });

  it('uses OpenRC when there is no systemctl', async () => {
    const host = healthyHost({
      path: ['openrc'],
      commands: { 'rc-service kubelet status': { stdout: ' * status: stopped\n' }, 'rc-update show default': { stdout: ' sshd | default\n' } },
    });
    assert.deepEqual((await runOn(check, host)).warnings, ["kubelet service is not enabled, please run 'rc-update add kubelet default'"]);
  });

  it('warns when there is no init system it knows', async () => {
    const r = await runOn(check, healthyHost({ path: [] }));
    assert.match(r.warnings[0] ?? '', /^no supported init system detected, skipping checking for services/);
  });
});
