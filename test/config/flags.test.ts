import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initFlags, isAllowedWithConfig, joinFlags, resetFlags } from '../../src/config/flags.js';

test('flag tables hold kubeadm\'s names, once each', () => {
  for (const table of [initFlags, joinFlags, resetFlags]) {
    const names = table.map((f) => f.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => /^[a-z][a-z0-9-]*$/.test(n)));
  }
  assert.deepEqual(resetFlags.map((f) => f.name), ['cert-dir', 'cleanup-tmp-dir', 'config', 'cri-socket', 'dry-run', 'force', 'ignore-preflight-errors', 'kubeconfig', 'skip-phases']);
  assert.ok(joinFlags.some((f) => f.name === 'discovery-token-unsafe-skip-ca-verification' && f.kind === 'boolean'));
  assert.equal(initFlags.find((f) => f.name === 'token-ttl')?.defaultText, '24h0m0s');
});

test('allowedWithConfig follows kubeadm\'s list and every skip-* flag', () => {
  const allowed = initFlags.filter((f) => f.allowedWithConfig).map((f) => f.name);
  assert.deepEqual(allowed, ['config', 'dry-run', 'ignore-preflight-errors', 'node-name', 'skip-certificate-key-print', 'skip-phases', 'skip-token-print', 'upload-certs']);
  assert.ok(isAllowedWithConfig('rootfs') && isAllowedWithConfig('kubeconfig') && !isAllowedWithConfig('certificate-key'));
});
