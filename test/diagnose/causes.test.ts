// The cause table on canned evidence: each known reason is named from the messages the kubelet,
// containerd, crictl, etcd and the API server really print, and nothing is named on a healthy node.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { causes, likelyCauses } from '../../src/diagnose/causes.js';
import type { ContainerLogs, Evidence } from '../../src/diagnose/evidence.js';
import { baseEvidence, criSocket, journalLine, missing, ran, row } from './evidence-fixture.js';

type Edit = (e: Evidence) => Evidence;
const ids = (edit: Edit) => likelyCauses(edit(baseEvidence())).map((m) => m.cause.id);
const seen = (edit: Edit, id: string) => likelyCauses(edit(baseEvidence())).find((m) => m.cause.id === id)?.seen ?? [];

const withJournal = (e: Evidence, ...lines: string[]): Evidence => ({
  ...e, kubelet: { ...e.kubelet, journal: ran('journalctl -u kubelet -n 100 --no-pager', lines.map(journalLine).join('\n')) },
});
const kubeletDown = (e: Evidence, state = 'activating'): Evidence => ({
  ...e,
  unhealthy: ['kubelet'],
  kubelet: { ...e.kubelet, isActive: ran('systemctl is-active kubelet', `${state}\n`, { exitCode: 3 }) },
  probes: e.probes.map((p) => (p.name === 'kubelet' ? { ...p, result: { healthy: false, code: 'ECONNREFUSED', summary: 'connection refused' } } : p)),
});
const logsOf = (name: string, state: string, attempt: number, text: string): ContainerLogs => ({
  container: row(name, state, attempt), run: ran(`crictl --runtime-endpoint ${criSocket} logs --tail 50 x`, '', { stderr: text }),
});
/** New containers; a port is in use exactly when its component runs, as on a real node. */
const withContainers = (e: Evidence, rows: Evidence['containers']['rows'], logs: ContainerLogs[] = []): Evidence => ({
  ...e,
  containers: { ...e.containers, rows, logs },
  ports: e.ports.map((p) => ({ ...p, inUse: rows.some((r) => r.name === p.owner && r.state === 'Running') })),
});

describe('the cause table', () => {
  test('is frozen data with unique ids, a meaning and a fix each', () => {
    assert.ok(Object.isFrozen(causes));
    assert.equal(new Set(causes.map((c) => c.id)).size, causes.length);
    for (const c of causes) {
      assert.ok(Object.isFrozen(c), c.id);
      assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(c.title.length > 10 && c.fix.length > 10, c.id);
    }
    for (const id of ['cgroup-driver-mismatch', 'swap-on', 'image-pull-failure', 'port-in-use', 'certificate-mismatch', 'etcd-crashing',
      'runtime-socket-missing', 'kubelet-not-running', 'kubelet-not-installed']) {
      assert.ok(causes.some((c) => c.id === id), id);
    }
  });

  test('names nothing when the evidence shows nothing wrong', () => {
    assert.deepEqual(ids((e) => e), []);
  });
});

describe('each cause from its evidence', () => {
  test('runtime socket missing', () => {
    const edit: Edit = (e) => kubeletDown({
      ...e,
      runtime: { ...e.runtime, socket: { path: '/var/run/containerd/containerd.sock', result: { ok: false, code: 'ENOENT' } } },
      containers: {
        rows: [], logs: [],
        list: ran(`crictl --runtime-endpoint ${criSocket} ps -a`, '', {
          exitCode: 1,
          stderr: 'time="2025-01-01T00:00:00Z" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \\"unix:///var/run/containerd/containerd.sock\\": rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /var/run/containerd/containerd.sock: connect: no such file or directory\\""',
        }),
      },
    });
    assert.deepEqual(ids(edit), ['runtime-socket-missing']);
    assert.deepEqual(seen(edit, 'runtime-socket-missing'), ['nothing accepts connections on /var/run/containerd/containerd.sock (ENOENT)']);
  });

  test("runtime without its CRI plugin (containerd's disabled_plugins)", () => {
    const edit: Edit = (e) => kubeletDown({
      ...e,
      containers: {
        rows: [], logs: [],
        list: ran(`crictl --runtime-endpoint ${criSocket} ps -a`, '', {
          exitCode: 1,
          stderr: 'time="2023-01-31T15:11:36+08:00" level=fatal msg="validate service connection: CRI v1 runtime API is not implemented for endpoint \\"unix:///var/run/containerd/containerd.sock\\": rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService"',
        }),
      },
    });
    assert.deepEqual(ids(edit), ['runtime-cri-disabled']);
  });

  test('kubelet not installed', () => {
    const edit: Edit = (e) => {
      const down = kubeletDown(e, 'inactive');
      return { ...down, kubelet: { ...down.kubelet, installed: false, status: ran('systemctl status kubelet --no-pager -l', '', { exitCode: 4, stderr: 'Unit kubelet.service could not be found.' }) } };
    };
    assert.deepEqual(ids(edit), ['kubelet-not-installed']);
    assert.deepEqual(seen(edit, 'kubelet-not-installed'), ['no kubelet executable on PATH', 'systemctl status kubelet: Unit kubelet.service could not be found.']);
  });

  test('swap: the kubelet says so in its journal', () => {
    const edit: Edit = (e) => withJournal(kubeletDown(e),
      'I0205 10:58:14.917220   12704 swap_util.go:115] "Swap is on" /proc/swaps contents=<',
      'E0205 10:58:14.917245   12704 run.go:72] "command failed" err="failed to run Kubelet: running with swap on is not supported, please disable swap or set --fail-swap-on flag to false"');
    assert.deepEqual(ids(edit), ['swap-on']);
    assert.match(seen(edit, 'swap-on')[0] ?? '', /^kubelet journal: .*running with swap on is not supported/);
  });

  test('swap: on in /proc/swaps while the kubelet is down and failSwapOn is true; not when swap is allowed', () => {
    const on: Edit = (e) => ({ ...kubeletDown(e), swap: { text: 'Filename Type Size Used Priority\n/swapfile file 3991548 0 -2\n', devices: ['/swapfile'] } });
    assert.deepEqual(ids(on), ['swap-on']);
    const allowed: Edit = (e) => { const x = on(e); return { ...x, kubelet: { ...x.kubelet, failSwapOn: false } }; };
    assert.deepEqual(ids(allowed), ['kubelet-not-running']);
  });

  test('cgroup driver mismatch: the drivers differ', () => {
    const edit: Edit = (e) => ({ ...e, runtime: { ...e.runtime, cgroupDriver: 'cgroupfs', cgroupDriverSource: '/etc/containerd/config.toml' } });
    assert.deepEqual(ids(edit), ['cgroup-driver-mismatch']);
    assert.deepEqual(seen(edit, 'cgroup-driver-mismatch'), ['the kubelet is configured for the systemd cgroup driver, the runtime for cgroupfs (/etc/containerd/config.toml)']);
  });

  test("cgroup driver mismatch: runc's error in the kubelet journal", () => {
    const edit: Edit = (e) => withJournal({ ...e, runtime: { ...e.runtime, cgroupDriver: undefined } },
      'E1216 19:38:06.081521   21688 log.go:32] "RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to create containerd task: OCI runtime create failed: expected cgroupsPath to be of format \\"slice:prefix:name\\" for systemd cgroups, got \\"/kubepods/burstable/pod89f4f2cb511c3b0b7e5272cff5ec37bf/823b5a6d9aaa\\" instead: unknown"');
    assert.deepEqual(ids(edit), ['cgroup-driver-mismatch']);
  });

  test('image pull failure (including the sandbox image)', () => {
    const edit: Edit = (e) => withContainers(withJournal(e,
      'E0428 06:10:56.970976    1334 remote_runtime.go:105] RunPodSandbox from runtime service failed: rpc error: code = Unknown desc = failed to get sandbox image "registry.k8s.io/pause:3.10.1": failed to pull image "registry.k8s.io/pause:3.10.1": failed to pull and unpack image "registry.k8s.io/pause:3.10.1": failed to resolve reference "registry.k8s.io/pause:3.10.1": failed to do request: Head "https://registry.k8s.io/v2/pause/manifests/3.10.1": dial tcp: lookup registry.k8s.io on [::1]:53: read: connection refused'), []);
    assert.deepEqual(ids(edit), ['image-pull-failure']);
    assert.match(seen(edit, 'image-pull-failure')[0] ?? '', /failed to get sandbox image/);
  });

  test('port in use: the component says "address already in use"', () => {
    const edit: Edit = (e) => withContainers(e, [row('kube-apiserver', 'Exited', 3), row('etcd')], [logsOf('kube-apiserver', 'Exited', 3,
      'E0101 00:00:01.000000       1 run.go:72] "command failed" err="failed to create listener: failed to listen on 0.0.0.0:6443: listen tcp 0.0.0.0:6443: bind: address already in use"')]);
    assert.deepEqual(ids(edit), ['port-in-use']);
  });

  test('port in use: taken while its component is not running', () => {
    const edit: Edit = (e) => {
      const x = withContainers(e, [row('kube-apiserver', 'Created', 0), row('kube-controller-manager'), row('kube-scheduler'), row('etcd')]);
      return { ...x, ports: x.ports.map((p) => (p.port === 6443 ? { ...p, inUse: true } : p)) };
    };
    assert.deepEqual(ids(edit), ['port-in-use']);
    assert.deepEqual(seen(edit, 'port-in-use'), ['port 6443 is taken, but no kube-apiserver container is running']);
  });

  test('certificate mismatch: the API server presents a certificate the cluster CA did not sign', () => {
    const edit: Edit = (e) => ({
      ...e,
      probes: e.probes.map((p) => (p.name === 'kube-apiserver'
        ? { ...p, result: { healthy: false, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', tlsRejected: 'untrusted' as const, summary: 'its certificate is not signed by the cluster CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)' } }
        : p)),
    });
    assert.deepEqual(ids(edit), ['certificate-mismatch']);
    assert.deepEqual(seen(edit, 'certificate-mismatch'), ['kube-apiserver at https://192.0.2.10:6443/livez: its certificate is not signed by the cluster CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)']);
  });

  test('certificate mismatch: x509 errors in a log', () => {
    const edit: Edit = (e) => withJournal(e, 'E0101 00:00:03.000000     900 reflector.go:158] "Unhandled Error" err="Get \\"https://192.0.2.10:6443/api/v1/nodes\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"');
    assert.deepEqual(ids(edit), ['certificate-mismatch']);
  });

  test('crashing etcd: etcd exited, the API server cannot reach 2379', () => {
    const edit: Edit = (e) => withContainers({ ...e, probes: e.probes.map((p) => (p.name === 'kube-apiserver' ? { ...p, result: { healthy: false, code: 'ECONNREFUSED', summary: 'connection refused' } } : p)) },
      [row('etcd', 'Exited', 4), row('kube-apiserver', 'Exited', 5), row('kube-controller-manager'), row('kube-scheduler')],
      [
        logsOf('etcd', 'Exited', 4, '{"level":"fatal","ts":"2025-01-01T00:00:01.000Z","caller":"etcdmain/etcd.go:204","msg":"discovery failed","error":"member 8e9e05c52164694d has already been bootstrapped"}'),
        logsOf('kube-apiserver', 'Exited', 5, 'W0424 19:23:58.995723       1 logging.go:55] [core] [Channel #1 SubChannel #2]grpc: addrConn.createTransport failed to connect to {Addr: "127.0.0.1:2379", ServerName: "127.0.0.1:2379", }. Err: connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:2379: connect: connection refused"'),
      ]);
    assert.deepEqual(ids(edit), ['etcd-crashing']);
    const s = seen(edit, 'etcd-crashing');
    assert.match(s[0] ?? '', /etcd container .* is Exited \(attempt 4\); its last log line: .*has already been bootstrapped/);
    assert.match(s[1] ?? '', /^kube-apiserver log: .*127\.0\.0\.1:2379: connect: connection refused/);
  });

  test("crashing etcd: the API server's /livez says etcd failed", () => {
    const edit: Edit = (e) => ({
      ...e,
      probes: e.probes.map((p) => (p.name === 'kube-apiserver'
        ? { ...p, result: { healthy: false, status: 500, body: '[+]ping ok\n[-]etcd failed: reason withheld\nlivez check failed', summary: 'HTTP 500' } }
        : p)),
    });
    assert.deepEqual(ids(edit), ['etcd-crashing']);
  });

  test('kubelet not running, for a reason no other cause explains', () => {
    const edit: Edit = (e) => withJournal(kubeletDown(e, 'failed'), 'kubelet.service: Main process exited, code=exited, status=1/FAILURE');
    assert.deepEqual(ids(edit), ['kubelet-not-running']);
    assert.deepEqual(seen(edit, 'kubelet-not-running')[0], 'systemctl is-active kubelet: failed');
  });

  test('kubelet not answering where systemd is absent', () => {
    const edit: Edit = (e) => { const d = kubeletDown(e); return { ...d, kubelet: { ...d.kubelet, isActive: missing('systemctl is-active kubelet') } }; };
    assert.deepEqual(seen(edit, 'kubelet-not-running'), ['kubelet health check at http://127.0.0.1:10248/healthz: connection refused']);
  });

  test('static Pods not started by a healthy kubelet', () => {
    assert.deepEqual(ids((e) => withContainers(e, [row('coredns')])), ['static-pods-not-started']);
  });

  test('a control-plane container exits for a reason not in the table', () => {
    const edit: Edit = (e) => withContainers(e, [row('kube-scheduler', 'Exited', 2), row('kube-scheduler', 'Exited', 1), row('kube-apiserver'), row('kube-controller-manager'), row('etcd')],
      [logsOf('kube-scheduler', 'Exited', 2, 'E0101 00:00:01.000000 1 run.go:72] "command failed" err="unknown flag: --bogus"')]);
    assert.deepEqual(ids(edit), ['control-plane-crashing']);
    assert.match(seen(edit, 'control-plane-crashing')[0] ?? '', /kube-scheduler container .* Exited \(attempt 2\): .*unknown flag: --bogus/);
  });

  test('several causes are all named, root causes first; fallbacks give way', () => {
    const edit: Edit = (e) => withJournal({ ...kubeletDown(e), runtime: { ...e.runtime, cgroupDriver: 'cgroupfs' } },
      'E0205 10:58:14.917245   12704 run.go:72] "command failed" err="failed to run Kubelet: running with swap on is not supported, please disable swap"');
    assert.deepEqual(ids(edit), ['swap-on', 'cgroup-driver-mismatch']);
  });
});
