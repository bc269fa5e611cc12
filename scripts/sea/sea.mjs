// The standalone executable: this Node binary with the CommonJS bundle injected as a single
// executable application (https://nodejs.org/docs/latest-v20.x/api/single-executable-applications.html).
// Every step that depends on the machine is checked first; a machine where it cannot work gets a
// reason, and the build goes on without the executable.
import { execFile } from 'node:child_process';
import { chmod, copyFile, open, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { seaIncompatibility } from './cjs-bundle.mjs';

const run = promisify(execFile);
const fuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Whether `file` contains `needle`, read in chunks (the Node binary is ~100 MB). */
async function fileContains(file, needle) {
  const handle = await open(file, 'r');
  try {
    const pattern = Buffer.from(needle);
    const chunk = Buffer.alloc(8 << 20);
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (window.includes(pattern)) return true;
      carry = window.subarray(Math.max(0, window.length - pattern.length + 1));
    }
  } finally {
    await handle.close();
  }
}

/** Why this machine cannot make the executable, or undefined when it can. */
export async function seaUnavailable(repo) {
  if (process.env.TSKUBEADM_BUILD_EXECUTABLE === '0') return 'TSKUBEADM_BUILD_EXECUTABLE=0 is set';
  if (process.platform !== 'linux') {
    return `single executables are built on Linux only (this is ${process.platform}: macOS and Windows also need the binary's signature removed and redone)`;
  }
  try {
    createRequire(path.join(repo, 'package.json')).resolve('postject/package.json');
  } catch {
    return 'postject is not installed (it is a devDependency: npm ci)';
  }
  // Distribution builds of Node that link a shared libnode are built without the fuse.
  if (!(await fileContains(process.execPath, `${fuse}:0`))) {
    return `${process.execPath} has no single-executable fuse (use an official Node.js binary)`;
  }
  return undefined;
}

/**
 * Makes `output` from the bundle named in `config` (a sea-config.json, its paths relative to
 * `repo`): the blob, a copy of this Node binary, the blob injected, mode 0755.
 */
export async function buildExecutable({ repo, config, output }) {
  const { output: blob } = JSON.parse(await readFile(path.join(repo, config), 'utf8'));
  try {
    await run(process.execPath, ['--experimental-sea-config', config], { cwd: repo });
    await copyFile(process.execPath, output);
    await chmod(output, 0o755);
    const cli = createRequire(path.join(repo, 'package.json')).resolve('postject/dist/cli.js');
    // postject's own output (and LIEF's harmless "Can't find string offset" notes) only matter when it fails.
    await run(process.execPath, [cli, output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', fuse], { cwd: repo, maxBuffer: 16 << 20 });
  } catch (err) {
    await rm(output, { force: true });
    throw err;
  } finally {
    await rm(path.join(repo, blob), { force: true });
  }
}

/**
 * `output` from `bundle` ({seconds} it took), or why not ({skipped: reason}): the machine cannot make
 * it, or a step failed (the build goes on without it; the tests that need it skip).
 */
export async function standaloneExecutable({ repo, bundle, config, output }) {
  await rm(path.join(repo, output), { force: true });
  const incompatible = seaIncompatibility(await readFile(path.join(repo, bundle), 'utf8'));
  const unavailable = incompatible === undefined ? await seaUnavailable(repo) : `${bundle} cannot run as one: ${incompatible}`;
  if (unavailable !== undefined) return { skipped: unavailable };
  const start = performance.now();
  try {
    await buildExecutable({ repo, config, output: path.join(repo, output) });
    return { seconds: (performance.now() - start) / 1000 };
  } catch (err) {
    return { skipped: String(err.stderr || err.message).trim() };
  }
}
