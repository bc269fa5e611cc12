// A small etcd v3 client over etcd's JSON gateway (POST https://<endpoint>/v3/cluster/member/list …), with
// mutual TLS, through host.net: the cluster-membership calls kubeadm makes (list, add as learner, promote,
// remove) and the per-endpoint checks (status, /health). Why not the etcd3 npm package:
// docs/decisions/0009-etcd-client.md. kubeadm: util/etcd/etcd.go.
//
// The gateway writes uint64 fields (IDs, revisions) as JSON strings: IDs stay decimal strings here, never
// numbers, which would lose precision above 2^53.
import type { Clock, Host } from '../host/host.js';
import { EtcdError, EtcdUnreachableError, grpcCodes } from './etcd-error.js';

export interface EtcdMember {
  /** Decimal uint64, as the gateway writes it. */
  readonly id: string;
  /** Empty until the member has started and published its name. */
  readonly name: string;
  readonly peerURLs: readonly string[];
  /** Empty until the member has started. */
  readonly clientURLs: readonly string[];
  readonly isLearner: boolean;
}

export interface EtcdStatus {
  readonly version: string;
  /** The member answering (decimal). */
  readonly memberId: string;
  /** The leader it knows of (decimal; "0" when it knows none). */
  readonly leader: string;
  readonly isLearner: boolean;
  /** Errors the member reports (alarms, "no leader"), as etcd words them. */
  readonly errors: readonly string[];
}

export interface EndpointHealth {
  readonly endpoint: string;
  readonly healthy: boolean;
  /** Why not, when not healthy. */
  readonly reason?: string;
}

export interface EtcdClientOptions {
  /** Client URLs (https://host:2379), tried in order; the one that last answered is tried first. */
  readonly endpoints: readonly string[];
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** Bound of one request (kubeadm's etcdTimeout is 2 s). */
  readonly timeoutMs: number;
  readonly clock: Clock;
}

export interface EtcdClient {
  readonly endpoints: readonly string[];
  readonly clock: Clock;
  memberList(): Promise<EtcdMember[]>;
  /** The new member and the member list after the add. */
  memberAdd(peerURLs: readonly string[], opts: { learner: boolean }): Promise<{ member: EtcdMember; members: EtcdMember[] }>;
  /** The member list after the promotion. */
  memberPromote(id: string): Promise<EtcdMember[]>;
  /** The member list after the removal. */
  memberRemove(id: string): Promise<EtcdMember[]>;
  /** The status of one member, asked at its own endpoint (no failover). */
  status(endpoint: string): Promise<EtcdStatus>;
  /** GET <endpoint>/health: etcd's own verdict (a leader, no alarms, a quorum read answered). Never throws. */
  endpointHealth(endpoint: string): Promise<EndpointHealth>;
  /** The same client for other endpoints. */
  withEndpoints(endpoints: readonly string[]): EtcdClient;
}

/** kubeadm's etcdTimeout: one request to etcd. */
export const etcdRequestTimeoutMs = 2_000;

type Json = Record<string, unknown>;

/** The member ID as etcdctl prints it (hex), for messages and `etcdctl member remove`. */
export function hexMemberId(id: string): string {
  try {
    return BigInt(id).toString(16);
  } catch {
    return id;
  }
}

/** A member has started once it has published its name (etcd fills name and clientURLs then). */
export function isStarted(m: EtcdMember): boolean {
  return m.name !== '';
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function memberOf(m: unknown): EtcdMember {
  const o = (typeof m === 'object' && m !== null ? m : {}) as Json;
  return { id: text(o['ID']) || '0', name: text(o['name']), peerURLs: strings(o['peerURLs']), clientURLs: strings(o['clientURLs']), isLearner: o['isLearner'] === true };
}

const membersOf = (body: Json): EtcdMember[] => (Array.isArray(body['members']) ? body['members'].map(memberOf) : []);

/** A gateway error body: {"error": "...", "message": "...", "code": 9}. */
function errorBody(body: string): { code: number; message: string } | undefined {
  try {
    const o = JSON.parse(body) as Json;
    const message = text(o['error']) || text(o['message']);
    if (message === '' || typeof o['code'] !== 'number') return undefined;
    return { code: o['code'], message };
  } catch {
    return undefined;
  }
}

/** Another member may answer where this one cannot: it has no leader, or it is a learner. */
function worthFailover(err: EtcdError): boolean {
  return err.code === grpcCodes.unavailable || /not supported for learner/.test(err.etcdMessage);
}

export function etcdClient(host: Pick<Host, 'net'>, opts: EtcdClientOptions): EtcdClient {
  const endpoints = opts.endpoints.map((e) => e.replace(/\/+$/, ''));
  const tls = { ca: opts.caPem, cert: opts.certPem, key: opts.keyPem };
  // The endpoint that answered last: later calls start there (a per-client preference, not global state).
  let preferred = 0;

  /** One request to one endpoint: its JSON answer, an EtcdError for an etcd refusal, else a transport error. */
  async function post(endpoint: string, path: string, body: Json): Promise<Json> {
    const res = await host.net.httpRequest(`${endpoint}/v3/${path}`, {
      method: 'POST', body: JSON.stringify(body), timeoutMs: opts.timeoutMs, ...tls,
    });
    if (res.status === 200) {
      try {
        return JSON.parse(res.body) as Json;
      } catch {
        throw new Error(`HTTP 200 with a body that is not JSON: ${res.body.slice(0, 80)}`);
      }
    }
    const refused = errorBody(res.body);
    if (refused !== undefined) throw new EtcdError(endpoint, refused.code, refused.message);
    throw new Error(`HTTP ${res.status}: ${res.body.trim().slice(0, 120) || '(empty body)'}`);
  }

  /** The request at each endpoint in turn, from the preferred one, until one answers. */
  async function send(path: string, body: Json): Promise<Json> {
    if (endpoints.length === 0) throw new EtcdUnreachableError(['no etcd endpoints to ask']);
    const failures: string[] = [];
    let refusal: EtcdError | undefined;
    for (let i = 0; i < endpoints.length; i++) {
      const index = (preferred + i) % endpoints.length;
      const endpoint = endpoints[index]!;
      try {
        const answer = await post(endpoint, path, body);
        preferred = index;
        return answer;
      } catch (err) {
        if (err instanceof EtcdError) {
          if (!worthFailover(err)) throw err;
          refusal = err;
        }
        failures.push(`${endpoint}: ${(err as Error).message}`);
      }
    }
    // An etcd answer says more than a refused connection elsewhere.
    throw refusal ?? new EtcdUnreachableError(failures);
  }

  return {
    endpoints,
    clock: opts.clock,
    memberList: async () => membersOf(await send('cluster/member/list', {})),
    async memberAdd(peerURLs, { learner }) {
      const body = await send('cluster/member/add', { peerURLs: [...peerURLs], isLearner: learner });
      return { member: memberOf(body['member']), members: membersOf(body) };
    },
    memberPromote: async (id) => membersOf(await send('cluster/member/promote', { ID: id })),
    memberRemove: async (id) => membersOf(await send('cluster/member/remove', { ID: id })),
    async status(endpoint) {
      const body = await post(endpoint.replace(/\/+$/, ''), 'maintenance/status', {});
      const header = (body['header'] ?? {}) as Json;
      return {
        version: text(body['version']),
        memberId: text(header['member_id']),
        leader: text(body['leader']) || '0',
        isLearner: body['isLearner'] === true,
        errors: strings(body['errors']),
      };
    },
    async endpointHealth(endpoint) {
      const url = `${endpoint.replace(/\/+$/, '')}/health`;
      try {
        const res = await host.net.httpRequest(url, { method: 'GET', timeoutMs: opts.timeoutMs, ...tls });
        let verdict: Json = {};
        try {
          verdict = JSON.parse(res.body) as Json;
        } catch { /* judged by the status below */ }
        if (res.status === 200 && verdict['health'] === 'true') return { endpoint, healthy: true };
        const reason = text(verdict['reason']) || (verdict['health'] === 'false' ? 'etcd reports itself unhealthy (no leader, or an alarm)' : `HTTP ${res.status}`);
        return { endpoint, healthy: false, reason };
      } catch (err) {
        return { endpoint, healthy: false, reason: (err as Error).message };
      }
    },
    withEndpoints: (eps) => etcdClient(host, { ...opts, endpoints: eps }),
  };
}

/** The client URLs of the started voting members (what etcd's client Sync keeps): learners and members that
 *  have not started cannot serve the cluster's requests. Keeps `fallback` when there are none. */
export function memberClientURLs(members: readonly EtcdMember[], fallback: readonly string[]): string[] {
  const urls = members.filter((m) => isStarted(m) && !m.isLearner).flatMap((m) => m.clientURLs);
  return urls.length === 0 ? [...fallback] : [...new Set(urls)];
}
