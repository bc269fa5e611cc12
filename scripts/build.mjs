// Builds the single-file ESM bundle dist/tskubeadm.mjs that bin/tskubeadm.js runs.
// Heavy libraries stay behind dynamic import()s in the source; esbuild wraps those
// modules in lazy initialisers, so `tskubeadm version` never executes them.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/tskubeadm.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.TSKUBEADM_BUNDLED': '"1"' },
  // CommonJS dependencies inside an ESM bundle need a `require`.
  banner: { js: "import{createRequire as __tskCreateRequire}from'node:module';const require=__tskCreateRequire(import.meta.url);" },
  metafile: false,
});
console.log(`built dist/tskubeadm.mjs (tskubeadm ${pkg.version})`);
