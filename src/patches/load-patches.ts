// `--patches DIR` / patches.directory: reads the patch files once, through the host, and hands the
// phases a PatchSet. kubeadm: util/patches/patches.go GetPatchManagerForPath.
// - Files are taken in filepath.Walk's order: names sorted byte-wise, a sub-directory's files at the
//   sub-directory's place (kubeadm walks them too, though it says it ignores them). Every file is one
//   patch set and sets apply in that order, so for one target the last file wins.
// - A name that is not a patch file (other extension, unknown target) and an empty file are skipped
//   with a printed line; a `+type` kubeadm does not know, an unreadable file or a document that is not
//   YAML/JSON stops the run (ConfigError naming the file), before anything is written.
// - A missing DIR is an error, as in kubeadm. Unlike kubeadm, DIR may be a symlink to a directory.
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Host } from '../host/host.js';
import { goQuote } from '../output/go-quote.js';
import type { Output } from '../output/output.js';
import { applyPatch } from './apply-patch.js';
import { withoutNullFields, type JsonObject } from './json-value.js';
import {
  decodePatchDocument, parsePatchFileName, patchContentTypes, PatchFileSyntaxError, splitPatchDocuments, type PatchType,
} from './patch-files.js';
import { patchSchemas } from './patch-schemas.js';
import { noPatches, type PatchSet, type PatchTarget } from './patch-set.js';
import { InvalidPatchError } from './strategic-merge.js';

/** One patch file, read and decoded. */
export interface PatchFile {
  /** As the host sees it: DIR joined with the file's place under it. */
  readonly path: string;
  readonly name: string;
  readonly target: PatchTarget;
  readonly type: PatchType;
  readonly documents: readonly { readonly index: number; readonly line: number; readonly value: unknown }[];
}

const namingHelp = 'files in the patches directory are named <target>[suffix][+strategic|merge|json].{yaml,json}';

/** Reads the patch files of `dir` (printing kubeadm's `[patches]` lines) and returns them as a PatchSet. */
export async function loadPatches(host: Host, dir: string, out: Output): Promise<PatchSet> {
  out.info(`[patches] Reading patches from path ${goQuote(dir)}`);
  const files: PatchFile[] = [];
  const ignored: string[] = [];
  for (const file of await walk(host, dir, true)) {
    const name = path.posix.basename(file);
    const meaning = parsePatchFileName(name);
    if (meaning.kind === 'ignored') {
      out.info(`[patches] Ignoring file ${goQuote(name)}: ${meaning.reason}`);
      ignored.push(name);
      continue;
    }
    if (meaning.kind === 'invalid') throw new ConfigError([{ file, message: meaning.reason }], { fix: `rename the file: ${namingHelp}` });
    const text = await readPatchFile(host, file);
    if (text.length === 0) {
      out.info(`[patches] Ignoring empty file ${goQuote(name)}`);
      ignored.push(name);
      continue;
    }
    files.push({ path: file, name, target: meaning.target, type: meaning.type, documents: decodeFile(file, text) });
  }
  if (files.length > 0) out.info(`[patches] Found the following patch files: [${files.map((f) => f.name).join(' ')}]`);
  if (ignored.length > 0) out.info(`[patches] Ignored the following files: [${ignored.join(' ')}]`);
  return patchSetOf(files, out);
}

/** What InitContext.patches (and the join/upgrade contexts) hold: the patches of `dir`, read on first
 *  use and then shared; no directory means no patches. */
export function patchLoader(host: Host, dir: string | undefined, out: Output): () => Promise<PatchSet> {
  let loaded: Promise<PatchSet> | undefined;
  return () => {
    if (dir === undefined || dir === '') return Promise.resolve(noPatches);
    loaded ??= loadPatches(host, dir, out);
    return loaded;
  };
}

/** The patch files applied to a target, in order. */
function patchSetOf(files: readonly PatchFile[], out: Output): PatchSet {
  return {
    apply(target, doc) {
      const mine = files.filter((f) => f.target === target);
      if (mine.length === 0) return structuredClone(doc) as Record<string, unknown>;
      let current = JSON.parse(JSON.stringify(doc)) as JsonObject;
      for (const file of mine) {
        for (const d of file.documents) {
          try {
            current = applyPatch(current, file.type, d.value, patchSchemas[target]);
          } catch (err) {
            if (!(err instanceof InvalidPatchError)) throw err;
            throw new ConfigError([{
              file: file.path, line: d.line,
              message: `the ${file.type} patch in document ${d.index} cannot be applied to ${target}: ${err.message}`,
            }], { fix: 'correct or remove that patch, then run the command again', cause: err });
          }
          out.info(`[patches] Applied patch of type ${goQuote(patchContentTypes[file.type])} to target ${goQuote(target)}`);
        }
      }
      // The kubelet configuration is written from the patched JSON as it is. A patched Pod or Deployment
      // is decoded into its Go type and encoded again, which drops null fields and fails when the
      // patches made it another kind of object.
      if (target === 'kubeletconfiguration') return current;
      for (const key of ['apiVersion', 'kind']) {
        if (current[key] !== doc[key]) {
          throw new ConfigError([{
            file: mine[mine.length - 1]!.path,
            message: `after its patches, ${target} has ${key} ${JSON.stringify(current[key] ?? null)} instead of ${JSON.stringify(doc[key])}`,
          }], { fix: 'patch the fields of the object, not its apiVersion or kind' });
        }
      }
      return withoutNullFields(current) as Record<string, unknown>;
    },
  };
}

/** Every non-directory path under `dir`, in filepath.Walk's order. */
async function walk(host: Host, dir: string, top: boolean): Promise<string[]> {
  let names: string[] | undefined;
  try {
    names = await host.fs.list(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOTDIR' ? 'is not a directory' : `cannot be read: ${(err as Error).message}`;
    throw new ConfigError([{ file: dir, message: `the patches directory ${message}` }], {
      fix: code === 'ENOTDIR' ? `give --patches (or patches.directory) a directory: ${namingHelp}` : 'check its permissions (tskubeadm runs as root)',
      cause: err,
    });
  }
  if (names === undefined) {
    throw new ConfigError([{ file: dir, message: top ? 'the patches directory does not exist' : 'disappeared while it was being read' }], {
      fix: 'create it with your patch files, or point --patches (or patches.directory in the config file) at the right directory',
    });
  }
  const paths: string[] = [];
  for (const name of [...names].sort(byteOrder)) {
    const child = path.posix.join(dir, name);
    if ((await host.fs.stat(child))?.kind === 'directory') paths.push(...(await walk(host, child, false)));
    else paths.push(child);
  }
  return paths;
}

// Go sorts names as bytes; JavaScript's default sort compares UTF-16 units, which differs above U+FFFF.
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function readPatchFile(host: Host, file: string): Promise<string> {
  let text: string | undefined;
  try {
    text = await host.fs.readText(file);
  } catch (err) {
    throw new ConfigError([{ file, message: `the patch file cannot be read: ${(err as Error).message}` }], {
      fix: (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'patch files must be regular files; rename or remove it' : 'check its permissions',
      cause: err,
    });
  }
  if (text === undefined) throw new ConfigError([{ file, message: 'the patch file disappeared while it was being read' }]);
  return text;
}

function decodeFile(file: string, text: string): PatchFile['documents'] {
  try {
    return splitPatchDocuments(text).map((d) => ({ index: d.index, line: d.line, value: decodePatchDocument(d) }));
  } catch (err) {
    if (!(err instanceof PatchFileSyntaxError)) throw err;
    throw new ConfigError([{ file, line: err.line, ...(err.column === undefined ? {} : { column: err.column }), message: err.message }], {
      fix: 'correct the patch file: each document (separated by a "---" line) is one YAML or JSON patch',
      cause: err,
    });
  }
}
