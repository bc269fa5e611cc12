// upload-config, upload-certs (skipped) and mark-control-plane under --dry-run with the dry-run API client, for
// init-dry-run.config.yaml: the same progress lines and the same requests, in the same order, as kubeadm v1.35.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dryRunClient } from '../../../src/api/dry-run-client.js';
import { captureOutput } from '../../../src/output/output.js';
import { markControlPlane } from '../../../src/phases/init/mark-control-plane.js';
import { uploadCerts } from '../../../src/phases/init/upload-certs.js';
import { uploadConfig } from '../../../src/phases/init/upload-config.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { initContext } from '../../helpers/init-context.js';
import { observedCreate, observedSection } from '../../helpers/observed-api.js';
import { observedConfig, observedHostname, skipReference } from '../../kubelet/reference.js';

const phaseLine = /^\[(upload-config|kubelet|upload-certs|mark-control-plane)\] /;
const requestLine = /^\[dryrun\] Would perform action \w+ on resource "[^"]+"/;

test('lines and requests match kubeadm\'s dry run, phase by phase', { skip: skipReference }, async () => {
  const cfg = await observedConfig();
  const out = captureOutput();
  const ctx = initContext(cfg, fakeHost({ hostname: observedHostname }), out, { dryRun: true, api: dryRunClient(out, { nodeName: cfg.init.nodeRegistration.name }) });
  for (const p of uploadConfig.phases!.slice(1)) await p.run!(ctx);
  await uploadCerts.run!(ctx);
  await markControlPlane.run!(ctx);

  const pick = (lines: string[]) => lines.filter((l) => phaseLine.test(l) || requestLine.test(l)).map((l) => l.match(requestLine)?.[0] ?? l);
  const expected = pick(observedSection('[upload-config]', '[bootstrap-token]'));
  assert.equal(expected.length, 13, '4 lines of ours + 6 creates, the skip line, GET and PATCH of the Node');
  assert.deepEqual(pick(out.stdout().split('\n')), expected);
  // The created objects print as kubeadm printed them.
  const ours = out.stdout();
  const created = [['configmaps', 'kubeadm-config'], ['configmaps', 'kubelet-config'], ['roles', 'kubeadm:nodes-kubeadm-config'],
    ['rolebindings', 'kubeadm:nodes-kubeadm-config'], ['roles', 'kubeadm:kubelet-config'], ['rolebindings', 'kubeadm:kubelet-config']] as const;
  for (const [resource, name] of created) {
    const yaml = observedCreate(resource, name);
    assert.ok(ours.includes(yaml), yaml.split('\n').slice(0, 6).join('\n'));
  }
});
