// Reading a source file's imports as text, for the tests that enforce import rules
// (test/architecture.test.ts) and keep the start-up graph small (test/cli/startup-imports.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const srcDir = path.resolve(import.meta.dirname, '../../src');

export interface ImportRef {
  readonly specifier: string;
  readonly dynamic: boolean;
}

/** Every .ts file under a directory. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

export function importsOf(file: string): ImportRef[] {
  return importsOfText(readFileSync(file, 'utf8'));
}

export function importsOfText(text: string): ImportRef[] {
  const refs: ImportRef[] = [];
  // Static imports and re-exports; `import type` is erased at build and does not count.
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    refs.push({ specifier: m[1]!, dynamic: false });
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) refs.push({ specifier: m[1]!, dynamic: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) refs.push({ specifier: m[1]!, dynamic: true });
  return refs;
}

/** A path under src/, with forward slashes, for messages. */
export const rel = (f: string): string => path.relative(srcDir, f).split(path.sep).join('/');
