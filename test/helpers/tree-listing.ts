// A whole directory tree as one comparable value: path (from the root, '/'-led) → "kind mode sha256"
// ("symlink -> target" for links, never followed). Two listings are equal when the trees hold the same
// paths with the same kinds, permission bits and bytes; times and owners are not compared.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

export interface TreeListingOptions {
  /** The key a path is listed under (called in walk order: depth first, names sorted). Default: the path. */
  readonly key?: (rel: string) => string;
  /** What stands for a file's bytes after "file <mode>", or undefined for nothing. Default: their SHA-256. */
  readonly content?: (key: string, bytes: Buffer) => string | undefined;
}

const sha256 = (_key: string, bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function treeListing(root: string, o: TreeListingOptions = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const content = o.content ?? sha256;
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const real = path.join(dir, name);
      const rel = `/${path.relative(root, real).split(path.sep).join('/')}`;
      const key = o.key?.(rel) ?? rel;
      const st = await lstat(real);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      if (st.isSymbolicLink()) out.set(key, `symlink -> ${await readlink(real)}`);
      else if (st.isDirectory()) {
        out.set(key, `directory ${mode}`);
        await walk(real);
      } else if (st.isFile()) {
        const digest = content(key, await readFile(real));
        out.set(key, digest === undefined ? `file ${mode}` : `file ${mode} ${digest}`);
      } else out.set(key, `other ${mode}`);
    }
  };
  await walk(root);
  return out;
}
