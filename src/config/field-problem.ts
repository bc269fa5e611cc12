// A problem found after decoding (defaulting, validation), named by document kind and
// v1beta4 field path; load.ts turns it into an InputProblem with file, line and column.

export interface FieldProblem {
  /** The document the field belongs to; 'flags' when it came from the command line. */
  readonly kind: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export function problem(kind: string, path: readonly (string | number)[], message: string): FieldProblem {
  return { kind, path, message };
}

/** kubeadm's `field: Invalid value: "x": why` becomes `invalid value "x": why` after our location prefix. */
export function invalid(kind: string, path: readonly (string | number)[], value: unknown, why: string): FieldProblem {
  const shown = typeof value === 'string' ? `"${value}"` : Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
  return { kind, path, message: `invalid value ${shown}: ${why}` };
}
