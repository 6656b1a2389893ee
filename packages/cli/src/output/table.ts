export type Column<Row> = {
  header: string;
  value: (row: Row) => string | number | undefined;
  /** Numbers align right by default, text left. */
  align?: 'left' | 'right';
};

/**
 * A plain-text table with a header rule, sized to its content. Numbers are printed as given by
 * `value` (format them there); `undefined` prints as an empty cell.
 */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => displayWidth(row[index]!))),
  );
  const alignments = columns.map(
    (column) =>
      column.align ?? (rows.length > 0 && typeof column.value(rows[0]!) === 'number' ? 'right' : 'left'),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => pad(value, widths[index]!, alignments[index]!))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line),
  ].join('\n');
}

function cellText(value: string | number | undefined): string {
  if (value === undefined) return '';
  return String(value);
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const padding = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? padding + text : text + padding;
}

/** Length in terminal columns, ignoring ANSI colour codes. */
function displayWidth(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}
