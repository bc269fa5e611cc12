// The one importer of @peculiar/x509 (certificate and CSR building). It costs ~120 ms to load,
// so it is imported on first use by the phases that sign, never at start-up. It runs on
// Node's WebCrypto; keys, parsing and verification stay with node:crypto.
import { webcrypto } from 'node:crypto';

export type X509Lib = typeof import('@peculiar/x509');

/** The library, on Node's WebCrypto. Module imports are cached, so repeated calls are cheap. */
export async function loadX509(): Promise<X509Lib> {
  // @peculiar/x509's dependency injection needs the Reflect metadata polyfill loaded first.
  await import('reflect-metadata');
  const mod: X509Lib & { default?: X509Lib } = await import('@peculiar/x509');
  // Bundled, the package's CommonJS build arrives as the default export.
  const x509 = mod.cryptoProvider === undefined && mod.default !== undefined ? mod.default : mod;
  x509.cryptoProvider.set(webcrypto);
  return x509;
}
