// Benchmarks that print figures (never asserted in tests). Run with `npm run bench`,
// which builds dist/ first. Each figure is the median of several cold processes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDiscovery } from './bench-discovery.mjs';
import { benchHealthDetection } from './bench-wait.mjs';

const node = process.execPath;
const cli = path.resolve('dist/tskubeadm.mjs');
const single = path.resolve('dist/tskubeadm-single.mjs');

function timeRuns(argv, runs, { expectExit = 0, command = node } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, argv, { encoding: 'utf8' });
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
// The one-file artifacts (docs/distribution.md): each compiles every command up front; the
// standalone executable starts from the V8 code cache stored in it instead.
const singleVersion = timeRuns([single, 'version'], runs);
console.log(`single-file version     ${fmt(singleVersion)}   (${(singleVersion.median / bare.median).toFixed(2)} x; dist/tskubeadm-single.mjs compiles every command up front)`);
const cjsVersion = timeRuns([path.resolve('dist/tskubeadm.cjs'), 'version'], runs);
console.log(`CommonJS bundle version ${fmt(cjsVersion)}   (${(cjsVersion.median / bare.median).toFixed(2)} x; node dist/tskubeadm.cjs, the executable's script)`);
const standalone = path.resolve('dist/tskubeadm');
if (existsSync(standalone)) {
  timeRuns(['version'], 2, { command: standalone });
  const standaloneVersion = timeRuns(['version'], runs, { command: standalone });
  console.log(`standalone version      ${fmt(standaloneVersion)}   (${(standaloneVersion.median / bare.median).toFixed(2)} x; dist/tskubeadm, no node needed, code cache)`);
} else {
  console.log('standalone version      not measured: dist/tskubeadm was not built (npm run build says why)');
}

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

// --- PKI: `init phase certs all` + `init phase kubeconfig all` on a fresh root, against the floor
// of generating the same number of RSA keys natively in one process. The kubeconfig phase is
// timed only when `init phase --help` lists it.
const bin = path.resolve('bin/tskubeadm.js');
const pkiRuns = Number(process.env.BENCH_PKI_RUNS ?? 11);
const phaseHelp = spawnSync(node, [bin, 'init', 'phase', '--help'], { encoding: 'utf8' }).stdout;
const pkiPhases = ['certs', ...(/^\s+kubeconfig\b/m.test(phaseHelp) ? ['kubeconfig'] : [])];
// Every other top-level init phase, skipped when one `init` process runs just the PKI phases.
const otherPhases = [...phaseHelp.slice(phaseHelp.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)]
  .map((m) => m[1]).filter((p) => p !== 'help' && !pkiPhases.includes(p));

const scratch = mkdtempSync(path.join(tmpdir(), 'tskubeadm-bench-pki-'));
// Loaded with --import into each CLI process: its peak RSS (KiB), written on exit.
const rssProbe = path.join(scratch, 'rss-probe.mjs');
writeFileSync(rssProbe, "import { writeFileSync } from 'node:fs';\n" +
  "process.on('exit', () => writeFileSync(process.env.TSKUBEADM_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");

function pkiConfig(algorithm) {
  return ['apiVersion: kubeadm.k8s.io/v1beta4', 'kind: InitConfiguration', 'localAPIEndpoint:', '  advertiseAddress: 192.0.2.10',
    'nodeRegistration:', '  name: bench-node', '  criSocket: unix:///var/run/containerd/containerd.sock', '---',
    'apiVersion: kubeadm.k8s.io/v1beta4', 'kind: ClusterConfiguration', `encryptionAlgorithm: ${algorithm}`, ''].join('\n');
}

/** Private keys a run made: one per .key file under pki/, one per kubeconfig (its client key). */
function keysMade(root) {
  const files = readdirSync(path.join(root, 'etc/kubernetes'), { recursive: true });
  return files.filter((f) => f.startsWith('pki/') && f.endsWith('.key')).length + files.filter((f) => f.endsWith('.conf')).length;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s.at(-1) };
}

/** The floor for `keys` keys: one fresh node process generating them all concurrently (it lives until the last is made). */
function floorScript(keys) {
  return `const { generateKeyPair } = require('node:crypto');
for (let i = 0; i < ${keys}; i++) generateKeyPair('rsa', { modulusLength: 2048 }, (err) => { if (err) throw err; });`;
}

/**
 * `separate`: one `init phase <p> all` process per phase; else one `init` process that skips every other phase.
 * `floorKeys`: also time the floor right before each run, so each run has its own ratio: RSA key generation
 * time varies a lot from run to run, and a ratio of two medians taken minutes apart drifts with it.
 */
function timePki(algorithm, separate, floorKeys = 0) {
  const walls = [];
  const ratios = [];
  const perPhase = Object.fromEntries(pkiPhases.map((p) => [p, []]));
  let peakKiB = 0;
  let keys = 0;
  const commands = separate
    ? pkiPhases.map((phase) => ({ phase, args: ['init', 'phase', phase, 'all'] }))
    : [{ phase: 'init', args: ['init', ...(otherPhases.length > 0 ? ['--skip-phases', otherPhases.join(',')] : [])] }];
  for (let i = 0; i < pkiRuns; i++) {
    const root = mkdtempSync(path.join(scratch, 'root-'));
    writeFileSync(path.join(root, 'kubeadm.yaml'), pkiConfig(algorithm));
    const floor = floorKeys > 0 ? timeRuns(['-e', floorScript(floorKeys)], 1).median : 0;
    let wall = 0;
    for (const { phase, args } of commands) {
      const rssFile = path.join(scratch, 'rss');
      const start = process.hrtime.bigint();
      const r = spawnSync(node, ['--import', pathToFileURL(rssProbe).href, bin, ...args, '--rootfs', root, '--config', '/kubeadm.yaml'],
        { encoding: 'utf8', env: { ...process.env, TSKUBEADM_BENCH_RSS_FILE: rssFile } });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (separate) perPhase[phase].push(ms);
      wall += ms;
      if (r.status !== 0) throw new Error(`${args.join(' ')} (${algorithm}) exited ${r.status}: ${r.stderr}`);
      peakKiB = Math.max(peakKiB, Number(readFileSync(rssFile, 'utf8')));
    }
    walls.push(wall);
    if (floor > 0) ratios.push(wall / floor);
    keys = keysMade(root);
    rmSync(root, { recursive: true, force: true });
  }
  const phases = separate ? pkiPhases.map((p) => `${p} ${median(perPhase[p]).median.toFixed(0)} ms`).join(', ') : 'one process';
  return { ...median(walls), peakMB: peakKiB / 1024, keys, phases, ratio: ratios.length > 0 ? median(ratios).median : undefined };
}

/** The offline part of `init`: every phase that needs no kubelet, runtime or API server (certs, kubeconfig, etcd,
 *  control-plane), in one process on a fresh root, as a node image builder would run it. */
function benchOfflineInit() {
  const offline = ['certs', 'kubeconfig', 'etcd', 'control-plane'];
  const skip = [...phaseHelp.slice(phaseHelp.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)/gm)]
    .map((m) => m[1]).filter((p) => p !== 'help' && !offline.includes(p));
  if (!offline.every((p) => new RegExp(`^\\s+${p}\\b`, 'm').test(phaseHelp))) return;
  for (const algorithm of ['RSA-2048', 'ECDSA-P256']) {
    const walls = [];
    let files = 0;
    for (let i = 0; i < pkiRuns; i++) {
      const root = mkdtempSync(path.join(scratch, 'offline-'));
      writeFileSync(path.join(root, 'kubeadm.yaml'), pkiConfig(algorithm));
      const start = process.hrtime.bigint();
      const r = spawnSync(node, [bin, 'init', '--skip-phases', skip.join(','), '--rootfs', root, '--config', '/kubeadm.yaml'], { encoding: 'utf8' });
      walls.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (r.status !== 0) throw new Error(`offline init (${algorithm}) exited ${r.status}: ${r.stderr}`);
      files = readdirSync(path.join(root, 'etc/kubernetes'), { recursive: true }).filter((f) => /\.(key|crt|pub|conf|yaml)$/.test(f)).length;
      rmSync(root, { recursive: true, force: true });
    }
    console.log(`offline init (${algorithm.padEnd(10)}) ${fmt(median(walls))}   (${offline.join(' + ')}; ${files} files; one process; median of ${pkiRuns})`);
  }
}

function timeKeyFloor(count) {
  return timeRuns(['-e', floorScript(count)], pkiRuns);
}

try {
  const label = `init phase ${pkiPhases.join(' all + ')} all`;
  const oneLabel = `init (${pkiPhases.join(' + ')} only)`;
  const keysPerRun = 10 + 1 + (pkiPhases.includes('kubeconfig') ? 5 : 0);
  const one = timePki('RSA-2048', false, keysPerRun);
  if (one.keys !== keysPerRun) throw new Error(`the run made ${one.keys} keys, the floor was timed for ${keysPerRun}`);
  const oneEcdsa = timePki('ECDSA-P256', false);
  const rsa = timePki('RSA-2048', true, keysPerRun);
  const ecdsa = timePki('ECDSA-P256', true);
  const floor = timeKeyFloor(rsa.keys);
  console.log(`${oneLabel} (RSA-2048)       ${fmt(one)}   (${one.keys} keys; one process; median of ${pkiRuns})`);
  console.log(`${oneLabel} (ECDSA-P256)     ${fmt(oneEcdsa)}   (${oneEcdsa.keys} keys; one process)`);
  console.log(`${label} (RSA-2048)    ${fmt(rsa)}   (${rsa.keys} keys; ${rsa.phases}; two processes, summed)`);
  console.log(`${label} (ECDSA-P256)  ${fmt(ecdsa)}   (${ecdsa.keys} keys; ${ecdsa.phases})`);
  console.log(`RSA-2048 key floor      ${fmt(floor)}   (${rsa.keys} concurrent generateKeyPair in one fresh node process)`);
  console.log(`PKI ratio               ${one.ratio.toFixed(2)} x the floor in one process, ${rsa.ratio.toFixed(2)} x as two phase commands ` +
    `(median of per-run ratios, each run against a floor timed just before it; target <= 1.2 x)`);
  const peak = Math.max(one.peakMB, rsa.peakMB);
  console.log(`PKI peak RSS            ${peak.toFixed(1)} MB RSA-2048, ${Math.max(oneEcdsa.peakMB, ecdsa.peakMB).toFixed(1)} MB ECDSA-P256   (largest process of any run; target <= 100 MB)`);
  benchOfflineInit();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

await benchHealthDetection({ node, bin: path.resolve('bin/tskubeadm.js'), runs: Number(process.env.BENCH_WAIT_RUNS ?? 9) });
benchDiscovery({ node });
