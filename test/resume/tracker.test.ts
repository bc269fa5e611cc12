// The tracker between the runner and the record: a phase finished with the same inputs and intact files is
// verified; a changed file or input runs it again; replaceOnChange removes what it wrote first (only what is still
// as written); a failed phase is not finished; a dry run reads and never writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Host } from '../../src/host/host.js';
import { captureOutput } from '../../src/output/output.js';
import { identityHash } from '../../src/resume/identity.js';
import { progressPath, type Progress } from '../../src/resume/progress.js';
import { resumeTracker, type ResumeTracker } from '../../src/resume/tracker.js';
import type { Phase, PlacedPhase } from '../../src/workflow/phase.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

interface Ctx {
  readonly cfg: { readonly san: string };
  readonly host: Host;
}

const identity = { command: 'init', nodeName: 'node-1' };

function placed(phase: Phase<Ctx>): PlacedPhase<Ctx> {
  return { path: `certs/${phase.name}`, phase, depth: 1 };
}

/** A phase writing /etc/kubernetes/pki/<name>.crt (content: the SAN) unless it is there. */
function certLike(name: string, replaceOnChange: boolean): Phase<Ctx> {
  return {
    name,
    short: name,
    resume: { inputs: (ctx) => ({ san: ctx.cfg.san }), replaceOnChange },
    run: async (ctx) => {
      const p = `/etc/kubernetes/pki/${name}.crt`;
      if ((await ctx.host.fs.stat(p)) === undefined) await ctx.host.fs.write(p, `cert for ${ctx.cfg.san}\n`, { mode: 0o644 });
    },
  };
}

function tracker(ctx: Ctx, earlier: Progress | undefined, dryRun = false): ResumeTracker<Ctx> {
  return resumeTracker(ctx, { host: ctx.host, out: captureOutput(), command: 'init', identity, earlier, generated: {}, dryRun });
}

/** beforePhase, run unless verified, afterPhase, flush: what runJournaled does for one phase. */
async function runOne(t: ResumeTracker<Ctx>, ctx: Ctx, phase: Phase<Ctx>, fail = false): Promise<string | undefined> {
  const p = placed(phase);
  const v = await t.beforePhase(p);
  if (v !== undefined) return v.verified;
  if (fail) {
    await ctx.host.fs.write('/etc/kubernetes/pki/partial.key', 'half\n', { mode: 0o600 });
    t.afterPhase({ path: p.path, status: 'failed', durationMs: 1 });
  } else {
    await phase.run!(ctx);
    t.afterPhase({ path: p.path, status: 'done', durationMs: 1 });
  }
  await t.flush();
  return undefined;
}

async function record(root: string): Promise<Progress> {
  return JSON.parse(await readFile(path.join(root, progressPath), 'utf8')) as Progress;
}

test('a finished phase with the same inputs and intact files is verified; a changed file runs it again', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    const ctx = { cfg: { san: 'a' }, host };
    const phase = certLike('apiserver', true);
    assert.equal(await runOne(tracker(ctx, undefined), ctx, phase), undefined);
    const first = await record(root);
    assert.equal(first.identityHash, identityHash(identity));
    assert.equal(first.phases['certs/apiserver']?.state, 'finished');
    assert.deepEqual(Object.keys(first.phases['certs/apiserver']!.files), ['/etc/kubernetes/pki/apiserver.crt']);

    assert.equal(await runOne(tracker(ctx, first), ctx, phase), 'finished by an earlier run; inputs unchanged, 1 file intact');
    await writeFile(path.join(root, 'etc/kubernetes/pki/apiserver.crt'), 'edited by hand\n');
    assert.equal(await runOne(tracker(ctx, first), ctx, phase), undefined, 'a changed file is not verified');
  });
});

test('changed inputs: replaceOnChange removes the files still as written, so the phase writes them anew; without it they are kept', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    const a = { cfg: { san: 'a' }, host };
    const b = { cfg: { san: 'b' }, host };
    await runOne(tracker(a, undefined), a, certLike('apiserver', true));
    await runOne(tracker(a, await record(root)), a, certLike('ca', false));
    const earlier = await record(root);
    const t = tracker(b, earlier);
    await runOne(t, b, certLike('apiserver', true));
    await runOne(t, b, certLike('ca', false));
    assert.equal(await readFile(path.join(root, 'etc/kubernetes/pki/apiserver.crt'), 'utf8'), 'cert for b\n');
    assert.equal(await readFile(path.join(root, 'etc/kubernetes/pki/ca.crt'), 'utf8'), 'cert for a\n', 'a CA is kept');
    const after = await record(root);
    assert.deepEqual(Object.keys(after.phases['certs/ca']!.files), ['/etc/kubernetes/pki/ca.crt'], 'the kept file stays recorded');
    assert.notEqual(after.phases['certs/ca']!.inputHash, earlier.phases['certs/ca']!.inputHash);
  });
});

test('a failed phase is recorded as started with what it wrote, and is not verified next time', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    const ctx = { cfg: { san: 'a' }, host };
    const phase = certLike('apiserver', true);
    await runOne(tracker(ctx, undefined), ctx, phase, true);
    const r = await record(root);
    assert.equal(r.phases['certs/apiserver']?.state, 'started');
    assert.deepEqual(Object.keys(r.phases['certs/apiserver']!.files), ['/etc/kubernetes/pki/partial.key']);
    assert.equal(await runOne(tracker(ctx, r), ctx, phase), undefined);
  });
});

test('a dry run verifies from the record and never writes it', async () => {
  await withTempRoot(async (root) => {
    const host = tempRootHost(root);
    const ctx = { cfg: { san: 'a' }, host };
    const phase = certLike('apiserver', true);
    await runOne(tracker(ctx, undefined, true), ctx, phase);
    assert.equal(await stat(path.join(root, progressPath)).catch(() => undefined), undefined);
    await runOne(tracker(ctx, undefined), ctx, certLike('front-proxy-client', true));
    const earlier = await record(root);
    const before = await readFile(path.join(root, progressPath), 'utf8');
    assert.match(await runOne(tracker(ctx, earlier, true), ctx, certLike('front-proxy-client', true)) ?? '', /^finished by an earlier run/);
    assert.equal(await readFile(path.join(root, progressPath), 'utf8'), before);
  });
});
