// The composition root: the real process, terminal and machine, handed to the CLI.
// Importing this module runs the CLI (it is the bundle's entry point).
import { askYesNo } from './cli/confirm.js';
import { interruptNotice, run } from './cli/run.js';
import { realHost, rootfsHost } from './host/index.js';

// `tskubeadm … | head` closes the pipe early: further output is dropped, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const controller = new AbortController();
// First SIGINT/SIGTERM: stop after the current phase. A second one: the default action (exit now).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(interruptNotice(process.argv.slice(2), signal));
    controller.abort(new Error(`received ${signal}`));
  });
}

const code = await run({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  isTTY: process.stdout.isTTY === true,
  makeHost: ({ rootfs }) => (rootfs === undefined ? realHost() : rootfsHost(rootfs, realHost())),
  signal: controller.signal,
  // A pseudo-terminal without a size reports 0 columns.
  ...(process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
  ...(process.stdin.isTTY === true ? { confirm: askYesNo } : {}),
});
process.exitCode = code;
if (code !== 0) {
  // A failed run may leave work in flight that no one will use (keys generated ahead for later
  // phases: seconds of CPU with RSA-4096); exit as soon as what was printed has been written.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))));
  process.exit(code);
}
