// `-o text|json|yaml`: the one place that turns a command's result object into the bytes on stdout.
// JSON is kubeadm's printer layout (4-space indent, Go's escaping of <, > and &), YAML is Go's
// (sigs.k8s.io/yaml: keys sorted, lists not indented); both end with a newline. The encoders load
// only when a result is printed, so commands stay cheap to build.
import { UsageError } from '../errors.js';

export const resultFormats = ['text', 'json', 'yaml'] as const;
export type ResultFormat = (typeof resultFormats)[number];
/** Commands whose result is already a YAML document (config print, migrate, kubeconfig user). */
export const documentFormats = ['yaml', 'json'] as const;
export type DataFormat = Exclude<ResultFormat, 'text'>;

/** Our result kinds; kubeadm's own (BootstrapToken, Images, CertificateExpirationInfo) keep theirs. */
export const tskubeadmOutputVersion = 'output.tskubeadm.io/v1alpha1';
export const kubeadmOutputVersion = 'output.kubeadm.k8s.io/v1alpha3';

/** An -o value checked against what the command offers: anything else is a usage error, before anything runs. */
export function parseResultFormat<F extends string>(value: unknown, allowed: readonly F[], fallback: F): F {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as F;
  throw new UsageError(`invalid output format "${String(value)}": allowed formats are ${allowed.join(', ')}`, {
    fix: `use ${allowed.map((f) => `-o ${f}`).join(', ')}`,
  });
}

/** One result object as JSON or YAML. */
export async function formatResult(result: object, format: DataFormat): Promise<string> {
  const { toGoJson, toGoYaml } = await import('../config/encode.js');
  return format === 'json' ? toGoJson(result) : toGoYaml(result as Readonly<Record<string, unknown>>);
}

/**
 * A YAML stream (config print, migrate) as -o asks: yaml keeps the text as it is; json is ONE document,
 * a JSON array holding each YAML document in order, so stdout still parses as a single value.
 */
export async function formatDocuments(yamlText: string, format: DataFormat): Promise<string> {
  if (format === 'yaml') return yamlText;
  const { toGoJson } = await import('../config/encode.js');
  return toGoJson(await parseDocuments(yamlText));
}

/** The documents of a YAML stream we wrote, as plain objects, empty ones left out. */
export async function parseDocuments(yamlText: string): Promise<unknown[]> {
  const { parseAllDocuments } = await import('yaml');
  // Go's YAML (1.1) wrote them; read them back the same way.
  const docs = parseAllDocuments(yamlText, { version: '1.1' });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.filter((d) => d.contents !== null).map((d) => d.toJS() as unknown);
}
