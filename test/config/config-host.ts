// Hosts for config tests: the shared fake host with a hostname, one NIC on the default
// route, and optional CRI sockets (reported by stat as 'other', as lstat sees a socket).
import type { FileInfo, NetworkInterface } from '../../src/host/host.js';
import { fakeHost, type FakeHost, type FakeHostSpec } from '../helpers/fake-host.js';

export const eth0: NetworkInterface = { name: 'eth0', address: '192.168.1.10', family: 4, internal: false, prefix: 24 };
export const lo: NetworkInterface = { name: 'lo', address: '127.0.0.1', family: 4, internal: true, prefix: 8 };

export function configHost(spec: FakeHostSpec & { readonly sockets?: readonly string[] } = {}): FakeHost {
  const host = fakeHost({ hostname: 'Node-1', interfaces: [lo, eth0], defaultRoute: { 4: 'eth0' }, ...spec });
  const sockets = new Set(spec.sockets ?? []);
  const stat = host.fs.stat.bind(host.fs);
  const socketInfo: FileInfo = { kind: 'other', mode: 0o660, size: 0, mtimeMs: 0 };
  return { ...host, fs: { ...host.fs, stat: async (p: string) => (sockets.has(p) ? socketInfo : stat(p)) } };
}
