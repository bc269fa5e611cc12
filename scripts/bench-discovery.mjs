// `npm run bench`'s discovery figures: scripts/bench-discovery.ts runs under tsx (it starts the test API
// server from test/helpers, which is TypeScript and not in dist/).
import { spawnSync } from 'node:child_process';

export function benchDiscovery({ node }) {
  const r = spawnSync(node, ['--import', 'tsx', '--import', './scripts/text-loader.mjs', 'scripts/bench-discovery.ts'], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`discovery benchmark failed (exit ${r.status})`);
}
