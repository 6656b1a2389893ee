/**
 * Lays out a generated Markdown page the way the committed pages are formatted: a blank line after
 * each heading, and table columns padded to a common width. Fenced code blocks are left as they are
 * (a shell comment is not a heading). A training script that writes its model card through this
 * reproduces the committed card exactly when its numbers have not changed.
 */
export function formatMarkdown(text: string): string {
  const lines = text.split('\n');
  const output: string[] = [];
  let table: string[] = [];
  let fence: string | undefined;
  const flushTable = () => {
    if (table.length > 0) output.push(...alignTable(table));
    table = [];
  };
  lines.forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined || marker !== undefined) {
      flushTable();
      output.push(line);
      // A fence closes on a line of at least as many of the same character.
      if (fence === undefined) fence = marker;
      else if (marker?.[0] === fence[0] && (marker?.length ?? 0) >= fence.length && line.trim() === marker)
        fence = undefined;
      return;
    }
    if (line.startsWith('|')) {
      table.push(line);
      return;
    }
    flushTable();
    output.push(line);
    const next = lines[index + 1];
    if (/^#{1,6} /.test(line) && next !== undefined && next.trim() !== '') output.push('');
  });
  flushTable();
  return output.join('\n');
}

function alignTable(rows: string[]): string[] {
  const cells = rows.map((row) =>
    row
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim()),
  );
  const isRule = (row: string[]) => row.every((cell) => /^:?-+:?$/.test(cell));
  const columns = Math.max(...cells.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(3, ...cells.filter((row) => !isRule(row)).map((row) => (row[column] ?? '').length)),
  );
  return cells.map((row) =>
    isRule(row)
      ? `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`
      : `| ${widths.map((width, column) => (row[column] ?? '').padEnd(width)).join(' | ')} |`,
  );
}
