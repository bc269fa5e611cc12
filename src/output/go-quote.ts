// Go's %q (strconv.Quote) for the kubelet's files: kubeadm writes kubeadm-flags.env and
// instance-config.yaml with fmt's %q, so a value with a quote, a backslash or a control
// character must be escaped exactly as Go escapes it for the bytes to match.

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const shortEscapes: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** `s` as a double-quoted Go string literal, byte for byte as strconv.Quote writes it. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    // A lone surrogate has no UTF-8 form: it is written as U+FFFD, which Go prints as it is.
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (printable.test(ch)) out += ch;
    else if (shortEscapes[ch] !== undefined) out += shortEscapes[ch];
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}
