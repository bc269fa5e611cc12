// Resumable init under SIGKILL: `tskubeadm init` in a child process on the emulated node (temp root, fake
// systemctl, the test API server started in THIS process once the manifests appear), killed at every phase
// boundary and just before and after every atomic rename of the certs, etcd and control-plane phases (the points
// are read off an uninterrupted run), then run again with the same command. The re-run must complete and leave
// the tree an uninterrupted run leaves (paths, kinds, modes; content where it depends on neither keys nor time),
// no staged `.*.tmp` file and one bootstrap token Secret in the cluster; `reset` must then bring the root back to
// what it was before the killed run (the journal must know the killed run's files as tskubeadm's).
//
// Preflight runs for real: the checks that fail on a fresh root on this machine (no crictl, no kernel config…)
// are read off the uninterrupted run and ignored (and the ports of components the emulated node never runs), nothing
// else, so what the killed run left behind (manifests, the API server's port) must be excused by the resume feature.
//
// TSKUBEADM_CRASH_POINTS=<regex> runs only the kill points whose label matches (e.g. 'certs/ca\b').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { finalTree, stagedFiles, treeDifferences } from '../helpers/crash/final-tree.js';
import { buildChild, crashNode, pool, runChild, type ChildRun, type CrashNode } from '../helpers/crash/harness.js';
import { planKillPoints, preflightWarnings, type PlannedKill } from '../helpers/crash/kill-points.js';

// ECDSA keys: dozens of inits, and what a crash leaves does not depend on the key type.
const ecdsa = (config: string) => config.replace('kind: ClusterConfiguration\n', 'kind: ClusterConfiguration\nencryptionAlgorithm: ECDSA-P256\n');
const initArgs = ['init', '--config', '/kubeadm.yaml', '-v', '2'];
const resetArgs = ['reset', '--config', '/reset.yaml'];
const midPhase = (phase: string) => /^(certs|etcd|control-plane)(\/|$)/.test(phase);
/** Ports of components the emulated node never runs: a holder is someone else on this machine, not the killed run. */
const foreignPorts = ['Port-10250', 'Port-10257', 'Port-10259', 'Port-2379', 'Port-2380'];
const bootstrapTokenType = 'bootstrap.kubernetes.io/token';

function tokenSecrets(node: CrashNode): string[] {
  const server = node.node.server();
  return server === undefined ? [] : server.objects('Secret', 'kube-system').filter((s) => s['type'] === bootstrapTokenType).map((s) => s.metadata.name ?? '');
}

/** What a failed run said went wrong: its [ERROR …] lines and the error with its fix, not the progress. */
function errorLines(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /^\s*\[ERROR |^error:|^\s+fix:/.test(l));
  return (lines.length > 0 ? lines : stderr.split('\n').slice(-8)).map((l) => l.trim().slice(0, 240)).join('\n');
}

function shown(r: ChildRun): string {
  return `exit ${r.code} signal ${r.signal}${r.timedOut ? ' (stuck: killed by the harness)' : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

test('init killed with SIGKILL at every phase boundary and mid-write converges on a re-run', {
  skip: process.platform === 'linux' ? false : 'the crash test needs Linux (SIGKILL of a child, the emulated node on a real filesystem)',
  timeout: 10 * 60_000,
}, async (t) => {
  const started = performance.now();
  const build = await mkdtemp(path.join(os.tmpdir(), 'tskubeadm-crash-child-'));
  t.after(() => rm(build, { recursive: true, force: true }));
  const child = await buildChild(build);

  // The uninterrupted run: the reference tree, the phase list, the renames, and this machine's preflight failures.
  const ref = await crashNode(ecdsa);
  let reference: { tree: Map<string, string>; run: ChildRun };
  try {
    const pristine = await finalTree(ref.root, ref.port);
    const run = await runChild(child, ref, [...initArgs, '--ignore-preflight-errors', 'all']);
    assert.equal(run.code, 0, `the uninterrupted init failed:\n${shown(run)}`);
    assert.deepEqual(tokenSecrets(ref), ['bootstrap-token-abcdef']);
    const tree = await finalTree(ref.root, ref.port);
    assert.deepEqual(stagedFiles(tree), []);
    reference = { tree, run };
    // The check each kill point ends with holds for an uninterrupted run: reset brings the root back.
    const reset = await runChild(child, ref, resetArgs);
    assert.equal(reset.code, 0, `reset after the uninterrupted init failed:\n${shown(reset)}`);
    assert.deepEqual(treeDifferences(pristine, await finalTree(ref.root, ref.port)), []);
  } finally {
    await ref.dispose();
  }
  const ignored = [...preflightWarnings(reference.run.stderr), ...foreignPorts];
  const args = [...initArgs, '--ignore-preflight-errors', ignored.join(',')];
  const filter = process.env.TSKUBEADM_CRASH_POINTS;
  const all = planKillPoints(reference.run.trace, midPhase);
  const points = filter === undefined || filter === '' ? all : all.filter((p) => new RegExp(filter).test(p.label));
  const boundaries = points.filter((p) => p.point.kind === 'phase').length;
  t.diagnostic(`${points.length} kill points (${boundaries} phase boundaries, ${points.length - boundaries} mid-phase renames) of ${all.length}; preflight ignores ${ignored.join(',') || 'nothing'}`);
  const referenceRenames = new Map(reference.run.trace.flatMap((e) => (e.event === 'rename' ? [[e.n, e.to] as const] : [])));

  // Two at a time (CI has two cores), each on its own root and port.
  const outcomes = await pool(points, 2, async (planned: PlannedKill) => ({
    label: planned.label,
    problems: await killAndResume(child, args, planned, reference.tree, referenceRenames)
      .catch((err: unknown) => [`harness: ${String((err as Error).stack ?? err)}`]),
  }));
  const failures = outcomes.filter((o) => o.problems.length > 0);
  t.diagnostic(`${points.length} kill points tried in ${((performance.now() - started) / 1000).toFixed(1)}s, ${failures.length} failed`);
  for (const line of symptomSummary(failures)) t.diagnostic(line);
  assert.equal(failures.length, 0, `${failures.length} of ${points.length} kill points did not converge (see the diagnostics)`);
});

/** The kinds of failure, each with how many kill points showed it, which, and the first one's details. */
function symptomSummary(failures: readonly { label: string; problems: string[] }[]): string[] {
  const symptomOf = (problem: string): string =>
    problem.startsWith('harness:') ? 'the harness failed (not a kill/re-run outcome)'
      : problem.startsWith('the re-run exited') ? 'the re-run failed'
        : problem.startsWith('staged file left') ? 'a staged .tmp file is left after the re-run'
          : problem.startsWith('bootstrap token') ? 'not exactly one bootstrap token Secret'
            : problem.startsWith('reset after') ? 'reset after the re-run failed'
              : problem.startsWith('after reset:') ? 'reset after the re-run leaves files behind'
                : /^\S+ \/var\/lib\/tskubeadm\/previous\//.test(problem) ? 'extra journal backups in /var/lib/tskubeadm/previous/'
                  : 'the final tree differs from the uninterrupted run\'s';
  const groups = new Map<string, { labels: string[]; example: { label: string; problems: string[] } }>();
  for (const f of failures) {
    for (const symptom of new Set(f.problems.map(symptomOf))) {
      const g = groups.get(symptom) ?? { labels: [], example: { label: f.label, problems: f.problems.filter((p) => symptomOf(p) === symptom) } };
      g.labels.push(f.label);
      groups.set(symptom, g);
    }
  }
  return [...groups].flatMap(([symptom, g]) => [
    `SYMPTOM ${symptom}: ${g.labels.length} kill points: ${g.labels.join('; ')}`,
    `  e.g. ${g.example.label}:\n    ${g.example.problems.join('\n').split('\n').slice(0, 8).join('\n    ')}`,
  ]);
}

/** One kill point on a fresh node: what went wrong (nothing when the re-run converged). */
async function killAndResume(child: string, args: readonly string[], planned: PlannedKill, want: Map<string, string>, renames: ReadonlyMap<number, string>): Promise<string[]> {
  const node = await crashNode(ecdsa);
  try {
    const pristine = await finalTree(node.root, node.port);
    const killed = await runChild(child, node, args, planned.point);
    // The harness itself: the child must have died by SIGKILL exactly where planned.
    assert.ok(killed.signal === 'SIGKILL' && !killed.timedOut, `the child was not killed at ${planned.label}:\n${shown(killed)}`);
    const at = killed.trace.at(-1);
    assert.equal(at?.event, 'kill', `no kill event last in the trace at ${planned.label}`);
    if (at?.event === 'kill') {
      assert.equal(at.phase, planned.phase, `killed in ${at.phase}, planned ${planned.phase}`);
      if (planned.target !== undefined) assert.equal(at.to, renames.get(at.n), 'the renames are not in the order of the uninterrupted run');
    }
    const resumed = await runChild(child, node, args);
    if (resumed.timedOut) return [`the re-run exited: stuck for ${Math.round(resumed.ms / 1000)}s, killed:\n${errorLines(resumed.stderr)}`];
    if (resumed.code !== 0) return [`the re-run exited ${resumed.code}:\n${errorLines(resumed.stderr)}`];
    const got = await finalTree(node.root, node.port);
    const staged = stagedFiles(got);
    const problems = [
      ...staged.map((p) => `staged file left: ${p}`),
      ...treeDifferences(want, got).filter((d) => !staged.some((p) => d.includes(p))),
    ];
    const secrets = tokenSecrets(node);
    if (secrets.length !== 1) problems.push(`bootstrap token Secrets after the re-run: ${JSON.stringify(secrets)} (want one)`);
    // And the crash is undone like any init: reset leaves the root as it was before the killed run.
    const reset = await runChild(child, node, resetArgs);
    if (reset.code !== 0) problems.push(`reset after the re-run exited ${reset.code}:\n${errorLines(reset.stderr)}`);
    else problems.push(...treeDifferences(pristine, await finalTree(node.root, node.port)).map((d) => `after reset: ${d}`));
    return problems;
  } finally {
    await node.dispose();
  }
}
