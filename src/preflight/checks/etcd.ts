// An external etcd must be new enough. kubeadm: preflight/checks.go (ExternalEtcdVersionCheck).
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';
import type { ExternalEtcd } from '../../config/types.js';
import type { Host, HttpGetOptions, HttpResponse } from '../../host/host.js';
import { pass, withFix, type CheckContext, type CheckResult } from '../check.js';
import { externalEtcdRequestRetries, minimumExternalEtcdVersion, timeouts } from '../constants.js';

/** `<endpoint>/version` with doubled slashes in the path collapsed, as kubeadm's normalizeURLString. */
export function etcdVersionURL(endpoint: string): string {
  const joined = `${endpoint}/version`;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)(.*)$/.exec(joined);
  if (m === null) return joined;
  return `${m[1]}${(m[2] ?? '').replaceAll('//', '/')}`;
}

interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

async function loadTls(host: Host, etcd: ExternalEtcd): Promise<TlsMaterial | string> {
  const out: { ca?: string; cert?: string; key?: string } = {};
  if (etcd.caFile !== '') {
    const ca = await host.fs.readText(etcd.caFile);
    if (ca === undefined) return `couldn't load external etcd's server certificate ${etcd.caFile}: open ${etcd.caFile}: no such file or directory`;
    out.ca = ca;
  }
  if (etcd.certFile !== '' && etcd.keyFile !== '') {
    const cert = await host.fs.readText(etcd.certFile);
    const key = await host.fs.readText(etcd.keyFile);
    const missing = cert === undefined ? etcd.certFile : key === undefined ? etcd.keyFile : undefined;
    if (missing !== undefined) {
      return `couldn't load external etcd's certificate and key pair ${etcd.certFile}, ${etcd.keyFile}: open ${missing}: no such file or directory`;
    }
    out.cert = cert;
    out.key = key;
  }
  return out;
}

/** GET with kubeadm's policy: up to 3 retries, 5 s apart, on transport errors and 5xx answers. */
async function getWithRetries(host: Host, url: string, opts: HttpGetOptions): Promise<HttpResponse | string> {
  let last = '';
  for (let attempt = 0; attempt <= externalEtcdRequestRetries; attempt++) {
    if (attempt > 0) await host.clock.sleep(timeouts.externalEtcdRetryInterval);
    let r: HttpResponse;
    try {
      r = await host.net.httpGet(url, opts);
    } catch (e) {
      last = `Get "${url}": ${(e as Error).message}`;
      continue;
    }
    if (r.status >= 500 && r.status <= 599) {
      last = `server responded with non-successful status: ${r.status}`;
      continue;
    }
    return r;
  }
  return last;
}

const tlsFix = 'check etcd.external.caFile, certFile and keyFile';
const reachFix = 'check etcd.external.endpoints, that etcd runs, and that its certificates match caFile/certFile/keyFile';

export async function externalEtcdVersion({ host, target }: CheckContext): Promise<CheckResult> {
  const etcd = target.controlPlane?.etcd.external;
  if (etcd === undefined || etcd.endpoints.length === 0) return pass;
  // A dry run does not touch the network.
  if (target.dryRun) return pass;
  const tls = await loadTls(host, etcd);
  if (typeof tls === 'string') return { warnings: [], errors: [withFix(tls, tlsFix)] };
  // cert/key ride along for client-certificate auth; HttpGetOptions grows them in src/host (see report).
  const opts = { timeoutMs: timeouts.externalEtcdRequest, ...tls };
  const errors: string[] = [];
  for (const endpoint of etcd.endpoints) {
    const url = etcdVersionURL(endpoint);
    const r = await getWithRetries(host, url, opts);
    if (typeof r === 'string') {
      errors.push(withFix(r, reachFix));
      continue;
    }
    let server: unknown;
    try {
      server = (JSON.parse(r.body) as { etcdserver?: unknown } | null)?.etcdserver;
    } catch (e) {
      errors.push(withFix(`invalid answer from ${url}: ${(e as Error).message}`, reachFix));
      continue;
    }
    const text = typeof server === 'string' ? server : '';
    const v = parse(text);
    if (v === null) {
      errors.push(withFix(`couldn't parse external etcd version "${text}": illegal version string "${text}"`, reachFix));
      continue;
    }
    if (compare(v, minimumExternalEtcdVersion) < 0) {
      errors.push(withFix(
        `this version of kubeadm only supports external etcd version >= ${minimumExternalEtcdVersion}. Current version: ${text}`,
        `upgrade the etcd cluster at ${endpoint} to ${minimumExternalEtcdVersion.replace(/-0$/, '')} or newer`,
      ));
    }
  }
  return { warnings: [], errors };
}
