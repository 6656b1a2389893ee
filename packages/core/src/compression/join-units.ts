import type { TextUnit } from './text-units';

/**
 * Joins the kept units. Where units were dropped, the gap gets the strongest break it spanned
 * (blank line, line break, or space), so passages stay on their own lines.
 */
export function joinUnits(units: TextUnit[], kept: boolean[], trailing: string): string {
  let out = '';
  let gap: string[] = [];
  let emitted = false;
  let lastKind: TextUnit['kind'] | undefined;
  units.forEach((unit, index) => {
    if (!kept[index]) {
      gap.push(unit.separatorBefore);
      return;
    }
    let separator = unit.separatorBefore;
    if (gap.length > 0) {
      const spanned = [...gap, unit.separatorBefore].join('');
      separator = spanned.includes('\n\n')
        ? '\n\n'
        : spanned.includes('\n')
          ? '\n'
          : spanned.length > 0
            ? ' '
            : '';
      if (!emitted) separator = '';
      // The kept line's own indentation stays (code, YAML, nested lists).
      else if (unit.separatorBefore.includes('\n')) {
        separator += unit.separatorBefore.slice(unit.separatorBefore.lastIndexOf('\n') + 1);
      }
    }
    // Entries of a JSON value were split without their commas.
    const comma = unit.kind === 'json-entry' && lastKind === 'json-entry' ? ',' : '';
    out += comma + separator + unit.text;
    lastKind = unit.kind;
    emitted = true;
    gap = [];
  });
  return emitted ? out + trailing : '';
}
