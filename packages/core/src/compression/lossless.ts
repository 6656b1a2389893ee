/**
 * Lossless passes: they change how the text is written, never what it says. Code blocks are
 * left byte for byte; JSON keeps every string and number exactly as written.
 */
import { type SplitText, splitTextUnits, type TextUnit } from './text-units';

/**
 * All lossless passes on a text: whitespace and markup normalization of prose and tables,
 * JSON minification, fenced code untouched. Repeated passages are left to
 * `findRepeatedPassages`, which needs the unit split.
 */
export function normalizeText(text: string): string {
  const split = normalizeUnits(splitTextUnits(removeInvisibleMarkup(text)));
  return split.units.map((unit) => unit.separatorBefore + unit.text).join('') + split.trailing;
}

/**
 * Normalizes each unit: prose loses zero-width characters, runs of spaces and long runs of
 * decoration characters ("-----"); tables lose cell padding; JSON is minified; code is kept byte
 * for byte. Separators shrink to one space, one line break or one blank line.
 */
export function normalizeUnits(split: SplitText): SplitText {
  const units = split.units.map((unit, index) => ({
    ...unit,
    text: normalizeUnitText(unit),
    separatorBefore:
      index === 0 || unit.kind === 'json-entry' || unit.kind === 'json-close'
        ? ''
        : normalizeSeparator(unit.separatorBefore),
  }));
  return { units, trailing: '' };
}

/** HTML comments and zero-width characters outside fenced code. */
export function removeInvisibleMarkup(text: string): string {
  const pieces = text.split(/(^[ \t]*(?:`{3,}|~{3,})[^\n]*\n[\s\S]*?^[ \t]*(?:`{3,}|~{3,})[ \t]*$)/m);
  return pieces
    .map((piece, index) =>
      index % 2 === 1 ? piece : piece.replace(/<!--[\s\S]*?-->/g, '').replace(/[\u200b-\u200d\ufeff]/g, ''),
    )
    .join('');
}

function normalizeUnitText(unit: TextUnit): string {
  switch (unit.kind) {
    case 'code':
    case 'json-open':
    case 'json-close':
      return unit.text;
    case 'json':
    case 'json-entry':
      return minifyJson(unit.text);
    case 'table':
      return unit.text
        .split(/\r?\n/)
        .map((line) =>
          line
            .trim()
            .replace(/[ \t]+/g, ' ')
            .replace(/-{4,}/g, '---'),
        )
        .join('\n');
    case 'sentence':
      return unit.text
        .replace(/\u00a0/g, ' ')
        .replace(/([-=*_~#])\1{3,}/g, '$1$1$1')
        .replace(/[ \t]+/g, ' ');
  }
}

function normalizeSeparator(separator: string): string {
  const newlines = (separator.match(/\n/g) ?? []).length;
  return newlines >= 2 ? '\n\n' : newlines === 1 ? '\n' : separator.length > 0 ? ' ' : '';
}

/** JSON with the whitespace between tokens removed; strings and numbers stay as written. */
export function minifyJson(json: string): string {
  let out = '';
  let inString = false;
  for (let index = 0; index < json.length; index += 1) {
    const character = json[index]!;
    if (inString) {
      out += character;
      if (character === '\\') {
        out += json[index + 1] ?? '';
        index += 1;
      } else if (character === '"') inString = false;
    } else if (character === '"') {
      inString = true;
      out += character;
    } else if (!/\s/.test(character)) out += character;
  }
  return out;
}

/**
 * Marks units that repeat earlier content word for word (ignoring case and spacing), across all
 * the given texts: first whole passages (lines of prose), then single sentences. Short lines
 * ("Options:", "A: Let's think step by step.") are never marked: their repetition is the format
 * of the prompt, not redundancy.
 */
export function findRepeats(splits: SplitText[], minChars = 60): boolean[][] {
  const repeated = splits.map((split) => split.units.map(() => false));
  const seenPassages = new Set<string>();
  splits.forEach((split, piece) => {
    const byPassage = new Map<number, number[]>();
    split.units.forEach((unit, index) => {
      const list = byPassage.get(unit.passage);
      if (list) list.push(index);
      else byPassage.set(unit.passage, [index]);
    });
    for (const indexes of byPassage.values()) {
      const units: TextUnit[] = indexes.map((index) => split.units[index]!);
      if (units.some((unit) => unit.kind !== 'sentence')) continue;
      const key = comparable(units.map((unit) => unit.text).join(' '));
      if (key.length < minChars) continue;
      if (seenPassages.has(key)) for (const index of indexes) repeated[piece]![index] = true;
      else seenPassages.add(key);
    }
  });
  const seenSentences = new Set<string>();
  splits.forEach((split, piece) => {
    split.units.forEach((unit, index) => {
      if (unit.kind !== 'sentence' || repeated[piece]![index]) return;
      const key = comparable(unit.text);
      if (key.length < minChars) return;
      if (seenSentences.has(key)) repeated[piece]![index] = true;
      else seenSentences.add(key);
    });
  });
  return repeated;
}

function comparable(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
