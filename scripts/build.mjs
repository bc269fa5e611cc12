// Builds dist/: the start-up bundle dist/tskubeadm.mjs (one file holding everything
// `tskubeadm version`, help and argument parsing need) and, beside it in dist/chunks/,
// the code loaded on demand by dynamic import(): each command, the config loader (zod,
// yaml), execa, listr2, prompts. Compiling what a run never uses is most of a Node CLI's
// cold start (measured: the whole program in one file started 2x slower than `node -e ''`).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

function git(...args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const commit = git('rev-parse', 'HEAD');
const buildInfo = {
  gitCommit: commit ?? '',
  gitTreeState: commit === undefined ? '' : git('status', '--porcelain', '--untracked-files=no') === '' ? 'clean' : 'dirty',
  // Reproducible builds set SOURCE_DATE_EPOCH.
  buildDate: new Date(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.now())
    .toISOString().replace(/\.\d{3}Z$/, 'Z'),
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { tskubeadm: 'src/main.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  define: { __TSKUBEADM_BUILD__: JSON.stringify(buildInfo) },
  // CommonJS dependencies inside an ESM bundle need a `require`.
  banner: { js: "import{createRequire as __tskCreateRequire}from'node:module';const require=__tskCreateRequire(import.meta.url);" },
});
console.log(`built dist/tskubeadm.mjs (tskubeadm ${pkg.version}, ${buildInfo.gitCommit.slice(0, 12) || 'no git'})`);
