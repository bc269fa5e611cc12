// Canned evidence for the cause table: a node where everything looks fine, and helpers to break one
// thing at a time with the real messages the tools print.
import type { CommandRun, ContainerRow, Evidence } from '../../src/diagnose/evidence.js';

export const criSocket = 'unix:///var/run/containerd/containerd.sock';

export function ran(argv: string, stdout = '', o: Partial<CommandRun> = {}): CommandRun {
  return { argv: argv.split(' '), exitCode: 0, stdout, stderr: '', missing: false, timedOut: false, ...o };
}

export const missing = (argv: string): CommandRun =>
  ran(argv, '', { exitCode: 127, missing: true, stderr: `spawn ${argv.split(' ')[0]} ENOENT` });

export function row(name: string, state = 'Running', attempt = 0, id = `${name.length}a1b2c3d4e5f6`.slice(0, 13)): ContainerRow {
  return { id, image: 'e5a3b2c1d0f9e', created: '2 minutes ago', state, name, attempt, podId: 'aa11bb22cc33d', pod: `${name}-node-1` };
}

export const runningControlPlane = (): ContainerRow[] => [row('kube-apiserver'), row('kube-controller-manager'), row('kube-scheduler'), row('etcd')];

const ok = { healthy: true as const, status: 200 };

/** Everything fine but kube-apiserver's check timing out (the caller says what is wrong). */
export function baseEvidence(): Evidence {
  return {
    collectedAt: new Date('2025-01-01T00:00:00Z'),
    unhealthy: ['kube-apiserver'],
    kubelet: {
      installed: true,
      isActive: ran('systemctl is-active kubelet', 'active\n'),
      status: ran('systemctl status kubelet --no-pager -l', '● kubelet.service - kubelet: The Kubernetes Node Agent\n     Active: active (running)\n'),
      journal: ran('journalctl -u kubelet -n 100 --no-pager', 'Jan 01 00:00:00 node-1 kubelet[900]: I0101 00:00:00.000000     900 server.go:484] "Kubelet version" kubeletVersion="v1.35.0"\n'),
      cgroupDriver: 'systemd',
      failSwapOn: true,
    },
    runtime: {
      endpoint: criSocket,
      socket: { path: '/var/run/containerd/containerd.sock', result: { ok: true } },
      info: ran(`crictl --runtime-endpoint ${criSocket} info`, '{"config":{"containerd":{"runtimes":{"runc":{"options":{"SystemdCgroup":true}}}}}}'),
      cgroupDriver: 'systemd',
      cgroupDriverSource: 'crictl info',
    },
    containers: { list: ran(`crictl --runtime-endpoint ${criSocket} ps -a`, ''), rows: runningControlPlane(), logs: [] },
    probes: [
      { name: 'kubelet', url: 'http://127.0.0.1:10248/healthz', result: ok },
      { name: 'kube-apiserver', url: 'https://192.0.2.10:6443/livez', result: ok },
      { name: 'kube-controller-manager', url: 'https://127.0.0.1:10257/healthz', result: ok },
      { name: 'kube-scheduler', url: 'https://127.0.0.1:10259/livez', result: ok },
    ],
    swap: { text: 'Filename\tType\tSize\tUsed\tPriority\n', devices: [] },
    ports: [
      { port: 6443, owner: 'kube-apiserver', inUse: true },
      { port: 10257, owner: 'kube-controller-manager', inUse: true },
      { port: 10259, owner: 'kube-scheduler', inUse: true },
      { port: 2379, owner: 'etcd', inUse: true },
    ],
  };
}

/** A kubelet journal line as journalctl prints it. */
export const journalLine = (msg: string) => `Jan 01 00:00:05 node-1 kubelet[900]: ${msg}`;
