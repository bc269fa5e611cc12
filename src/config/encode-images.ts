// `config images list -o text|json|yaml`: kubeadm's output.kubeadm.k8s.io/v1alpha3 Images object.
import { UsageError } from '../errors.js';
import { toGoJson, toGoYaml } from './encode.js';

const imageOutputFormats = Object.freeze(['text', 'json', 'yaml'] as const);
export type ImageOutputFormat = (typeof imageOutputFormats)[number];

export function parseImageOutputFormat(format: string): ImageOutputFormat {
  if ((imageOutputFormats as readonly string[]).includes(format)) return format as ImageOutputFormat;
  throw new UsageError(`unable to match a printer suitable for the output format "${format}", allowed formats are: ${imageOutputFormats.join(',')}`, {
    fix: `use -o ${imageOutputFormats.join(', -o ')}`,
  });
}

/** kubeadm's `output.kubeadm.k8s.io/v1alpha3` Images object, in the requested format. */
export function formatImages(images: readonly string[], format: ImageOutputFormat): string {
  if (format === 'text') return `${images.join('\n')}\n`;
  const obj = { kind: 'Images', apiVersion: 'output.kubeadm.k8s.io/v1alpha3', images: [...images] };
  // kubeadm's JSON printer indents with four spaces and keeps struct order (kind, apiVersion, images).
  return format === 'json' ? toGoJson(obj) : toGoYaml(obj);
}

