// Which proxy a Go program (kubeadm, the kubelet, the API server) would use for a URL,
// from the environment, with the rules of golang.org/x/net/http/httpproxy:
// HTTPS_PROXY / https_proxy for https, HTTP_PROXY / http_proxy for http (upper case wins),
// NO_PROXY / no_proxy entries: `*`, CIDRs, IPs (optionally with a port), domains
// (`example.com` matches itself and subdomains, `.example.com` and `*.example.com` only
// subdomains), loopback and `localhost` never proxied.
import { splitHostPort } from '../config/host-port.js';
import { isLoopback, parseCIDR, parseIP, type CIDR, type IP } from '../config/ip.js';
import { cidrContains, sameIP } from './ip-match.js';

type Env = Readonly<Record<string, string | undefined>>;

interface GoURL {
  readonly scheme: string;
  readonly user: string | undefined;
  readonly host: string;
  readonly rest: string;
}

type NoProxyMatcher =
  | { readonly kind: 'all' }
  | { readonly kind: 'cidr'; readonly cidr: CIDR }
  | { readonly kind: 'ip'; readonly ip: IP; readonly port: string }
  | { readonly kind: 'domain'; readonly suffix: string; readonly port: string; readonly matchHost: boolean };

function envAny(env: Env, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/** A minimal RFC 3986 split, enough for proxy URLs (Go's url.Parse keeps what it was given). */
function splitURL(text: string): GoURL | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(text);
  if (m === null) return undefined;
  const authority = m[2] ?? '';
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : authority.slice(at + 1);
  if (host === '') return undefined;
  return { scheme: (m[1] ?? '').toLowerCase(), user: at < 0 ? undefined : authority.slice(0, at), host, rest: m[3] ?? '' };
}

/** Go's parseProxy: a bare `host:port` means `http://host:port`. */
function parseProxy(value: string): GoURL | undefined {
  if (value === '') return undefined;
  return splitURL(value) ?? splitURL(`http://${value}`);
}

/** The proxy URL as Go prints it, but with the password replaced (Go's URL.Redacted). */
function formatProxy(u: GoURL): string {
  let user = '';
  if (u.user !== undefined) {
    const colon = u.user.indexOf(':');
    user = colon < 0 ? `${u.user}@` : `${u.user.slice(0, colon)}:xxxxx@`;
  }
  return `${u.scheme}://${user}${u.host}${u.rest}`;
}

function parseNoProxy(value: string): NoProxyMatcher[] {
  const out: NoProxyMatcher[] = [];
  for (const raw of value.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return [{ kind: 'all' }];
    const cidr = parseCIDR(p);
    if (cidr !== undefined) {
      out.push({ kind: 'cidr', cidr });
      continue;
    }
    let host = p;
    let port = '';
    const hp = splitHostPort(p);
    if (hp.ok) {
      ({ host, port } = hp);
      if (host === '') continue; // malformed entry, as Go ignores it
    }
    const ip = parseIP(host);
    if (ip !== undefined) {
      out.push({ kind: 'ip', ip, port });
      continue;
    }
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    out.push({ kind: 'domain', suffix: matchHost ? `.${host}` : host, port, matchHost });
  }
  return out;
}

function bypassesProxy(matchers: readonly NoProxyMatcher[], host: string, port: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost') return true;
  const ip = parseIP(name);
  if (ip !== undefined && isLoopback(ip)) return true;
  for (const m of matchers) {
    switch (m.kind) {
      case 'all':
        return true;
      case 'cidr':
        if (ip !== undefined && cidrContains(m.cidr, ip)) return true;
        break;
      case 'ip':
        if (ip !== undefined && sameIP(m.ip, ip) && (m.port === '' || m.port === port)) return true;
        break;
      case 'domain':
        if ((name.endsWith(m.suffix) || (m.matchHost && name === m.suffix.slice(1))) && (m.port === '' || m.port === port)) {
          return true;
        }
        break;
    }
  }
  return false;
}

/**
 * The proxy (printable, password redacted) a Go client would use to reach `scheme://host:port`,
 * or undefined for a direct connection. `host` is a name or an IP without brackets.
 */
export function proxyFor(env: Env, scheme: 'http' | 'https', host: string, port?: number): string | undefined {
  const proxy = parseProxy(scheme === 'https' ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy'));
  if (proxy === undefined) return undefined;
  // Go refuses HTTP_PROXY under CGI (golang.org/s/cgihttpproxy); no request is proxied then.
  if (scheme === 'http' && envAny(env, 'REQUEST_METHOD') !== '') return undefined;
  const effectivePort = String(port ?? (scheme === 'https' ? 443 : 80));
  const noProxy = parseNoProxy(envAny(env, 'NO_PROXY', 'no_proxy'));
  return bypassesProxy(noProxy, host, effectivePort) ? undefined : formatProxy(proxy);
}
