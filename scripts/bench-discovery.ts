// Join discovery on loopback against one test API server: one discovery at a time (median of N), then 200
// concurrent ones (all must succeed). Run by scripts/bench-discovery.mjs (from `npm run bench`) under tsx,
// because the test API server lives in test/helpers as TypeScript. Figures only, no assertions.
import { discover } from '../src/discovery/discover.js';
import { plainOutput } from '../src/output/output.js';
import { joinConfig, startDiscoveryCluster } from '../test/discovery/discovery-fixture.js';
import { tempRootHost } from '../test/helpers/temp-root.js';

const runs = Number(process.env['BENCH_DISCOVERY_RUNS'] ?? 51);
const concurrent = Number(process.env['BENCH_DISCOVERY_CONCURRENT'] ?? 200);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const c = await startDiscoveryCluster();
try {
  const host = tempRootHost('/nonexistent-bench-root');
  const out = plainOutput({ stdout: () => undefined, stderr: () => undefined });
  const join = joinConfig({ endpoint: c.endpoint, pins: [c.pin] });
  const once = async () => {
    const t = now();
    await discover({ host, out, join });
    return now() - t;
  };
  await once();
  const serial: number[] = [];
  for (let i = 0; i < runs; i++) serial.push(await once());
  serial.sort((a, b) => a - b);
  console.log(`discovery (loopback)    median ${pct(serial, 50).toFixed(1)} ms (min ${serial[0]!.toFixed(1)}, max ${serial.at(-1)!.toFixed(1)})   ` +
    `(token discovery, pinned: two cluster-info GETs on new TLS connections; one process; median of ${runs})`);

  const start = now();
  const results = await Promise.allSettled(Array.from({ length: concurrent }, () => once()));
  const wall = now() - start;
  const times = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])).sort((a, b) => a - b);
  const failed = results.filter((r) => r.status === 'rejected');
  const firstError = failed[0]?.status === 'rejected' ? `; first error: ${String((failed[0] as PromiseRejectedResult).reason)}` : '';
  console.log(`discovery x${concurrent} concurrent ${times.length}/${concurrent} succeeded, p50 ${pct(times, 50)?.toFixed(1) ?? '-'} ms, ` +
    `p99 ${pct(times, 99)?.toFixed(1) ?? '-'} ms, wall ${wall.toFixed(0)} ms   (the test API server and the 200 joining clients share one process: both ends of 400 TLS handshakes on one thread${firstError})`);
} finally {
  await c.close();
}
