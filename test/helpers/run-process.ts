// The built CLI run as users run it, in a child process: its exit code and whole output. And the README's
// quick-start config in a fresh root, as /kubeadm.yaml. Shared by the bundle and standalone-executable tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runProcess(command: string, args: readonly string[], opts: { cwd?: string; env: NodeJS.ProcessEnv }): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env, ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const repo = path.resolve(import.meta.dirname, '../..');

/** A fresh temporary root (named `<prefix>…`) holding examples/quickstart.yaml, edited, as /kubeadm.yaml. */
export function quickstartRoot(prefix: string, edit: (yaml: string) => string = (y) => y): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(root, 'kubeadm.yaml'), edit(readFileSync(path.join(repo, 'examples/quickstart.yaml'), 'utf8')));
  return root;
}
