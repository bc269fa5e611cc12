// IP addresses and CIDRs with Go's semantics (net.ParseIP, netutils.ParseIPSloppy,
// net.ParseCIDR), written without node:net so src/config stays off the host seam.
// ParseCIDR keeps host bits ("192.168.51.0/16" is 192.168.0.0/16, corpus 048).

export interface IP {
  readonly family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  readonly bytes: Uint8Array;
}

export interface CIDR {
  /** The network address (host bits cleared). */
  readonly ip: IP;
  readonly prefix: number;
  /** Address bits: 32 or 128. */
  readonly bits: 32 | 128;
}

/** Dotted IPv4; leading zeros are accepted as decimal (kubeadm uses the "sloppy" parser). */
function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  if (s.includes('%')) return undefined; // zones are not IPs for Go's ParseIP
  let head = s;
  let v4tail: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    v4tail = parseIPv4(s.slice(lastColon + 1));
    if (v4tail === undefined) return undefined;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = head.indexOf('::');
  if (dbl !== -1 && head.indexOf('::', dbl + 1) !== -1) return undefined;
  const parseGroups = (t: string): number[] | undefined => {
    if (t === '') return [];
    const out: number[] = [];
    for (const g of t.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl === -1) {
    const g = parseGroups(head);
    if (g === undefined || g.length !== 8) return undefined;
    groups = g;
  } else {
    const left = parseGroups(head.slice(0, dbl));
    const right = parseGroups(head.slice(dbl + 2));
    if (left === undefined || right === undefined || left.length + right.length > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (v4tail !== undefined) out.set(v4tail, 12);
  return out;
}

/** Parses an IPv4 or IPv6 address; undefined when Go's ParseIPSloppy would return nil. */
export function parseIP(text: string): IP | undefined {
  if (text.includes(':')) {
    const b = parseIPv6(text);
    return b === undefined ? undefined : { family: 6, bytes: b };
  }
  const b = parseIPv4(text);
  return b === undefined ? undefined : { family: 4, bytes: b };
}

export function isIP(text: string): boolean {
  return parseIP(text) !== undefined;
}

/** Go's net.ParseCIDR: `address/prefix`, prefix in 0..bits, host bits allowed and cleared. */
export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  const net = new Uint8Array(ip.bytes);
  for (let i = 0; i < net.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    net[i] = net[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return { ip: { family: ip.family, bytes: net }, prefix, bits };
}

export function formatIP(ip: IP): string {
  // Go prints an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address.
  const mapped = ip.family === 6 && ip.bytes.slice(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
  if (ip.family === 4 || mapped) return Array.from(ip.bytes.slice(-4)).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  // Longest run of zero groups (length >= 2) becomes "::", as Go prints it.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function formatCIDR(c: CIDR): string {
  return `${formatIP(c.ip)}/${c.prefix}`;
}

/** Number of addresses in the range, capped like kubeadm's RangeSize (which saturates above 2^63). */
export function rangeSize(c: CIDR): bigint {
  const hostBits = c.bits - c.prefix;
  if (hostBits >= 63) return (1n << 63n) - 1n;
  return 1n << BigInt(hostBits);
}

/** True when the two networks share at least one address. */
/** The n-th address of the range (n = 1 is the first host), as kubeadm's GetIndexedIP; undefined past its end. */
export function indexedIP(cidr: CIDR, n: number): IP | undefined {
  const hostBits = cidr.bits - cidr.prefix;
  if (BigInt(n) >= 1n << BigInt(hostBits)) return undefined;
  const bytes = Uint8Array.from(cidr.ip.bytes);
  let carry = n;
  for (let i = bytes.length - 1; i >= 0 && carry > 0; i--) {
    const sum = (bytes[i] ?? 0) + (carry % 256);
    bytes[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum >> 8);
  }
  return { family: cidr.ip.family, bytes };
}

export function cidrsOverlap(a: CIDR, b: CIDR): boolean {
  if (a.bits !== b.bits) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  for (let i = 0; i < a.ip.bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((a.ip.bytes[i]! & mask) !== (b.ip.bytes[i]! & mask)) return false;
  }
  return true;
}

/** IPv4 loopback (127/8) or ::1. */
export function isLoopback(ip: IP): boolean {
  if (ip.family === 4) return ip.bytes[0] === 127;
  return ip.bytes.every((b, i) => (i === 15 ? b === 1 : b === 0));
}

/** Go's IP.IsGlobalUnicast: not unspecified, loopback, link-local, multicast or broadcast. */
export function isGlobalUnicast(ip: IP): boolean {
  const b = ip.bytes;
  if (ip.family === 4) {
    if (b.every((x) => x === 0) || b.every((x) => x === 255)) return false;
    if (b[0] === 127) return false;
    if (b[0]! >= 224 && b[0]! <= 239) return false; // multicast; 240/4 counts as unicast in Go
    if (b[0] === 169 && b[1] === 254) return false;
    return true;
  }
  if (b.every((x) => x === 0) || isLoopback(ip)) return false;
  if (b[0] === 0xff) return false;
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return false;
  return true;
}

/** Go's utilsnet.IsIPv6String: an IPv6 address that is not an IPv4-mapped one. */
export function isIPv6Address(text: string): boolean {
  const ip = parseIP(text);
  if (ip === undefined || ip.family !== 6) return false;
  const b = ip.bytes;
  const v4Mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return !v4Mapped;
}
