// kubeconfig files as kubeadm writes them (client-go clientcmd v1 Config, marshalled to JSON
// and then YAML: keys sorted, `kind: Config`, CA and client credentials embedded as base64
// PEM) and read back, for re-runs, `certs` and join discovery. kubeadm: util/kubeconfig.
import { parse } from 'yaml';
import { toGoYaml } from '../config/encode.js';
import type { GoObject } from '../config/encode-common.js';
import { CertificateError } from '../errors.js';

export interface KubeconfigCluster {
  readonly name: string;
  readonly server: string;
  /** PEM of the CA (stored base64 in `certificate-authority-data`). */
  readonly certificateAuthorityData?: string;
  /** A CA file path (`certificate-authority`), used instead of the data by some files. */
  readonly certificateAuthority?: string;
}

export interface KubeconfigUser {
  readonly name: string;
  /** PEM (stored base64 in `client-certificate-data`). */
  readonly clientCertificateData?: string;
  /** PEM (stored base64 in `client-key-data`). */
  readonly clientKeyData?: string;
  /** Paths, as kubelet.conf uses after kubelet-finalize. */
  readonly clientCertificate?: string;
  readonly clientKey?: string;
  readonly token?: string;
}

export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
}

export interface Kubeconfig {
  readonly clusters: readonly KubeconfigCluster[];
  readonly users: readonly KubeconfigUser[];
  readonly contexts: readonly KubeconfigContext[];
  readonly currentContext: string;
}

export interface KubeconfigTarget {
  /** `clusterName` of the ClusterConfiguration, `kubernetes` by default. */
  readonly clusterName: string;
  readonly server: string;
  readonly caPem: string;
  readonly user: string;
}

/** kubeadm's layout: one cluster, one user, one context `<user>@<cluster>`, which is current. */
function single(t: KubeconfigTarget, user: KubeconfigUser): Kubeconfig {
  const context = `${t.user}@${t.clusterName}`;
  return {
    clusters: [{ name: t.clusterName, server: t.server, certificateAuthorityData: t.caPem }],
    users: [user],
    contexts: [{ name: context, cluster: t.clusterName, user: t.user }],
    currentContext: context,
  };
}

/** A kubeconfig that authenticates with an embedded client certificate and key. */
export function clientCertificateKubeconfig(t: KubeconfigTarget, certPem: string, keyPem: string): Kubeconfig {
  return single(t, { name: t.user, clientCertificateData: certPem, clientKeyData: keyPem });
}

/** A kubeconfig that authenticates with a bearer token (bootstrap tokens, `kubeconfig user --token`). */
export function tokenKubeconfig(t: KubeconfigTarget, token: string): Kubeconfig {
  return single(t, { name: t.user, token });
}

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

export function encodeKubeconfig(k: Kubeconfig): string {
  const opt = (entries: Record<string, string | undefined>): GoObject =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== '')) as GoObject;
  const doc: GoObject = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: k.clusters.length === 0 ? null : k.clusters.map((c) => ({
      name: c.name,
      cluster: opt({
        server: c.server,
        'certificate-authority-data': c.certificateAuthorityData === undefined ? undefined : b64(c.certificateAuthorityData),
        'certificate-authority': c.certificateAuthority,
      }),
    })),
    contexts: k.contexts.length === 0 ? null : k.contexts.map((c) => ({
      name: c.name,
      context: opt({ cluster: c.cluster, user: c.user, namespace: c.namespace }),
    })),
    'current-context': k.currentContext,
    users: k.users.length === 0 ? null : k.users.map((u) => ({
      name: u.name,
      user: opt({
        'client-certificate-data': u.clientCertificateData === undefined ? undefined : b64(u.clientCertificateData),
        'client-key-data': u.clientKeyData === undefined ? undefined : b64(u.clientKeyData),
        'client-certificate': u.clientCertificate,
        'client-key': u.clientKey,
        token: u.token,
      }),
    })),
  };
  return toGoYaml(doc);
}

/** A kubeconfig file's contents; anything that is not one is a CertificateError naming the file. */
export function parseKubeconfig(text: string, path: string): Kubeconfig {
  const bad = (why: string) => new CertificateError(path, `${path} is not a valid kubeconfig file: ${why}`, {
    fix: `repair ${path}, or remove it to have it written again`,
  });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw bad((err as Error).message.split('\n')[0]!);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('it is not a YAML mapping');
  const d = doc as Record<string, unknown>;
  const entries = (key: string): Record<string, unknown>[] => {
    const v = d[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw bad(`"${key}" is not a list`);
    return v.map((e) => (typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {}));
  };
  const inner = (e: Record<string, unknown>, key: string): Record<string, unknown> => {
    const v = e[key];
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  };
  const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const pem = (v: unknown, what: string): string | undefined => {
    if (typeof v !== 'string') return undefined;
    const text = Buffer.from(v, 'base64').toString();
    if (!text.includes('-----BEGIN')) throw bad(`${what} is not base64-encoded PEM`);
    return text;
  };
  return {
    clusters: entries('clusters').map((e) => {
      const c = inner(e, 'cluster');
      return strip({
        name: s(e.name) ?? '',
        server: s(c.server) ?? '',
        certificateAuthorityData: pem(c['certificate-authority-data'], 'certificate-authority-data'),
        certificateAuthority: s(c['certificate-authority']),
      });
    }),
    users: entries('users').map((e) => {
      const u = inner(e, 'user');
      return strip({
        name: s(e.name) ?? '',
        clientCertificateData: pem(u['client-certificate-data'], 'client-certificate-data'),
        clientKeyData: pem(u['client-key-data'], 'client-key-data'),
        clientCertificate: s(u['client-certificate']),
        clientKey: s(u['client-key']),
        token: s(u.token),
      });
    }),
    contexts: entries('contexts').map((e) => {
      const c = inner(e, 'context');
      return strip({ name: s(e.name) ?? '', cluster: s(c.cluster) ?? '', user: s(c.user) ?? '', namespace: s(c.namespace) });
    }),
    currentContext: s(d['current-context']) ?? '',
  };
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The cluster and user of the current context, as kubectl would pick them. */
export function currentEntries(k: Kubeconfig): { cluster?: KubeconfigCluster; user?: KubeconfigUser } {
  const ctx = k.contexts.find((c) => c.name === k.currentContext);
  if (ctx === undefined) return {};
  const cluster = k.clusters.find((c) => c.name === ctx.cluster);
  const user = k.users.find((u) => u.name === ctx.user);
  return { ...(cluster ? { cluster } : {}), ...(user ? { user } : {}) };
}
