// The crash test's child: the whole CLI in its own process on the emulated node (nodeHost over the temp root;
// the parent runs emulateNode), killed with SIGKILL at a chosen point. Nothing in src/ knows about it: the
// points are found from outside. A phase boundary is the Nth `[phase] <path> done in|skipped|already done`
// line on stderr (-v 1 or more prints it after the phase's journal/progress flush); a mid-phase point is just
// before or just after the Nth fs.renameSync (every atomic write ends in one), patched here BEFORE the CLI is
// imported so every module sees the wrapper. Everything the child sees (phase starts and ends, renames, the
// kill) is appended to the trace file, synchronously, so the parent knows where it died. Node's fs calls made
// through `import * as fs` or named imports see the wrappers: syncBuiltinESMExports() updates the ESM bindings.
//
// Environment: CRASH_ROOT, CRASH_PORT, CRASH_TRACE (file), CRASH_KILL ('' | 'phase:N' | 'rename-before:N' |
// 'rename-after:N'); argv is the CLI's.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { parseKillPoint, type TraceEvent } from './trace.js';

const root = process.env.CRASH_ROOT ?? '';
const port = Number(process.env.CRASH_PORT);
const traceFile = process.env.CRASH_TRACE ?? '';
const kill = parseKillPoint(process.env.CRASH_KILL ?? '');

const original = { renameSync: fs.renameSync, appendFileSync: fs.appendFileSync, writeSync: fs.writeSync };
let phase = '';
let renames = 0;
let boundaries = 0;

function trace(e: TraceEvent): void {
  if (traceFile !== '') original.appendFileSync(traceFile, `${JSON.stringify(e)}\n`);
}

function die(e: TraceEvent): never {
  trace(e);
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is not deliverable late; this line is never reached.
  throw new Error('SIGKILL did not stop the process');
}

const hostPath = (p: string) => `/${path.relative(root, path.resolve(String(p))).split(path.sep).join('/')}`;

// Other changes to the disk, counted so the parent knows when "just after rename N" and "just before rename N+1"
// leave the same disk (nothing staged, made or removed in between) and tries only one of them.
let changes = 0;
const patchable = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['writeFileSync', 'mkdirSync', 'rmSync', 'unlinkSync', 'rmdirSync', 'linkSync', 'symlinkSync', 'chmodSync', 'copyFileSync']) {
  const inner = patchable[name]!;
  patchable[name] = function counted(this: unknown, ...args: unknown[]) {
    changes++;
    return inner.apply(this, args);
  };
}

fs.renameSync = function renameSync(from: fs.PathLike, to: fs.PathLike): void {
  const n = ++renames;
  const e: TraceEvent = { event: 'rename', n, phase, from: hostPath(String(from)), to: hostPath(String(to)), quiet: changes === 0 };
  changes = 0;
  if (kill?.kind === 'rename-before' && kill.n === n) die({ ...e, event: 'kill', point: 'rename-before' });
  original.renameSync(from, to);
  trace(e);
  if (kill?.kind === 'rename-after' && kill.n === n) die({ ...e, event: 'kill', point: 'rename-after' });
};
syncBuiltinESMExports();

const phaseLine = /^\[phase\] (\S+) (starting|done in |already done: |skipped: )/;
let pending = '';
function stderr(s: string): void {
  original.writeSync(2, s);
  pending += s;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    const m = phaseLine.exec(line);
    if (m === null) continue;
    if (m[2] === 'starting') {
      phase = m[1]!;
      trace({ event: 'phase-start', phase });
      continue;
    }
    const n = ++boundaries;
    const e: TraceEvent = { event: 'boundary', n, phase: m[1]!, status: m[2]!.trim().replace(/:$/, '').replace(/ in$/, '') };
    trace(e);
    if (kill?.kind === 'phase' && kill.n === n) die({ ...e, event: 'kill', point: 'phase' });
  }
}

const { run } = await import('../../../src/cli/run.js');
const { nodeHost } = await import('../emulated-node.js');
const host = nodeHost(root, port);
const code = await run({
  argv: process.argv.slice(2),
  env: {},
  stdout: (s) => void original.writeSync(1, s),
  stderr,
  isTTY: false,
  makeHost: () => host,
});
trace({ event: 'exit', code });
process.exit(code);
