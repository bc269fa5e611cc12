// The only importer of @kubernetes/client-node. Its import costs ~0.4 s (libraries.md), so it is loaded
// on first use by the API phases and never by `--help`, `version` or the file-only phases.
export type ClientNode = typeof import('@kubernetes/client-node');

/**
 * The client-node module. Memoized by the module loader itself: every import() of one specifier
 * resolves to the same module instance, so no cache of our own is needed.
 */
export function loadClientNode(): Promise<ClientNode> {
  return import('@kubernetes/client-node');
}
