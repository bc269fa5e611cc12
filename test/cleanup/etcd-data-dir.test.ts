// The etcd data directory at reset (remove-etcd-member): its contents go under the file rule, pre-existing entries
// stay, and a directory the journal knows nothing about is kept and reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanEtcdDataDir } from '../../src/cleanup/host-files.js';
import { captureOutput } from '../../src/output/output.js';
import { resetContext } from '../helpers/reset-context.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';
import { treeListing } from '../helpers/tree-listing.js';
import { defaultWatched, journaledRun, put } from './journal-fixture.js';

test('cleanEtcdDataDir: contents go, pre-existing entries and a pre-existing directory stay', () =>
  withTempRoot(async (root) => {
    await put(root, '/var/lib/etcd/README.mine', 'keep\n');
    const journal = await journaledRun(root, async (h) => h.fs.write('/etc/kubernetes/manifests/etcd.yaml', 'etcd\n', { mode: 0o600 }));
    await put(root, '/var/lib/etcd/member/wal/0.wal', 'wal\n');
    const ctx = resetContext({ host: tempRootHost(root), journal, out: captureOutput(2) });
    await cleanEtcdDataDir(ctx, '/var/lib/etcd');
    const left = [...(await treeListing(root)).keys()].filter((p) => p.startsWith('/var/lib/etcd'));
    assert.deepEqual(left, ['/var/lib/etcd', '/var/lib/etcd/README.mine']);
    assert.match((ctx.out as ReturnType<typeof captureOutput>).stdout(), /^\[reset\] Deleted contents of the etcd data directory: \/var\/lib\/etcd$/m);
  }));

test('cleanEtcdDataDir outside the snapshot: etcd\'s files are kept and reported, and no "Deleted contents" line claims otherwise', () =>
  withTempRoot(async (root) => {
    const watched = defaultWatched.filter((d) => d !== '/var/lib/etcd');
    const journal = await journaledRun(root, async (h) => h.fs.write('/etc/kubernetes/manifests/etcd.yaml', 'etcd\n', { mode: 0o600 }), { watched });
    await put(root, '/var/lib/etcd/member/wal/0.wal', 'wal\n');
    const ctx = resetContext({ host: tempRootHost(root), journal, out: captureOutput(2) });
    await cleanEtcdDataDir(ctx, '/var/lib/etcd');
    assert.ok((await treeListing(root)).has('/var/lib/etcd/member/wal/0.wal'));
    assert.ok(ctx.report.leftovers.some((l) => l.item === '/var/lib/etcd' && /not known/.test(l.reason)));
    assert.doesNotMatch((ctx.out as ReturnType<typeof captureOutput>).stdout(), /Deleted contents of the etcd data directory/);
  }));
