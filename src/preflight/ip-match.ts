// Address matching the network checks need on top of src/config/ip.ts (the project's one IP
// parser): containment and the families of a CIDR list.
import { cidrsOverlap, parseCIDR, type CIDR, type IP } from '../config/ip.js';

export function sameIP(a: IP, b: IP): boolean {
  return a.family === b.family && a.bytes.every((v, i) => v === b.bytes[i]);
}

/** Whether the range holds the address; never across families (Go's IPNet.Contains). */
export function cidrContains(cidr: CIDR, ip: IP): boolean {
  if (cidr.ip.family !== ip.family) return false;
  return cidrsOverlap(cidr, { ip, prefix: cidr.bits, bits: cidr.bits });
}

/** The address families in a comma-separated CIDR list ("" → none). */
export function cidrFamilies(list: string): Set<4 | 6> {
  const out = new Set<4 | 6>();
  for (const c of list.split(',')) {
    const p = parseCIDR(c.trim());
    if (p !== undefined) out.add(p.ip.family);
  }
  return out;
}
