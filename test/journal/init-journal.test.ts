// The journal hooked into the CLI and the runner: `init` records what it wrote, a failing phase's changes are
// flushed before its error propagates, and a dry run leaves no journal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runJournaled, type RunSetup } from '../../src/cli/workflow-run.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { PhaseError } from '../../src/errors.js';
import type { Host } from '../../src/host/host.js';
import type { HostJournal } from '../../src/journal/journal.js';
import { captureOutput, type Output } from '../../src/output/output.js';
import type { Phase } from '../../src/workflow/phase.js';
import { selectPhases } from '../../src/workflow/select.js';
import { runCli } from '../cli/run-cli.js';
import { node1InitDocument } from '../phases/init/certs-fixture.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

const config = `${node1InitDocument}apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.0
encryptionAlgorithm: ECDSA-P256
certificatesDir: /etc/kubernetes/my-pki
`;

async function journalOf(root: string): Promise<HostJournal> {
  return JSON.parse(await readFile(path.join(root, 'var/lib/tskubeadm/journal.json'), 'utf8')) as HostJournal;
}

describe('init keeps the host journal', () => {
  it('`init phase certs all` leaves a journal listing every file it wrote, with the snapshot of what was there', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), config);
      await mkdir(path.join(root, 'etc/kubernetes/my-pki'), { recursive: true });
      await writeFile(path.join(root, 'etc/kubernetes/my-pki/user-notes.txt'), 'mine');
      const r = await runCli(['init', 'phase', 'certs', 'all', '--config', '/kubeadm.yaml'], { host: tempRootHost(root) });
      assert.equal(r.code, 0, r.stderr);

      const j = await journalOf(root);
      assert.equal(j.runs.length, 1);
      assert.equal(j.runs[0]?.command, 'init');
      assert.ok(j.runs[0]?.phases.includes('certs/ca') && j.runs[0].phases.includes('certs/sa'), j.runs[0]?.phases.join(','));
      // The certificates directory is inside /etc/kubernetes: one listing covers it.
      assert.deepEqual(Object.keys(j.snapshot.dirs).sort(), ['/etc/cni', '/etc/kubernetes', '/var/lib/cni', '/var/lib/etcd', '/var/lib/kubelet']);
      assert.deepEqual(j.snapshot.dirs['/etc/kubernetes']?.entries, ['my-pki', 'my-pki/user-notes.txt']);

      const onDisk = (await readdir(path.join(root, 'etc/kubernetes/my-pki'), { recursive: true }))
        .filter((p) => p.includes('.'))
        .filter((p) => p !== 'user-notes.txt')
        .map((p) => `/etc/kubernetes/my-pki/${p}`)
        .sort();
      assert.ok(onDisk.includes('/etc/kubernetes/my-pki/ca.key') && onDisk.includes('/etc/kubernetes/my-pki/etcd/ca.crt'), onDisk.join(' '));
      const written = j.entries.flatMap((e) => (e.action === 'write' ? [e.path] : [])).sort();
      assert.deepEqual(written, onDisk);
      for (const e of j.entries) {
        if (e.action !== 'write') continue;
        assert.equal(e.sha256, sha(await readFile(path.join(root, e.path))), e.path);
        assert.deepEqual(e.previous, { existed: false });
      }
      assert.ok(j.entries.some((e) => e.action === 'write' && e.createdDirs?.includes('/etc/kubernetes/my-pki/etcd')));
    });
  });

  it('a second run appends itself and keeps the first snapshot', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), config);
      const host = tempRootHost(root);
      assert.equal((await runCli(['init', 'phase', 'certs', 'ca', '--config', '/kubeadm.yaml'], { host })).code, 0);
      const first = await journalOf(root);
      assert.equal((await runCli(['init', 'phase', 'certs', 'apiserver', '--config', '/kubeadm.yaml'], { host: tempRootHost(root) })).code, 0);
      const second = await journalOf(root);
      assert.deepEqual(second.snapshot, first.snapshot);
      assert.deepEqual(second.runs.map((r) => r.phases), [['certs/ca'], ['certs/apiserver']]);
      assert.deepEqual(second.entries.filter((e) => e.run === 1).map((e) => e.action === 'write' && e.path),
        ['/etc/kubernetes/my-pki/apiserver.key', '/etc/kubernetes/my-pki/apiserver.crt']);
    });
  });

  it('`init --dry-run` leaves no journal', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), config);
      const r = await runCli(['init', '--dry-run', '--skip-phases', 'preflight', '--config', '/kubeadm.yaml'], { host: tempRootHost(root) });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\[dryrun\] Would write file "\/etc\/kubernetes\/my-pki\/ca\.key"/);
      assert.deepEqual(await readdir(root), ['etc', 'kubeadm.yaml']);
    });
  });

  it('a config error writes nothing, not even a journal', async () => {
    await withTempRoot(async (root) => {
      await writeFile(path.join(root, 'kubeadm.yaml'), config.replace('ECDSA-P256', 'RSA-1024'));
      const r = await runCli(['init', 'phase', 'certs', 'all', '--config', '/kubeadm.yaml'], { host: tempRootHost(root) });
      assert.equal(r.code, 3);
      assert.deepEqual(await readdir(root), ['kubeadm.yaml']);
    });
  });
});

interface Ctx {
  readonly host: Host;
  readonly out: Output;
  readonly dryRun: boolean;
}

const phases: Phase<Ctx>[] = [
  { name: 'one', short: 'one', run: async (c) => c.host.fs.write('/etc/kubernetes/one', '1', { mode: 0o600 }) },
  { name: 'never', short: 'never', runIf: () => false, run: async () => {} },
  {
    name: 'two',
    short: 'two',
    run: async (c) => {
      await c.host.fs.write('/var/lib/kubelet/two', '2', { mode: 0o644 });
      throw new Error('boom');
    },
  },
  { name: 'three', short: 'three', run: async (c) => c.host.fs.write('/etc/kubernetes/three', '3', { mode: 0o600 }) },
];

function setupFor(out: Output, host: Host): { deps: CliDeps; setup: RunSetup } {
  const deps: CliDeps = { argv: [], env: {}, stdout: () => {}, stderr: () => {}, isTTY: false, makeHost: () => host };
  const setup: RunSetup = { out, host, renderer: { out, execute: async (steps) => { for (const s of steps) await s.run(); } } };
  return { deps, setup };
}

describe('runJournaled', () => {
  it('flushes after each phase, including the failing one, before its error propagates', async () => {
    await withTempRoot(async (root) => {
      const host = tempRootHost(root);
      const out = captureOutput();
      const { deps, setup } = setupFor(out, host);
      const flushedAfterOne: string[] = [];
      // Watch the journal from inside phase "two": phase one's entry must already be on disk.
      const spied: Phase<Ctx>[] = [phases[0]!, phases[1]!, {
        ...phases[2]!,
        run: async (c) => {
          const j = await journalOf(root);
          flushedAfterOne.push(...j.entries.flatMap((e) => (e.action === 'write' ? [e.path] : [])));
          await phases[2]!.run!(c);
        },
      }, phases[3]!];
      await assert.rejects(
        runJournaled(deps, setup, selectPhases(spied, {}), { host, out, dryRun: false }, { command: 'init', watched: ['/etc/kubernetes'] }),
        (err) => err instanceof PhaseError && err.phasePath === 'two',
      );
      assert.deepEqual(flushedAfterOne, ['/etc/kubernetes/one']);
      const j = await journalOf(root);
      assert.deepEqual(j.runs[0]?.phases, ['one', 'never', 'two', 'three']);
      assert.deepEqual(j.entries.flatMap((e) => (e.action === 'write' ? [e.path] : [])), ['/etc/kubernetes/one', '/var/lib/kubelet/two']);
    });
  });

  it('keeps no journal for a dry run', async () => {
    await withTempRoot(async (root) => {
      const host = tempRootHost(root);
      const out = captureOutput();
      const { deps, setup } = setupFor(out, host);
      const harmless = [phases[1]!];
      await runJournaled(deps, setup, selectPhases(harmless, {}), { host, out, dryRun: true }, { command: 'join', watched: [] });
      assert.deepEqual(await readdir(root), []);
    });
  });
});
