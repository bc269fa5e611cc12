// Benchmarks that print figures (never asserted in tests). Run with `npm run bench`,
// which builds dist/ first. Each figure is the median of several cold processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const node = process.execPath;
const cli = path.resolve('dist/tskubeadm.mjs');
const single = path.resolve('dist/tskubeadm-single.mjs');

function timeRuns(argv, runs, { expectExit = 0 } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(node, argv, { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (expectExit !== undefined && r.status !== expectExit) {
      throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples.at(-1) };
}

const fmt = (s) => `median ${s.median.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)})`;
const runs = Number(process.env.BENCH_RUNS ?? 21);

// Warm the page cache once so the first sample is not an outlier.
timeRuns(['-e', ''], 2);
timeRuns([cli, 'version'], 2);

const bare = timeRuns(['-e', ''], runs);
const version = timeRuns([cli, 'version'], runs);
console.log(`node -e ''              ${fmt(bare)}`);
console.log(`tskubeadm version       ${fmt(version)}`);
console.log(`cold-start ratio        ${(version.median / bare.median).toFixed(2)} x node -e ''   (target <= 1.5 x)`);
const singleVersion = timeRuns([single, 'version'], runs);
console.log(`single-file version     ${fmt(singleVersion)}   (${(singleVersion.median / bare.median).toFixed(2)} x; dist/tskubeadm-single.mjs compiles every command up front)`);

const root = mkdtempSync(path.join(tmpdir(), 'tskubeadm-bench-'));
try {
  const preflight = timeRuns(
    [cli, 'init', 'phase', 'preflight', '--rootfs', root, '--ignore-preflight-errors=all'],
    Math.max(5, Math.floor(runs / 3)),
  );
  console.log(`init phase preflight    ${fmt(preflight)}   (whole process, temp root, all checks)`);
  console.log(`preflight minus start   ${(preflight.median - version.median).toFixed(1)} ms   (preflight median - version median)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
