// etcdctl run inside a host's namespace with that host's healthcheck-client certificate, as an operator on
// the machine would check the cluster; and bounded waits on it.
import { etcdctl, pkiTls, type Ctl } from '../../helpers/etcd-process.js';

export interface EtcdMember {
  /** Decimal, as etcdctl's JSON prints the uint64 (we parse it from the raw text to keep all digits). */
  readonly ID: string;
  readonly name: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs?: readonly string[];
  readonly isLearner?: boolean;
}

/** etcdctl inside `netns` with the healthcheck-client identity of the PKI under `root`. */
export function etcdctlIn(netns: string, root: string, endpoints: readonly string[], ...args: string[]): Ctl {
  return etcdctl(endpoints.join(','), pkiTls(root), args, netns);
}

/** `member list -w json`; member IDs kept as exact decimal strings (they exceed 2^53). */
export function memberList(netns: string, root: string, endpoint: string): EtcdMember[] {
  const r = etcdctlIn(netns, root, [endpoint], 'member', 'list', '-w', 'json');
  if (r.status !== 0) throw new Error(`etcdctl member list failed (exit ${r.status}): ${r.out}`);
  const json = r.out.slice(r.out.indexOf('{'));
  const exact = json.replace(/"ID":(\d+)/g, '"ID":"$1"').replace(/"member_id":(\d+)/g, '"member_id":"$1"').replace(/"cluster_id":(\d+)/g, '"cluster_id":"$1"');
  return ((JSON.parse(exact) as { members?: EtcdMember[] }).members ?? []).map((m) => ({ ...m, ID: String(m.ID) }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (not undefined) or the deadline passes; then throws with `explain()`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined | Promise<T | undefined>, explain: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${lastError === '' ? '' : ` (last: ${lastError})`}\n${explain()}`);
    await sleep(250);
  }
}
