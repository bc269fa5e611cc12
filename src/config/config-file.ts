// Reading a config file through the host (under --rootfs the path is inside the root, as
// kubeadm chroots before reading it) and turning FieldProblems into located InputProblems.
import type { Host } from '../host/host.js';
import { ConfigError, type InputProblem } from '../errors.js';
import { readConfigDocuments, fieldPath, type DecodedDocuments } from './decode.js';
import type { FieldProblem } from './field-problem.js';

export const fixConfig = 'correct the fields listed above, then check the file again with `tskubeadm config validate --config <file>`';

/** The same for problems that come from flags alone (no file was given). */
export const fixFlags = 'correct the flag values named above (`--help` lists every flag and its format)';

/** Reads and decodes a config file; `flag` names the option that gave the path, for the fix. */
export async function readConfigFile(host: Host, path: string, flag = '--config'): Promise<DecodedDocuments> {
  let text: string | undefined;
  try {
    text = await host.fs.readText(path);
  } catch (err) {
    throw new ConfigError(`unable to read config from "${path}": ${err instanceof Error ? err.message : String(err)}`, {
      fix: `check the ${flag} path and its permissions`,
      cause: err,
    });
  }
  if (text === undefined) {
    throw new ConfigError(`unable to read config from "${path}": no such file`, { fix: `check the ${flag} path` });
  }
  return readConfigDocuments(text, path);
}

/** Locates each problem in the file when there is one; flag problems keep their own text.
 *  A field that defaulting could not fill (e.g. an unusable advertise address) is not reported again by validation. */
export function locateProblems(
  defaulting: readonly FieldProblem[],
  validation: readonly FieldProblem[],
  decoded: DecodedDocuments | undefined,
): InputProblem[] {
  const reported = new Set(defaulting.map((p) => `${p.kind}|${fieldPath(p.path)}`));
  const all = [...defaulting, ...validation.filter((p) => !reported.has(`${p.kind}|${fieldPath(p.path)}`))];
  return all.map((p): InputProblem => {
    if (p.kind === 'flags') return { message: p.message };
    if (decoded !== undefined) return { ...decoded.locate(p.kind, p.path), message: p.message };
    return { ...(p.path.length > 0 ? { field: fieldPath(p.path) } : {}), message: p.message };
  });
}
