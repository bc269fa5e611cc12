// Extra "hosts" for multi-node tests: Linux network namespaces joined by a bridge in the root namespace.
// Each namespace gets a veth into the bridge and an address in 10.213.<subnet>.0/24, a private test subnet;
// the bridge carries .1, reachable from this process (the root namespace), so in-process code talks to
// every host and a server bound on the bridge address acts as the cluster's load balancer. Only the
// bridge, veths and namespaces made here are ever touched; teardown removes them, also on process exit.
import { spawnSync } from 'node:child_process';

export interface NetnsHost {
  /** The namespace name: tsk-<subnet>-h<n>. */
  readonly netns: string;
  /** 10.213.<subnet>.1<n> */
  readonly address: string;
}

export interface NetnsTopology {
  /** The third octet of 10.213.X.0/24, unique among live topologies on this machine. */
  readonly subnet: number;
  readonly bridge: string;
  /** 10.213.X.1, on the bridge in the root namespace. */
  readonly bridgeAddress: string;
  readonly hosts: readonly NetnsHost[];
  /** Runs a command inside a namespace and waits (bounded); never throws for a non-zero exit. */
  exec(netns: string, argv: readonly string[], timeoutMs?: number): { readonly status: number | null; readonly out: string };
  /** Kills what still runs inside the namespaces (only this test started anything there), removes the
   *  namespaces, veths and bridge; idempotent. Also runs on process exit and on SIGINT/SIGTERM. */
  teardown(): void;
}

const ipTimeoutMs = 10_000;

function ip(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: ipTimeoutMs });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
}

function mustIp(...args: string[]): void {
  const r = ip(...args);
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed (exit ${r.status}): ${r.out}`);
}

/** Why namespaces cannot be made here (not root, no `ip`, `ip netns add` refused), or undefined when they can.
 *  Tests skip with this reason, loudly. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return `network namespaces need root (uid ${process.getuid?.()})`;
  const probe = `tsk-probe-${process.pid}`;
  const add = ip('netns', 'add', probe);
  if (add.status !== 0) return `\`ip netns add\` failed (exit ${add.status}): ${add.out || 'is iproute2 installed?'}`;
  ip('netns', 'del', probe);
  const br = `tskprobe${process.pid % 100000}`;
  const bridge = ip('link', 'add', br, 'type', 'bridge');
  if (bridge.status !== 0) return `\`ip link add … type bridge\` failed (exit ${bridge.status}): ${bridge.out}`;
  ip('link', 'del', br);
  return undefined;
}

/** Subnets already carrying an address or one of our links: a concurrent run, or leftovers. */
function subnetsInUse(): Set<number> {
  const used = new Set<number>();
  for (const m of ip('-o', 'addr').out.matchAll(/inet 10\.213\.(\d+)\./g)) used.add(Number(m[1]));
  for (const m of ip('-o', 'link').out.matchAll(/tsk-?br-?(\d+)|tsk(\d+)h\d/g)) used.add(Number(m[1] ?? m[2]));
  for (const m of ip('netns', 'list').out.matchAll(/^tsk-(\d+)-h\d/gm)) used.add(Number(m[1]));
  return used;
}

/** Creates the bridge and `count` namespaces (h1..hN, addresses .11, .12, …). Throws, after removing what it
 *  made, when a step fails. */
export function createTopology(count: number): NetnsTopology {
  if (count < 1 || count > 9) throw new Error(`1 to 9 hosts, not ${count}`);
  const used = subnetsInUse();
  const start = 1 + (process.pid % 250);
  let subnet = -1;
  for (let i = 0; i < 250; i++) {
    const candidate = 1 + ((start - 1 + i) % 250);
    if (!used.has(candidate)) { subnet = candidate; break; }
  }
  if (subnet < 0) throw new Error('no free 10.213.X.0/24 test subnet: remove leftover tsk-* namespaces and links');

  const bridge = `tskbr${subnet}`;
  const bridgeAddress = `10.213.${subnet}.1`;
  const hosts: NetnsHost[] = [];
  for (let n = 1; n <= count; n++) hosts.push({ netns: `tsk-${subnet}-h${n}`, address: `10.213.${subnet}.1${n}` });
  const veth = (n: number) => `tsk${subnet}h${n}`;

  let removed = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    teardown();
    process.kill(process.pid, signal);
  };
  const teardown = (): void => {
    if (removed) return;
    removed = true;
    process.off('exit', teardown);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // A process left in a namespace (an etcd of a failed run) would keep it alive, and outlive the test.
    for (const h of hosts) {
      for (const pid of ip('netns', 'pids', h.netns).out.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
        try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    // Deleting a namespace removes the veth end inside it and so its peer on the bridge.
    for (const h of hosts) ip('netns', 'del', h.netns);
    for (let n = 1; n <= count; n++) ip('link', 'del', veth(n));
    ip('link', 'del', bridge);
  };
  process.on('exit', teardown);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    mustIp('link', 'add', bridge, 'type', 'bridge');
    mustIp('addr', 'add', `${bridgeAddress}/24`, 'dev', bridge);
    mustIp('link', 'set', bridge, 'up');
    hosts.forEach((h, i) => {
      const n = i + 1;
      mustIp('netns', 'add', h.netns);
      mustIp('link', 'add', veth(n), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.netns);
      mustIp('link', 'set', veth(n), 'master', bridge);
      mustIp('link', 'set', veth(n), 'up');
      mustIp('-n', h.netns, 'link', 'set', 'lo', 'up');
      mustIp('-n', h.netns, 'addr', 'add', `${h.address}/24`, 'dev', 'eth0');
      mustIp('-n', h.netns, 'link', 'set', 'eth0', 'up');
      mustIp('-n', h.netns, 'route', 'add', 'default', 'via', bridgeAddress);
    });
  } catch (err) {
    teardown();
    throw err;
  }

  return {
    subnet,
    bridge,
    bridgeAddress,
    hosts,
    exec: (netns, argv, timeoutMs = 15_000) => {
      const r = spawnSync('ip', ['netns', 'exec', netns, ...argv], { encoding: 'utf8', timeout: timeoutMs });
      return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
    },
    teardown,
  };
}
