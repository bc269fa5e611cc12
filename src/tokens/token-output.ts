// How `token list` and `token create` print tokens: kubeadm's text table, its
// output.kubeadm.k8s.io/v1alpha3 BootstrapToken objects (JSON or YAML) for list, and our own object
// for `create -o json`. kubeadm: cmd/token.go (formatBootstrapToken, tokenTextPrinter).
import { shortHumanDuration } from '../certs-admin/expiration-output.js';
import { tabwrite } from '../certs-admin/tabwriter.js';
import { joinDocuments, toGoJson, toGoYaml } from '../config/encode.js';
import type { GoObject } from '../config/encode-common.js';
import { rfc3339 } from '../config/rfc3339.js';
import type { BootstrapTokenView } from './token-parse.js';

export const listFormats = ['text', 'json', 'yaml'] as const;
export type ListFormat = (typeof listFormats)[number];

/** Go's fmt `%-Ns`: padded to N characters (runes), never cut. */
function padRunes(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - [...s].length));
}

const orNone = (s: string) => (s === '' ? '<none>' : s);

/**
 * kubeadm's table: TOKEN TTL EXPIRES USAGES DESCRIPTION EXTRA GROUPS, Go tabwriter (minwidth 10,
 * padding 3) over cells kubeadm pre-pads (TTL 9, USAGES 22, DESCRIPTION 56). kubeadm runs a tabwriter
 * per token, which misaligns a `<never>` row under dated ones; one tabwriter over all rows gives the
 * same bytes when the rows agree and aligned columns when they do not. No tokens: nothing, as kubeadm.
 */
export function tokenTable(tokens: readonly BootstrapTokenView[], now: Date): string {
  if (tokens.length === 0) return '';
  const rows = ['TOKEN\tTTL\tEXPIRES\tUSAGES\tDESCRIPTION\tEXTRA GROUPS\n'];
  for (const t of tokens) {
    const ttl = t.expires === undefined ? '<forever>' : shortHumanDuration(Math.trunc((t.expires.getTime() - now.getTime()) / 1000));
    const expires = t.expires === undefined ? '<never>' : rfc3339(t.expires);
    rows.push([
      t.token,
      padRunes(ttl, 9),
      expires,
      padRunes(orNone(t.usages.join(',')), 22),
      padRunes(orNone(t.description), 56),
      orNone(t.groups.join(',')),
    ].join('\t') + '\n');
  }
  return tabwrite(rows.join(''), { minwidth: 10, padding: 3 });
}

/** The output.kubeadm.k8s.io/v1alpha3 BootstrapToken object, fields in Go's order, empty ones omitted (no ttl: a stored token has none). */
export function outputBootstrapToken(t: BootstrapTokenView): GoObject {
  return {
    kind: 'BootstrapToken',
    apiVersion: 'output.kubeadm.k8s.io/v1alpha3',
    token: t.token,
    ...(t.description === '' ? {} : { description: t.description }),
    ...(t.expires === undefined ? {} : { expires: rfc3339(t.expires) }),
    ...(t.usages.length === 0 ? {} : { usages: [...t.usages] }),
    ...(t.groups.length === 0 ? {} : { groups: [...t.groups] }),
  };
}

/** `token list` output in each format: as kubeadm's printers, one object per token (YAML documents separated by `---`). */
export function formatTokenList(tokens: readonly BootstrapTokenView[], format: ListFormat, now: Date): string {
  switch (format) {
    case 'text':
      return tokenTable(tokens, now);
    case 'json':
      return tokens.map((t) => toGoJson(outputBootstrapToken(t))).join('');
    case 'yaml':
      return joinDocuments(tokens.map((t) => toGoYaml(outputBootstrapToken(t))));
  }
}

/** What `token create -o json` prints: the token created (the first, with --config), and its join command when asked. */
export function createdTokenObject(t: BootstrapTokenView, joinCommand: string | undefined): Record<string, unknown> {
  return {
    kind: 'BootstrapToken',
    apiVersion: 'output.tskubeadm.io/v1alpha1',
    token: t.token,
    id: t.id,
    expires: t.expires === undefined ? null : rfc3339(t.expires),
    usages: [...t.usages],
    groups: [...t.groups],
    description: t.description,
    ...(joinCommand === undefined ? {} : { joinCommand }),
  };
}
