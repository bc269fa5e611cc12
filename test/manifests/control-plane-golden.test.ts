// The three control-plane manifests for several configurations, byte for byte: against the golden files,
// and for the observed configuration against what a real kubeadm wrote for it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { controlPlaneComponents } from '../../src/manifests/static-pod.js';
import { assertGolden } from '../helpers/golden.js';
import { sharedPath, skipWithoutShared } from '../helpers/shared.js';
import { goldenConfigs, observedConfig, renderGolden } from './control-plane-fixture.js';

const observedDir = 'reference/kubeadm-observed';

/** The manifest a real kubeadm printed under `[dryrun] Would write file "<path>" with content:`. */
function observedManifest(text: string, path: string): string {
  const header = `[dryrun] Would write file "${path}" with content:\n`;
  const start = text.indexOf(header);
  assert.notEqual(start, -1, `no ${path} in the reference output`);
  const lines = text.slice(start + header.length).split('\n');
  // The manifest runs until the next "[phase] …" line; YAML lines never start with "[".
  const end = lines.findIndex((l) => l.startsWith('['));
  return `${lines.slice(0, end).join('\n')}\n`;
}

for (const g of goldenConfigs) {
  test(`control-plane manifests for the ${g.name} configuration match their golden files`, async () => {
    const manifests = await renderGolden(g);
    for (const c of controlPlaneComponents) assertGolden(`manifests/${g.name}/${c}.yaml`, manifests[c]);
  });
}

test('the observed configuration gives exactly the manifests a real kubeadm wrote', { skip: skipWithoutShared(observedDir) }, async () => {
  assert.equal(observedConfig, readFileSync(sharedPath(`${observedDir}/init-dry-run.config.yaml`), 'utf8'),
    'the copy of init-dry-run.config.yaml in control-plane-fixture.ts differs from the reference');
  const reference = readFileSync(sharedPath(`${observedDir}/init-dry-run.txt`), 'utf8');
  const manifests = await renderGolden(goldenConfigs.find((g) => g.name === 'observed')!);
  for (const c of controlPlaneComponents) {
    assert.equal(manifests[c], observedManifest(reference, `/etc/kubernetes/manifests/${c}.yaml`), `${c}.yaml differs from kubeadm's`);
  }
});
