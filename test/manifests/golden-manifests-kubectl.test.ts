// Every golden static Pod manifest (test/golden/manifests/<config>/*.yaml, whoever wrote it) is a Pod
// to the real kubectl: it decodes, and nothing in the file is lost or changed on the way.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { goldenRoot } from '../helpers/golden.js';
import { kubectlMissing, kubectlPod, podDifferences } from '../helpers/kubectl-pod.js';
import { withTempRoot } from '../helpers/temp-root.js';

const manifestsRoot = path.join(goldenRoot, 'manifests');

function goldenManifests(): string[] {
  return readdirSync(manifestsRoot, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(manifestsRoot, f));
}

test('there are golden manifests to check', () => {
  assert.ok(goldenManifests().length >= 15, `only ${goldenManifests().length} manifests under ${manifestsRoot}`);
});

for (const file of goldenManifests()) {
  test(`kubectl decodes ${path.relative(manifestsRoot, file)} as a Pod, field for field`, { skip: kubectlMissing }, () => {
    const decoded = kubectlPod(file);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
    assert.deepEqual(podDifferences(file, decoded.pod), []);
  });
}

test('the kubectl check catches an unknown field and a wrongly typed one', { skip: kubectlMissing }, async () => {
  await withTempRoot(async (dir) => {
    const pod = (extra: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n${extra}    resources: {}\nstatus: {}\n`;
    const unknown = path.join(dir, 'unknown.yaml');
    writeFileSync(unknown, pod('    probe: {}\n'));
    const decoded = kubectlPod(unknown);
    assert.ok(decoded.ok);
    assert.deepEqual(podDifferences(unknown, decoded.pod), ['spec.containers.0.probe: file {}, kubectl undefined']);
    const wrongType = path.join(dir, 'wrong.yaml');
    writeFileSync(wrongType, pod('    ports:\n    - containerPort: "6443"\n'));
    const refused = kubectlPod(wrongType);
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /containerPort/);
  });
});
