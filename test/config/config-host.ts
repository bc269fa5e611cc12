// Hosts for config tests: the shared fake host with a hostname and one NIC on the default route.
import type { NetworkInterface } from '../../src/host/host.js';
import { fakeHost, type FakeHost, type FakeHostSpec } from '../helpers/fake-host.js';

export const eth0: NetworkInterface = { name: 'eth0', address: '192.168.1.10', family: 4, internal: false, prefix: 24 };
export const lo: NetworkInterface = { name: 'lo', address: '127.0.0.1', family: 4, internal: true, prefix: 8 };

export function configHost(spec: FakeHostSpec = {}): FakeHost {
  return fakeHost({ hostname: 'Node-1', interfaces: [lo, eth0], defaultRoute: { 4: 'eth0' }, ...spec });
}
