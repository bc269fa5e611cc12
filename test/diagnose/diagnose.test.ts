// A whole diagnosis on a fake host: what is collected (read-only commands, socket, swap, probes, ports),
// the support file (path, mode, content) and the short printed summary; and tools that are missing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, type DiagnosisInput } from '../../src/diagnose/diagnose.js';
import { supportFilePath } from '../../src/diagnose/report.js';
import { captureOutput } from '../../src/output/output.js';
import { fakeHost, type FakeHostSpec } from '../helpers/fake-host.js';
import { criSocket } from './evidence-fixture.js';

const crictl = (...args: string[]) => ['crictl', '--runtime-endpoint', criSocket, ...args].join(' ');

const psTable = [
  'CONTAINER           IMAGE               CREATED             STATE               NAME                      ATTEMPT             POD ID              POD',
  'aaaaaaaaaaaa1       1111111111111       10 seconds ago      Running             kube-apiserver            0                   pppppppppppp1       kube-apiserver-node-1',
  'eeeeeeeeeeee2       2222222222222       20 seconds ago      Exited              etcd                      3                   pppppppppppp2       etcd-node-1',
  'eeeeeeeeeeee1       2222222222222       50 seconds ago      Exited              etcd                      2                   pppppppppppp2       etcd-node-1',
  'cccccccccccc1       3333333333333       1 minute ago        Running             kube-controller-manager   0                   pppppppppppp3       kube-controller-manager-node-1',
  'dddddddddddd1       4444444444444       1 minute ago        Running             kube-scheduler            0                   pppppppppppp4       kube-scheduler-node-1',
].join('\n');

const etcdLog = '{"level":"fatal","ts":"2025-01-01T00:00:01.000Z","caller":"etcdmain/etcd.go:204","msg":"discovery failed","error":"cannot access data directory: mkdir /var/lib/etcd/member: permission denied"}';

function nodeSpec(extra: Partial<FakeHostSpec> = {}): FakeHostSpec {
  return {
    path: ['kubelet', 'systemctl', 'journalctl', 'crictl'],
    sockets: ['/var/run/containerd/containerd.sock'],
    kernelFiles: { '/proc/swaps': 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' },
    busyPorts: [6443, 10257, 10259],
    commands: {
      'systemctl is-active kubelet': { stdout: 'active\n' },
      'systemctl status kubelet --no-pager -l': { stdout: '● kubelet.service - kubelet\n     Active: active (running) since Wed 2025-01-01 00:00:00 UTC\n' },
      'journalctl -u kubelet -n 100 --no-pager': { stdout: 'Jan 01 00:00:09 node-1 kubelet[900]: E0101 00:00:09.000000     900 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"etcd\\" with CrashLoopBackOff"\n' },
      [crictl('ps', '-a')]: { stdout: `${psTable}\n` },
      [crictl('info')]: { stdout: '{"config":{"containerd":{"runtimes":{"runc":{"options":{"SystemdCgroup":true}}}}}}' },
      [crictl('logs', '--tail', '50', 'eeeeeeeeeeee2')]: { stderr: `${etcdLog}\n` },
    },
    http: {
      'http://127.0.0.1:10248/healthz': { status: 200, body: 'ok' },
      'https://192.0.2.10:6443/livez': { status: 500, body: '[+]ping ok\n[-]etcd failed: reason withheld\nlivez check failed' },
    },
    now: '2025-03-04T05:06:07.890Z',
    ...extra,
  };
}

const input: DiagnosisInput = {
  criSocket,
  unhealthy: ['kube-apiserver'],
  endpoints: [
    { name: 'kubelet', url: 'http://127.0.0.1:10248/healthz', tls: 'none' },
    { name: 'kube-apiserver', url: 'https://192.0.2.10:6443/livez', tls: 'verify', ca: 'CA' },
  ],
  ports: [{ port: 6443, owner: 'kube-apiserver' }, { port: 2379, owner: 'etcd' }],
  kubeletConfig: { cgroupDriver: 'systemd' },
};

describe('diagnose', () => {
  test('collects read-only evidence, names the cause, writes the support file (0600) and prints a short summary', async () => {
    const host = fakeHost(nodeSpec());
    const out = captureOutput();
    const d = await diagnose(host, out, input);

    // Only the exited etcd's newest container had its log read; nothing was run as a mutation.
    assert.ok(host.execCalls.every((c) => c.opts.mutates === false && (c.opts.timeoutMs ?? Infinity) <= 10_000));
    assert.deepEqual(host.execCalls.filter((c) => c.argv.includes('logs')).map((c) => c.argv.at(-1)), ['eeeeeeeeeeee2']);
    assert.deepEqual(d.evidence.ports, [{ port: 6443, owner: 'kube-apiserver', inUse: true }, { port: 2379, owner: 'etcd', inUse: false }]);
    assert.equal(d.evidence.runtime.cgroupDriver, 'systemd');

    assert.deepEqual(d.likely.map((l) => l.cause.id), ['etcd-crashing']);
    const path = supportFilePath('wait-control-plane', new Date('2025-03-04T05:06:07.890Z'));
    assert.equal(path, '/var/lib/tskubeadm/diagnostics/wait-control-plane-20250304T050607Z.txt');
    assert.equal(d.supportFile, path);
    assert.equal((await host.fs.stat(path))?.mode, 0o600);

    const file = (await host.fs.readText(path)) ?? '';
    for (const part of [
      'not healthy in time: kube-apiserver',
      '[etcd-crashing]',
      '[-]etcd failed: reason withheld',
      `$ systemctl is-active kubelet   (exit 0)`,
      'CrashLoopBackOff',
      `$ ${crictl('ps', '-a')}   (exit 0)`,
      'eeeeeeeeeeee2',
      '-- etcd (eeeeeeeeeeee2)',
      'permission denied',
      'socket /var/run/containerd/containerd.sock: accepts connections',
      'runtime cgroup driver: systemd (from crictl info)',
      'swap: off',
      '6443 (kube-apiserver): in use',
      '2379 (etcd): free',
    ]) assert.ok(file.includes(part), `support file lacks ${JSON.stringify(part)}`);

    const printed = out.stdout();
    assert.match(printed, /^\[wait-control-plane\] Likely cause:\n {2}- etcd keeps exiting/);
    assert.match(printed, /seen: etcd container eeeeeeeeeeee2 is Exited \(attempt 3\); its last log line: .*permission denied/);
    assert.match(printed, /fix: read the etcd log tail/);
    assert.ok(printed.trimEnd().endsWith(`is in ${path}`));
    // Short: the summary, not the evidence.
    assert.ok(printed.split('\n').length < 12, printed);
    assert.ok(!printed.includes('CrashLoopBackOff'));
  });

  test('each tool is optional: a missing one is said so, and the rest is still collected', async () => {
    const host = fakeHost(nodeSpec({ path: [], commands: {}, sockets: [], http: {} }));
    const out = captureOutput();
    const d = await diagnose(host, out, { ...input, unhealthy: ['kubelet'] });
    assert.equal(d.evidence.kubelet.isActive.missing, true);
    assert.equal(d.evidence.containers.list.missing, true);
    const file = (await host.fs.readText(d.supportFile ?? '')) ?? '';
    assert.match(file, /\$ systemctl is-active kubelet\n\(not run: spawn systemctl ENOENT\)/);
    assert.match(file, /\$ journalctl -u kubelet -n 100 --no-pager\n\(not run: spawn journalctl ENOENT\)/);
    assert.match(file, /\$ crictl --runtime-endpoint \S+ ps -a\n\(not run: spawn crictl ENOENT\)/);
    assert.match(file, /socket \/var\/run\/containerd\/containerd\.sock: no connection \(ENOENT\)/);
    assert.deepEqual(d.likely.map((l) => l.cause.id), ['kubelet-not-installed', 'runtime-socket-missing']);
  });

  test('no known cause: says so and points at the tools, still with the evidence file', async () => {
    // Everything answers now and nothing exited: whatever was wrong left no trace the table knows.
    const spec = nodeSpec();
    const calm = fakeHost({
      ...spec,
      commands: { ...spec.commands, [crictl('ps', '-a')]: { stdout: psTable.split('\n').filter((l) => !l.includes('etcd ')).join('\n') } },
      http: { 'http://127.0.0.1:10248/healthz': { status: 200, body: 'ok' }, 'https://192.0.2.10:6443/livez': { status: 200, body: 'ok' } },
    });
    const out = captureOutput();
    const d = await diagnose(calm, out, { ...input, ports: [] });
    assert.deepEqual(d.likely, []);
    assert.match(out.stdout(), /None of the known causes matched/);
    assert.match(out.stdout(), /crictl --runtime-endpoint unix:\/\/\/var\/run\/containerd\/containerd\.sock ps -a \| grep kube \| grep -v pause/);
    assert.match((await calm.fs.readText(d.supportFile ?? '')) ?? '', /none of the known causes matched/);
  });

  test('a support file that cannot be written is a warning, not a second failure', async () => {
    const host = fakeHost({ ...nodeSpec(), files: { '/var/lib/tskubeadm': 'a file where a directory should be' } });
    const out = captureOutput();
    const d = await diagnose(host, out, input);
    assert.equal(d.supportFile, undefined);
    assert.match(out.stderr(), /could not write the evidence to \/var\/lib\/tskubeadm\/diagnostics\//);
    assert.match(out.stdout(), /Likely cause/);
    assert.doesNotMatch(out.stdout(), /evidence .* is in/);
  });
});
