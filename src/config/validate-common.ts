// Checks shared by several kinds (kubeadm: apis/kubeadm/validation/validation.go).
// Each returns FieldProblems with kubeadm's key phrases; nothing throws.
import type { APIEndpoint, Arg, BootstrapToken, NodeRegistration } from './types.js';
import { invalid, problem, type FieldProblem } from './field-problem.js';
import { dns1123SubdomainErrors, isDNS1123Subdomain, isWildcardDNS1123Subdomain } from './host-port.js';
import { isIP } from './ip.js';
import { parseRFC3339 } from './rfc3339.js';
import { bootstrapGroupPattern, invalidUsages, isValidBootstrapToken, tokenPatternText, validUsages } from './token.js';
import { urlScheme } from './url-scheme.js';

type Path = readonly (string | number)[];

export function validateAbsolutePath(kind: string, path: Path, value: string): FieldProblem[] {
  return value.startsWith('/') ? [] : [invalid(kind, path, value, 'path is not absolute')];
}

export function validateToken(kind: string, path: Path, token: string): FieldProblem[] {
  if (isValidBootstrapToken(token)) return [];
  return [problem(kind, path, `the bootstrap token "${token}" was not of the form "${tokenPatternText}"`)];
}

export function validateBootstrapTokens(kind: string, tokens: readonly BootstrapToken[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  tokens.forEach((t, i) => {
    const base = ['bootstrapTokens', i];
    out.push(...validateToken(kind, [...base, 'token'], t.token));
    const bad = invalidUsages(t.usages);
    if (bad.length > 0) {
      out.push(problem(kind, [...base, 'usages'], `invalid bootstrap token usage string: ${bad.join(',')}, valid usage options: ${validUsages.join(',')}`));
    }
    if (t.groups.length > 0 && !t.usages.includes('authentication')) {
      out.push(invalid(kind, [...base, 'groups'], t.groups, 'token groups cannot be specified unless --usages includes "authentication"'));
    }
    for (const g of t.groups) {
      if (!bootstrapGroupPattern.test(g)) {
        out.push(problem(kind, [...base, 'groups'], `bootstrap group "${g}" is invalid (must match \\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)`));
      }
    }
    if (t.expires !== undefined && t.ttlMs !== undefined) {
      out.push(problem(kind, base, 'the BootstrapToken .TTL and .Expires fields are mutually exclusive'));
    }
    if (t.expires !== undefined && parseRFC3339(t.expires) === undefined) {
      out.push(invalid(kind, [...base, 'expires'], t.expires, 'not an RFC 3339 time, e.g. 2030-01-02T15:04:05Z'));
    }
    if (t.ttlMs !== undefined && t.ttlMs < 0) out.push(invalid(kind, [...base, 'ttl'], t.ttlMs, 'a token ttl cannot be negative'));
  });
  return out;
}

export function validateExtraArgs(kind: string, path: Path, args: readonly Arg[]): FieldProblem[] {
  return args.flatMap((a, i) => (a.name === '' ? [invalid(kind, [...path, i], `index ${i}`, 'argument has no name')] : []));
}

export function validateSocketPath(kind: string, path: Path, socket: string): FieldProblem[] {
  if (socket === '') return [invalid(kind, path, socket, 'empty CRI socket')];
  const scheme = urlScheme(socket, { withSlashes: true }) ?? '';
  if (scheme !== 'unix') return [invalid(kind, path, socket, `only URL scheme "unix" is supported, got "${scheme}"`)];
  if (socket.length <= 'unix://'.length) return [invalid(kind, path, socket, 'the socket path is empty')];
  return [];
}

export function validateNodeRegistration(kind: string, n: NodeRegistration, base: Path = ['nodeRegistration']): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (n.name !== '') {
    for (const e of dns1123SubdomainErrors(n.name)) out.push(invalid(kind, [...base, 'name'], n.name, e));
  }
  out.push(...validateSocketPath(kind, [...base, 'criSocket'], n.criSocket));
  out.push(...validateExtraArgs(kind, [...base, 'kubeletExtraArgs'], n.kubeletExtraArgs));
  out.push(...validateIgnorePreflightErrors(kind, [...base, 'ignorePreflightErrors'], n.ignorePreflightErrors));
  (n.taints ?? []).forEach((t, i) => {
    if (t.key === '') out.push(invalid(kind, [...base, 'taints', i, 'key'], t.key, 'a taint needs a key'));
    if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      out.push(invalid(kind, [...base, 'taints', i, 'effect'], t.effect, 'taint effect must be one of NoSchedule, PreferNoSchedule, NoExecute'));
    }
  });
  return out;
}

/** `all` together with named checks is refused (kubeadm ValidateIgnorePreflightErrors). */
export function validateIgnorePreflightErrors(kind: string, path: Path, names: readonly string[]): FieldProblem[] {
  const set = new Set(names.map((n) => n.toLowerCase()));
  if (set.has('all') && set.size > 1) {
    return [invalid(kind, path, [...set].sort().join(','), "don't specify individual checks if 'all' is used")];
  }
  return [];
}

function validatePort(kind: string, path: Path, port: number): FieldProblem[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [invalid(kind, path, port, 'port number is not valid')];
}

export function validateAPIEndpoint(kind: string, base: Path, e: APIEndpoint): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!isIP(e.advertiseAddress)) out.push(invalid(kind, [...base, 'advertiseAddress'], e.advertiseAddress, 'ip address is not valid'));
  out.push(...validatePort(kind, [...base, 'bindPort'], e.bindPort));
  return out;
}

/** Go's hex.DecodeString errors, for kubeadm's "certificate key decoding error" text. */
function hexError(s: string): string | undefined {
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad !== null) {
    const cp = bad[0].codePointAt(0)!;
    return `encoding/hex: invalid byte: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${bad[0]}'`;
  }
  if (s.length % 2 === 1) return 'encoding/hex: odd length hex string';
  return undefined;
}

export function validateCertificateKey(kind: string, path: Path, key: string): FieldProblem[] {
  if (key === '') return [];
  const err = hexError(key);
  if (err !== undefined) return [invalid(kind, path, key, `certificate key decoding error: ${err}`)];
  const size = key.length / 2;
  if (size !== 32) return [invalid(kind, path, key, `invalid certificate key size ${size}, the key must be an AES key of size 32`)];
  return [];
}

/** IPs, DNS names and `*.` wildcard names. */
export function validateCertSANs(kind: string, path: Path, sans: readonly string[]): FieldProblem[] {
  return sans.flatMap((s, i) => {
    if (isIP(s) || isDNS1123Subdomain(s) || isWildcardDNS1123Subdomain(s)) return [];
    return [invalid(kind, [...path, i], s, 'altname is not a valid IP address, DNS label or a DNS label with subdomain wildcards')];
  });
}

const refPattern = /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const ipv6HostPattern = /^\[[0-9a-fA-F:.]+\](?::[0-9]+)?\//;

/** kubeadm checks `<repository>/name:tag` against the distribution reference grammar. */
export function validateImageRepository(kind: string, path: Path, repo: string): FieldProblem[] {
  const name = `${repo}/name`;
  const ok = refPattern.test(name) || (ipv6HostPattern.test(name) && refPattern.test(name.replace(ipv6HostPattern, 'h/')));
  return ok ? [] : [invalid(kind, path, repo, 'invalid image repository format')];
}
