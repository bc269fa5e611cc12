// The real kubectl as the reference for patch semantics: `kubectl patch --local` runs apimachinery's
// own strategic merge (with the Pod's Go type) and evanphx/json-patch offline, as kubeadm does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export { kubectlMissing } from '../helpers/kubectl.js';

export type KubectlPatchResult = { readonly ok: true; readonly doc: unknown } | { readonly ok: false; readonly error: string };

/** `doc` patched by kubectl with a patch of `type` (strategic, merge, json). */
export function kubectlPatch(doc: object, type: 'strategic' | 'merge' | 'json', patch: unknown): KubectlPatchResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'tskubeadm-patch-'));
  try {
    const file = path.join(dir, 'doc.json');
    writeFileSync(file, JSON.stringify(doc));
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent', KUBECONFIG: '/dev/null' };
    // --request-timeout: some kubectl builds ask a server for its version first (see test/helpers/kubectl.ts).
    const args = ['patch', '--local', '-f', file, '--type', type, '-p', JSON.stringify(patch), '-o', 'json', '--request-timeout=1ms'];
    return { ok: true, doc: JSON.parse(execFileSync('kubectl', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] })) };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, error: (e.stderr ?? '').trim() || e.message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
