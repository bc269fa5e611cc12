// Fuzzes the config loader with fast-check: documents shaped like kubeadm's with fields of any type, and text
// mutations of real config files (the corpus when ../shared is there, the examples always). Properties: every
// rejection is a typed error (exit 3, or 64 for a usage error) with a message; nothing is ever written; a file
// `config migrate` accepts migrates into one that loads again. Seeded, so CI is reproducible; FUZZ_RUNS and
// FUZZ_SEED run more or other cases (`FUZZ_RUNS=20000 node --import tsx … --test test/config/fuzz/…`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { loadInitConfig, loadJoinConfig, loadResetConfig, validateConfigFile } from '../../../src/config/load.js';
import { migrateConfig } from '../../../src/config/migrate.js';
import { TskubeadmError, exitCodeOf, exitCodes } from '../../../src/errors.js';
import { configHost } from '../config-host.js';
import { sharedPath, skipWithoutShared } from '../../helpers/shared.js';
import { aliasBomb, applyFieldEdit, applyMutation, configDocuments, deepNesting, fieldEdit, mutation } from './arbitraries.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1500);
const seed = Number(process.env.FUZZ_SEED ?? 20261125);
const file = '/root/kubeadm.yaml';

type Loader = 'init' | 'init-cri' | 'join' | 'reset' | 'validate' | 'migrate';
const loaders: readonly Loader[] = ['init', 'init-cri', 'join', 'reset', 'validate', 'migrate'];

interface Outcome {
  readonly ok: boolean;
  readonly migrated?: string;
}

/** Loads `text` with one loader on a fresh fake host; asserts the failure contract and that nothing was written. */
async function load(text: string, loader: Loader): Promise<Outcome> {
  const host = configHost({ files: { [file]: text }, sockets: ['/var/run/containerd/containerd.sock'] });
  let outcome: Outcome;
  try {
    switch (loader) {
      case 'init': await loadInitConfig({ host, configPath: file, flags: {}, skipCriDetect: true }); break;
      case 'init-cri': await loadInitConfig({ host, configPath: file, flags: {} }); break;
      case 'join': await loadJoinConfig({ host, configPath: file, flags: {} }); break;
      case 'reset': await loadResetConfig({ host, configPath: file, flags: {} }); break;
      case 'validate': await validateConfigFile({ host, configPath: file }); break;
      case 'migrate': outcome = { ok: true, migrated: (await migrateConfig({ host, oldConfigPath: file })).text }; break;
    }
    outcome ??= { ok: true };
  } catch (err) {
    assert.ok(err instanceof TskubeadmError, `${loader}: untyped ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err)}\n--- input ---\n${text}`);
    assert.ok(err.message.trim() !== '', `${loader}: empty message`);
    for (const line of err.message.split('\n')) assert.ok(line.trim() !== '', `${loader}: blank line in "${err.message}"`);
    const code = exitCodeOf(err);
    assert.ok(code === exitCodes.invalidInput || code === exitCodes.usage, `${loader}: exit ${code} for "${err.message}"`);
    outcome = { ok: false };
  }
  assert.deepEqual(host.mutations, [], `${loader} changed the host`);
  return outcome;
}

/** A migrated file is kubeadm's current format: reading it again must not fail. */
async function checkMigrated(o: Outcome): Promise<void> {
  if (o.migrated === undefined) return;
  const again = await load(o.migrated, 'migrate');
  assert.ok(again.ok, `the migrated file does not load again:\n${o.migrated}`);
}

const params = (n: number) => ({ numRuns: n, seed, endOnFailure: true });

test('generated kubeadm-shaped documents: typed errors only, nothing written', async (t) => {
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(configDocuments, fc.constantFrom(...loaders), async (docs, loader) => {
      const text = docs.map((d) => stringify(d)).join('---\n');
      const o = await load(text, loader);
      if (o.ok) accepted++;
      await checkMigrated(o);
    }),
    params(runs),
  );
  t.diagnostic(`${runs} documents, ${accepted} accepted`);
});

/** Real files, then broken by hand-like edits: a valid starting point reaches the deeper validation paths. */
function mutationsOf(sources: readonly string[]) {
  return fc.asyncProperty(
    fc.constantFrom(...sources),
    fc.array(mutation, { minLength: 1, maxLength: 4 }),
    fc.constantFrom(...loaders),
    async (source, edits, loader) => {
      const text = edits.reduce(applyMutation, source);
      await checkMigrated(await load(text, loader));
    },
  );
}

const repo = path.resolve(import.meta.dirname, '../../..');

test('mutated examples: typed errors only, nothing written', async (t) => {
  const dir = path.join(repo, 'examples');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  await fc.assert(mutationsOf(sources), params(runs));
  t.diagnostic(`${runs} mutations of ${sources.length} example file(s)`);
});

test('mutated corpus files: typed errors only, nothing written', { skip: skipWithoutShared('corpus') }, async (t) => {
  const dir = sharedPath('corpus');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  await fc.assert(mutationsOf(sources), params(runs * 2));
  t.diagnostic(`${runs * 2} mutations of ${sources.length} corpus files`);
});

/** Valid files parsed, edited one to three fields at a time, written back as YAML. */
function fieldEditsOf(sources: readonly string[]) {
  // Templates ({{ NODE_IP }}) parse as mapping keys, which the yaml package warns about when it builds objects.
  const parsed = sources.filter((s) => !s.includes('{{')).map((s) => parseAllDocuments(s).map((d) => d.toJS() as unknown));
  let accepted = 0;
  const property = fc.asyncProperty(
    fc.constantFrom(...parsed),
    fc.nat(),
    fc.array(fieldEdit, { minLength: 1, maxLength: 3 }),
    fc.constantFrom(...loaders),
    async (docs, which, edits, loader) => {
      const i = which % docs.length;
      const edited = docs.map((d, j) => (j === i ? edits.reduce(applyFieldEdit, d) : d));
      const o = await load(edited.map((d) => stringify(d)).join('---\n'), loader);
      if (o.ok) accepted++;
      await checkMigrated(o);
    },
  );
  return { property, accepted: () => accepted };
}

test('valid examples with fields edited: typed errors only, nothing written', async (t) => {
  const dir = path.join(repo, 'examples');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const { property, accepted } = fieldEditsOf(sources);
  await fc.assert(property, params(runs));
  t.diagnostic(`${runs} edited documents, ${accepted()} accepted`);
});

test('corpus files with fields edited: typed errors only, nothing written', { skip: skipWithoutShared('corpus') }, async (t) => {
  const dir = sharedPath('corpus');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  const { property, accepted } = fieldEditsOf(sources);
  await fc.assert(property, params(runs));
  t.diagnostic(`${runs} edited documents, ${accepted()} accepted`);
});

test('an alias bomb and deep nesting are refused as config errors, not expanded', async () => {
  for (const loader of loaders) {
    assert.equal((await load(aliasBomb(9), loader)).ok, false);
    await load(deepNesting(2000), loader);
  }
});
