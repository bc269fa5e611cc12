// Bootstrap tokens (k8s.io/cluster-bootstrap token/util and api): format, generation,
// usages and extra groups.
import { randomBytes } from 'node:crypto';

const tokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
/** kubeadm prints the regexp in Go's syntax in its messages. */
export const tokenPatternText = '\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z';
export const bootstrapGroupPattern = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
export const validUsages: readonly string[] = Object.freeze(['signing', 'authentication']);

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `n` characters of [a-z0-9] from a CSPRNG; bytes >= 252 are dropped so every character is equally likely. */
function randomString(n: number, random: (size: number) => Uint8Array): string {
  let out = '';
  while (out.length < n) {
    for (const b of random(n * 2)) {
      if (b >= 252) continue;
      out += alphabet[b % 36];
      if (out.length === n) break;
    }
  }
  return out;
}

/** A fresh `<id>.<secret>` token. */
export function generateBootstrapToken(random: (size: number) => Uint8Array = randomBytes): string {
  return `${randomString(6, random)}.${randomString(16, random)}`;
}

export function isValidBootstrapToken(token: string): boolean {
  return tokenPattern.test(token);
}

/** The usages that are not allowed, sorted and without repeats (kubeadm prints them from a string set). */
export function invalidUsages(usages: readonly string[]): string[] {
  return [...new Set(usages.filter((u) => !validUsages.includes(u)))].sort();
}
