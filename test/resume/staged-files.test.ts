// Crash hygiene: staged files (`.<name>.<pid>.<hex>.tmp`) of processes that are gone are removed from the
// directories tskubeadm writes; a live writer's are kept, and so is anything that only looks similar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleStagedFiles } from '../../src/resume/staged-files.js';
import { tempRootHost, withTempRoot } from '../helpers/temp-root.js';

test('staged files of dead writers go; a live writer\'s, other names and unwatched directories stay', async () => {
  await withTempRoot(async (root) => {
    const files = [
      'etc/kubernetes/pki/.ca.key.111.0123456789ab.tmp', // dead writer, deep under /etc/kubernetes
      'etc/kubernetes/manifests/.etcd.yaml.111.abcdefabcdef.tmp',
      'var/lib/kubelet/.config.yaml.111.abcdefabcdef.tmp',
      'var/lib/tskubeadm/.progress.json.4242.abcdefabcdef.tmp', // our own pid: the lock is ours, so it is stale too
      'etc/kubernetes/pki/.apiserver.key.222.0123456789ab.tmp', // live writer
      'etc/kubernetes/pki/.notes.tmp', // not a staged name
      'var/lib/kubelet/pki/.kubelet.crt.111.abcdefabcdef.tmp', // below the kubelet's top level: the kubelet's own
      'etc/kubernetes/tmp/tskubeadm-init-dryrun1/.x.111.abcdefabcdef.tmp', // a dry run's folder
    ];
    for (const f of files) {
      await mkdir(path.dirname(path.join(root, f)), { recursive: true });
      await writeFile(path.join(root, f), 'x');
    }
    const host = tempRootHost(root, { pids: [222], self: { pid: 4242, argv: ['tskubeadm', 'init'] } });
    const removed = await removeStaleStagedFiles(host);
    assert.deepEqual(removed.sort(), files.slice(0, 4).map((f) => `/${f}`).sort());
    for (const f of files.slice(4)) assert.ok((await readdir(path.dirname(path.join(root, f)))).includes(path.basename(f)), `${f} kept`);
  });
});
