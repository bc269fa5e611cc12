// Go's text/tabwriter layout with space padding and no flags, which kubeadm's tables are printed
// through (`certs check-expiration`): tab-terminated cells form columns; a column's width is its
// widest cell plus the padding (at least minwidth), computed over each run of consecutive lines
// that have that column, so a line without it (a blank line) starts new widths. The text after a
// line's last tab is not part of a column and is printed as is, trailing spaces included.

export interface TabwriterOptions {
  /** Smallest column width, padding included. */
  readonly minwidth: number;
  /** Spaces added to the widest cell of a column. */
  readonly padding: number;
}

/** Lays out `text` (lines ending in "\n", cells separated by tabs) as Go's tabwriter with padchar ' '. */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const rows = text.split('\n');
  // A trailing newline leaves an empty last piece, which is not a line.
  if (rows[rows.length - 1] === '') rows.pop();
  const lines = rows.map((r) => r.split('\t'));
  const out: string[] = [];
  layout(lines, [], 0, lines.length, opts, out);
  return out.join('');
}

/** Go's Writer.format: find each block of lines that has cell `widths.length`, size it, recurse to the right. */
function layout(lines: readonly string[][], widths: readonly number[], from: number, to: number, opts: TabwriterOptions, out: string[]): void {
  const column = widths.length;
  let pending = from;
  let i = from;
  while (i < to) {
    if (!hasColumn(lines[i]!, column)) {
      i++;
      continue;
    }
    emit(lines, widths, pending, i, out);
    const blockStart = i;
    let width = opts.minwidth;
    for (; i < to && hasColumn(lines[i]!, column); i++) width = Math.max(width, cellWidth(lines[i]![column]!) + opts.padding);
    layout(lines, [...widths, width], blockStart, i, opts, out);
    pending = i;
  }
  emit(lines, widths, pending, to, out);
}

/** A cell is in a column only when a tab ends it: the last cell of a line never is. */
function hasColumn(cells: readonly string[], column: number): boolean {
  return column < cells.length - 1;
}

function emit(lines: readonly string[][], widths: readonly number[], from: number, to: number, out: string[]): void {
  for (let i = from; i < to; i++) {
    const cells = lines[i]!;
    out.push(cells.map((c, j) => (j < widths.length ? c + ' '.repeat(Math.max(0, widths[j]! - cellWidth(c))) : c)).join(''), '\n');
  }
}

/** Go counts runes, not bytes or UTF-16 units. */
function cellWidth(cell: string): number {
  return [...cell].length;
}
