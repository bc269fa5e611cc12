// esbuild plugins that turn the ESM program into the CommonJS one-file bundle a Node 20 single
// executable application needs (its main script is run as CommonJS, and may `require` only
// Node's built-in modules).
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';

/** The prefix of a module that CommonJS keeps at the top: blank lines, `//` comments, one-line imports. */
const headLine = /^(\s*|\/\/.*|import\s.*\sfrom\s+'[^']+';\s*|import\s+'[^']+';\s*)$/;

/**
 * CommonJS has no top-level await: the statements of the entry module after its imports run
 * inside an async function instead. An unhandled rejection still ends the process with exit 1,
 * as a rejected top-level await does. Fails the build on an entry it cannot split that way.
 */
export function wrapTopLevelAwait(entry) {
  const file = path.resolve(entry);
  return {
    name: 'wrap-top-level-await',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (path.resolve(args.path) !== file) return undefined;
        const lines = (await readFile(file, 'utf8')).split('\n');
        let split = 0;
        while (split < lines.length && headLine.test(lines[split])) split++;
        const body = lines.slice(split);
        const stray = body.findIndex((l) => /^import\s/.test(l));
        if (stray !== -1) {
          throw new Error(`${entry}:${split + stray + 1}: an import after the first statement (or a multi-line import) ` +
            'cannot be kept at the top of the CommonJS bundle; write each import on one line, before any statement');
        }
        return { contents: `${lines.slice(0, split).join('\n')}\nvoid (async () => {\n${body.join('\n')}\n})();\n`, loader: 'ts' };
      });
    },
  };
}

/**
 * `await import('node:dns')` stays an import() in a CommonJS bundle, which a single executable
 * cannot run once its code cache is on (and which a failing caller may swallow). Each becomes a
 * require() of the same built-in, still made only when that code runs.
 */
export function requireBuiltinDynamicImports() {
  return {
    name: 'require-builtin-dynamic-imports',
    setup(build) {
      build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
        args.kind === 'dynamic-import' && isBuiltin(args.path) ? { path: args.path, namespace: 'builtin-require' } : undefined);
      build.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) =>
        ({ contents: `module.exports = require(${JSON.stringify(args.path)});\n`, loader: 'js' }));
    },
  };
}

/**
 * Packages that try to `require()` an optional native add-on or helper (ws: bufferutil and
 * utf-8-validate, node-fetch: encoding, debug: supports-color) keep that require() when it is not
 * installed. In a single executable such a require() prints a warning about its limited require()
 * on stderr before failing. Each becomes a module that fails the same way, quietly, when required.
 */
export function missingOptionalRequires() {
  return {
    name: 'missing-optional-requires',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind !== 'require-call' || isBuiltin(args.path) || args.pluginData?.probing) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { probing: true } });
        return found.errors.length === 0 ? undefined : { path: args.path, namespace: 'missing-module' };
      });
      build.onLoad({ filter: /.*/, namespace: 'missing-module' }, (args) => ({
        contents: `const e = new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}); e.code = 'MODULE_NOT_FOUND'; throw e;\n`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Why a single executable could not run `code` as written, or undefined: a string literal import()
 * (refused once the code cache is on), or a require() of a module that is not built in (a single
 * executable's require() loads only those).
 */
export function seaIncompatibility(code) {
  const imported = /[^\w$.]import\(\s*["'`]([^"'`]+)["'`]\s*\)/.exec(code);
  if (imported) return `it still holds import("${imported[1]}")`;
  const required = [...code.matchAll(/[^\w$.]require\("([^"]+)"\)/g)].map((m) => m[1]).find((id) => !isBuiltin(id));
  if (required !== undefined) return `it still holds require("${required}"), which is not a built-in module`;
  return undefined;
}
