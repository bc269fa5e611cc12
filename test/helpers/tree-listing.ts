// A whole directory tree as one comparable value: path (from the root, '/'-led) → "kind mode sha256"
// ("symlink -> target" for links, never followed). Two listings are equal when the trees hold the same
// paths with the same kinds, permission bits and bytes; times and owners are not compared.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

export async function treeListing(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const real = path.join(dir, name);
      const rel = `/${path.relative(root, real).split(path.sep).join('/')}`;
      const st = await lstat(real);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      if (st.isSymbolicLink()) out.set(rel, `symlink -> ${await readlink(real)}`);
      else if (st.isDirectory()) {
        out.set(rel, `directory ${mode}`);
        await walk(real);
      } else if (st.isFile()) out.set(rel, `file ${mode} ${createHash('sha256').update(await readFile(real)).digest('hex')}`);
      else out.set(rel, `other ${mode}`);
    }
  };
  await walk(root);
  return out;
}
