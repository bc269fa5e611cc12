// The contract with the host journal: the lock is taken before openJournal and released after its last flush,
// so neither the lock file nor the /run it may create ever becomes a journal entry (reset would "restore" it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureOutput } from '../../src/output/output.js';
import { journalPath } from '../../src/journal/journal.js';
import { loadJournal } from '../../src/journal/journal-file.js';
import { openJournal } from '../../src/journal/recorder.js';
import { withHostLock } from '../../src/lock/host-lock.js';
import { hostLockPath } from '../../src/lock/lock-file.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

test('a journaled run inside withHostLock: the journal has the run\'s files and nothing of the lock', () =>
  withTempRoot(async (root) => {
    const host = tempRootHost(root);
    const out = captureOutput();
    await withHostLock(host, { command: 'init', timeoutMs: 0, out }, async () => {
      assert.ok((await host.fs.stat(hostLockPath)) !== undefined);
      const recorder = await openJournal(host, { command: 'init', phases: ['certs/ca'], watched: ['/etc/kubernetes'], out });
      await host.fs.write('/etc/kubernetes/pki/ca.crt', 'cert\n', { mode: 0o644 });
      await recorder.flush();
    });
    assert.equal(await host.fs.stat(hostLockPath), undefined);
    assert.equal(await host.fs.stat('/run'), undefined);
    assert.ok((await host.fs.stat(journalPath)) !== undefined);
    const journal = await loadJournal(host, out);
    assert.ok(journal !== undefined, out.stderr());
    const paths = journal.entries.flatMap((e) => ('path' in e ? [e.path, ...('created' in e ? e.created : []), ...('createdDirs' in e ? e.createdDirs ?? [] : [])] : []));
    assert.ok(paths.includes('/etc/kubernetes/pki/ca.crt'), JSON.stringify(journal.entries));
    assert.deepEqual(paths.filter((p) => p === '/run' || p.startsWith('/run/')), []);
  }));
