// Host paths are absolute POSIX paths as the host sees them. A relative path is taken
// against a working directory once, here, so every host implementation agrees.
import path from 'node:path';

/** The normalized absolute form of `p` (no `.`, `..` or trailing slash; `..` stops at `/`). */
export function hostPath(p: string, cwd = '/'): string {
  if (p === '') throw new TypeError('empty host path');
  return path.posix.resolve(cwd, p);
}

/** The components of a normalized absolute path: `/a/b` → ['a', 'b']; `/` → []. */
export function pathParts(abs: string): string[] {
  return abs.split('/').filter((s) => s !== '');
}

/** Every ancestor directory of `abs`, outermost first, excluding `/` and `abs` itself. */
export function ancestors(abs: string): string[] {
  const parts = pathParts(abs);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(`/${parts.slice(0, i).join('/')}`);
  return out;
}

/** A Node-style errno error, so callers can branch on `code` the same way for every host. */
export function errnoError(code: string, syscall: string, p: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: ${syscall} '${p}'`);
  e.code = code;
  e.syscall = syscall;
  e.path = p;
  return e;
}

/** Files larger than this are not kept in a mutation's previous state. */
export const previousContentLimitBytes = 1024 * 1024;
