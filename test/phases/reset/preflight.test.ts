import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultResetConfig } from '../../../src/config/default-configs.js';
import { PreflightError } from '../../../src/errors.js';
import { captureOutput } from '../../../src/output/output.js';
import { preflight } from '../../../src/phases/reset/preflight.js';
import { fakeHost } from '../../helpers/fake-host.js';
import { resetContext } from '../../helpers/reset-context.js';

async function run(euid: number, ignore: readonly string[] = []) {
  const host = fakeHost({ euid });
  const out = captureOutput();
  const ctx = resetContext({ cfg: defaultResetConfig(), host, out, ignore });
  let error: unknown;
  try {
    await preflight.run!(ctx);
  } catch (e) {
    error = e;
  }
  return { out, error, host };
}

describe('reset phase preflight', () => {
  it('passes as root and runs nothing else', async () => {
    const r = await run(0);
    assert.equal(r.error, undefined);
    assert.equal(r.out.stdout(), '[preflight] Running pre-flight checks\n');
    assert.equal(r.out.stderr(), '');
    assert.deepEqual(r.host.execCalls, []);
  });

  it('fails for another user unless IsPrivilegedUser is ignored', async () => {
    const r = await run(1000);
    assert.ok(r.error instanceof PreflightError);
    assert.equal(r.out.stderr(),
      '[preflight] Some fatal errors occurred:\n' +
      '\t[ERROR IsPrivilegedUser]: user is not running as root — run it as root, e.g. with sudo\n' +
      '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n');
    const ignored = await run(1000, ['isprivilegeduser']);
    assert.equal(ignored.error, undefined);
    assert.equal(ignored.out.stderr(), '\t[WARNING IsPrivilegedUser]: user is not running as root — run it as root, e.g. with sudo\n');
  });
});
