// etcd-join for real: a one-member etcd (node A, 127.0.0.11) runs from init's manifest; node B (127.0.0.12)
// runs check-etcd and etcd-join against it through an in-memory API holding A's etcd mirror Pod. An emulated
// kubelet starts B's etcd as soon as the phase writes its manifest. Both members end up started and voting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { Host } from '../../../src/host/host.js';
import { realHost } from '../../../src/host/real-host.js';
import { etcdClient } from '../../../src/etcd/etcd-client.js';
import { manifestCommand, manifestPath } from '../../../src/manifest-files/static-pod-files.js';
import { captureOutput } from '../../../src/output/output.js';
import { checkEtcd } from '../../../src/phases/join/check-etcd.js';
import { etcdJoin } from '../../../src/phases/join/etcd-join.js';
import { startEtcdFromManifest, type EtcdProcess } from '../../helpers/etcd-process.js';
import { etcdSkipReason } from '../../helpers/etcd-process.js';
import { joinContext } from '../../helpers/join-context.js';
import { withTempRoot } from '../../helpers/temp-root.js';
import { joinConfig } from '../../preflight/healthy-host.js';
import { etcdPodsApi, firstNode, healthcheckPems, joiningNodePki, nodeConfig } from '../../etcd/etcd-nodes.js';

const skip = etcdSkipReason();

test('check-etcd and etcd-join add a second member to a real etcd cluster', { skip, timeout: 180_000 }, (t) =>
  withTempRoot((rootA) => withTempRoot(async (rootB) => {
    const a = await firstNode(t, rootA, nodeConfig('cp-a', '127.0.0.11'));
    const api = etcdPodsApi([a.etcd.clientURL]);
    const cfgB = nodeConfig('cp-b', '127.0.0.12');
    const inner = await joiningNodePki(rootA, rootB, cfgB);
    // The emulated kubelet: B's etcd starts when its manifest appears.
    let b: Promise<EtcdProcess> | undefined;
    const host: Host = {
      ...inner,
      fs: {
        ...inner.fs,
        async write(p, data, opts) {
          await inner.fs.write(p, data, opts);
          if (p === manifestPath('etcd')) b = startEtcdFromManifest(rootB, { t, waitFor: 'none' });
        },
      },
    };
    const out = captureOutput();
    const cfg = joinConfig((c) => ({ ...c, join: { ...c.join, controlPlane: { localAPIEndpoint: cfgB.init.localAPIEndpoint, certificateKey: '' } } }));
    const ctx = joinContext({ cfg, host, out, cluster: cfgB, adminApi: api });

    await checkEtcd.run!(ctx);
    await etcdJoin.run!(ctx);
    assert.ok(b !== undefined, 'the phase wrote the etcd manifest');
    const lines = out.stdout().trim().split('\n');
    assert.deepEqual(lines, [
      '[check-etcd] Checking that the etcd cluster is healthy',
      '[etcd] Announced new etcd member joining to the existing etcd cluster',
      '[etcd] Creating static Pod manifest for "etcd"',
      '[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s',
    ]);

    const command = manifestCommand(parse(await readFile(path.join(rootB, 'etc/kubernetes/manifests/etcd.yaml'), 'utf8')) as Record<string, unknown>);
    assert.ok(command.includes('--initial-cluster-state=existing'));
    const initial = command.find((c) => c.startsWith('--initial-cluster='))!.split('=').slice(1).join('=').split(',').sort();
    assert.deepEqual(initial, ['cp-a=https://127.0.0.11:2380', 'cp-b=https://127.0.0.12:2380']);
    assert.equal((await host.fs.stat('/var/lib/etcd'))?.mode, 0o700);

    const real = realHost();
    const client = etcdClient(real, { endpoints: [a.etcd.clientURL], ...(await healthcheckPems(rootA)), timeoutMs: 2000, clock: real.clock });
    const members = await client.memberList();
    assert.deepEqual(members.map((m) => [m.name, m.isLearner, m.clientURLs]).sort(),
      [['cp-a', false, ['https://127.0.0.11:2379']], ['cp-b', false, ['https://127.0.0.12:2379']]], (await b).log());

    // Run again (a join re-run after the etcd Pod started): the member is re-used, nothing is added.
    const again = captureOutput();
    await etcdJoin.run!(joinContext({ cfg, host, out: again, cluster: cfgB, adminApi: api }));
    assert.match(again.stdout(), /\[etcd\] Re-using etcd member [0-9a-f]+ \("cp-b", https:\/\/127\.0\.0\.12:2380, started, voting\)/);
    assert.equal((await client.memberList()).length, 2);
    await (await b).stop();
    await a.etcd.stop();
  })));
