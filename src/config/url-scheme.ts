// The scheme of a URL-like value (RFC 3986: a letter, then letters, digits, "+", "-" or "."),
// as kubeadm's checks of CRI endpoints, etcd endpoints and discovery files read it.

/** The scheme of `text`, or undefined; `withSlashes` asks for the `scheme://` form (socket and endpoint URLs). */
export function urlScheme(text: string, opts: { readonly withSlashes?: boolean } = {}): string | undefined {
  const m = (opts.withSlashes === true ? /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\// : /^([a-zA-Z][a-zA-Z0-9+.-]*):/).exec(text);
  return m?.[1];
}
