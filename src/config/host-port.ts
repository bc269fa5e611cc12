// host:port handling with Go's net.SplitHostPort semantics and kubeadm's ParseHostPort
// (util/endpoint.go), plus the RFC 1123 names of apimachinery's validation package.
import { isIP } from './ip.js';

const subdomainFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const subdomainRe = new RegExp(`^${subdomainFmt}$`);
const wildcardRe = new RegExp(`^\\*\\.${subdomainFmt}$`);

/** apimachinery IsDNS1123Subdomain: the problems, empty when valid (messages are kubeadm's, users search them). */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!subdomainRe.test(value)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end " +
        `with an alphanumeric character (e.g. 'example.com', regex used for validation is '${subdomainFmt}')`,
    );
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): boolean {
  return dns1123SubdomainErrors(value).length === 0;
}

/** apimachinery IsWildcardDNS1123Subdomain, e.g. `*.example.com`. */
export function isWildcardDNS1123Subdomain(value: string): boolean {
  return value.length <= 253 && wildcardRe.test(value);
}

export type SplitHostPort =
  | { readonly ok: true; readonly host: string; readonly port: string }
  | { readonly ok: false; readonly message: string };

/** Go's net.SplitHostPort: `host:port` or `[v6]:port`; the port text is not checked. */
export function splitHostPort(hostport: string): SplitHostPort {
  const fail = (why: string): SplitHostPort => ({ ok: false, message: `address ${hostport}: ${why}` });
  const i = hostport.lastIndexOf(':');
  if (i < 0) return fail('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return fail("missing ']' in address");
    if (end + 1 === hostport.length) return fail('missing port in address');
    if (end + 1 !== i) return fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return fail('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) return fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) return fail("unexpected ']' in address");
  return { ok: true, host, port: hostport.slice(i + 1) };
}

/** A TCP port 1-65535 written in decimal. */
export function isValidPort(port: string): boolean {
  if (!/^[0-9]{1,5}$/.test(port)) return false;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}

/** kubeadm's ParseHostPort: `host[:port]` where host is an IP or an RFC 1123 subdomain. A bracketed
 *  IPv6 address without a port is accepted too (kubeadm refuses `[fd00::1]` alone). */
export function parseHostPort(hostport: string): SplitHostPort {
  const split = splitHostPort(hostport);
  let host = split.ok ? split.host : hostport;
  const port = split.ok ? split.port : '';
  if (!split.ok && /^\[[^\]]*\]$/.test(hostport)) host = hostport.slice(1, -1);
  if (port !== '' && !isValidPort(port)) {
    return { ok: false, message: `hostport ${hostport}: port ${port} must be a valid number between 1 and 65535, inclusive` };
  }
  if (isIP(host) || isDNS1123Subdomain(host)) return { ok: true, host, port };
  return { ok: false, message: `hostport ${hostport}: host '${host}' must be a valid IP address or a valid RFC-1123 DNS subdomain` };
}

/** Go's net.JoinHostPort: `host:port`, an IPv6 literal (any host with a colon) in brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
