// The crash test's parent side: the child built once with esbuild (tsx would add about a second per spawn), a
// node per kill point (temp root, its own API server port, emulateNode in THIS process, so the "cluster" outlives
// the killed child as a real node's static Pods would), and runs of the child that report how they ended.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFile, emulateNode, freePort } from '../emulated-node.js';
import { killPointText, parseTrace, type KillPoint, type TraceEvent } from './trace.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');

/** Bundles test/helpers/crash/child.ts into `dir`/child.mjs (+ chunks/), as scripts/build.mjs bundles the CLI. */
export async function buildChild(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: { child: path.join(here, 'child.ts') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    // What a run does not use (the API client until init reaches the API phases…) stays unparsed in its chunk.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    loader: { '.yaml': 'text' },
    logLevel: 'warning',
    absWorkingDir: repoRoot,
    banner: { js: "import{createRequire as __crashRequire}from'node:module';const require=__crashRequire(import.meta.url);" },
  });
  return path.join(dir, 'child.mjs');
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly trace: TraceEvent[];
  /** Wall time of the run, spawn to exit. */
  readonly ms: number;
  /** It ran past the time limit and the harness killed it. */
  readonly timedOut: boolean;
}

/** A run that takes longer is stuck (a full init here takes about a second): killed, and reported as such. */
const runLimitMs = 90_000;

let runs = 0;

/** Runs the child once on `node` with `args`, killed at `kill` if given; stdout/stderr go to files (a SIGKILL loses
 *  nothing written before it). */
export async function runChild(child: string, node: CrashNode, args: readonly string[], kill?: KillPoint): Promise<ChildRun> {
  const id = `${++runs}`;
  const files = { out: path.join(node.work, `${id}.stdout`), err: path.join(node.work, `${id}.stderr`), trace: path.join(node.work, `${id}.trace`) };
  const out = await open(files.out, 'w');
  const err = await open(files.err, 'w');
  const started = performance.now();
  try {
    let timedOut = false;
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const p = spawn(process.execPath, [child, ...args], {
        stdio: ['ignore', out.fd, err.fd],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/root',
          CRASH_ROOT: node.root,
          CRASH_PORT: String(node.port),
          CRASH_TRACE: files.trace,
          CRASH_KILL: kill === undefined ? '' : killPointText(kill),
        },
      });
      const limit = setTimeout(() => {
        timedOut = true;
        p.kill('SIGKILL');
      }, runLimitMs);
      p.on('error', reject);
      p.on('exit', (c, s) => {
        clearTimeout(limit);
        resolve({ code: c, signal: s });
      });
    });
    const text = async (f: string) => readFile(f, 'utf8').catch(() => '');
    return { code, signal, stdout: await text(files.out), stderr: await text(files.err), trace: parseTrace(await text(files.trace)), ms: performance.now() - started, timedOut };
  } finally {
    await out.close();
    await err.close();
  }
}

export interface CrashNode {
  /** The host root the child runs on. */
  readonly root: string;
  /** Beside the root: the child's output and trace files. */
  readonly work: string;
  readonly port: number;
  readonly node: ReturnType<typeof emulateNode>;
  dispose(): Promise<void>;
}

/** A fresh emulated node: temp root with /kubeadm.yaml (configFile on a free port, `edit` applied) and /reset.yaml,
 *  emulateNode running. */
export async function crashNode(edit: (config: string) => string): Promise<CrashNode> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-crash-'));
  const root = path.join(work, 'root');
  const port = await freePort();
  // The kubelet package's directory, there before init as on a real node. Without it the directory's mode would
  // depend on a race: init's kubelet-start makes it 0700, emulateNode's kubelet (this process) 0755 for its pki.
  await mkdir(path.join(root, 'var/lib'), { recursive: true });
  // /run is on every host; made by the lock in a bare temp root, it would outlive a killed run (nothing to compare).
  await mkdir(path.join(root, 'run'));
  await mkdir(path.join(root, 'var/lib/kubelet'), { mode: 0o700 });
  await writeFile(path.join(root, 'kubeadm.yaml'), edit(configFile(port)));
  // reset's: no etcd member runs here, so its removal gives up quickly; forced (no prompt, no TTY anyway).
  await writeFile(path.join(root, 'reset.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\nforce: true\ntimeouts:\n  etcdAPICall: 500ms\n');
  const node = emulateNode(root, port);
  return {
    root,
    work,
    port,
    node,
    dispose: async () => {
      await node.stop();
      // TSKUBEADM_CRASH_KEEP=1 keeps roots, outputs and traces for a post-mortem.
      if (process.env.TSKUBEADM_CRASH_KEEP === '1') process.stderr.write(`kept ${work}\n`);
      else await rm(work, { recursive: true, force: true });
    },
  };
}

/** Runs `jobs` with at most `width` in flight, results in input order. */
export async function pool<T, R>(items: readonly T[], width: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await job(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
