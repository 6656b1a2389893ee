/**
 * Lossless passes: they remove only what cannot change what a model reads — spaces at the end
 * of a line, runs of blank lines, whitespace between JSON tokens. Indentation, runs of spaces
 * inside a line, code, tables, headings, zero-width joiners, comments and every other character
 * keep their bytes.
 */
import { type SplitText, splitTextUnits, type TextUnit } from './text-units';

/** The lossless passes on a text (repeated passages are left to selection). */
export function normalizeText(text: string): string {
  const split = normalizeUnits(splitTextUnits(text));
  return split.units.map((unit) => unit.separatorBefore + unit.text).join('') + split.trailing;
}

/**
 * Normalizes each unit: JSON is minified outside its strings; every other unit keeps its text.
 * Separators lose the spaces that end a line and blank lines beyond one; the indentation that
 * starts the next line stays.
 */
export function normalizeUnits(split: SplitText): SplitText {
  const units = split.units.map((unit, index) => ({
    ...unit,
    text: unit.kind === 'json' || unit.kind === 'json-entry' ? minifyJson(unit.text) : unit.text,
    separatorBefore: index === 0 ? unit.separatorBefore : normalizeSeparator(unit.separatorBefore),
  }));
  // Spaces that end the text end its last line.
  return { units, trailing: normalizeSeparator(split.trailing).replace(/[ \t]+$/, '') };
}

function normalizeSeparator(separator: string): string {
  if (!separator.includes('\n')) return separator;
  const lastNewline = separator.lastIndexOf('\n');
  const indentation = separator.slice(lastNewline + 1);
  const newlines = Math.min(2, separator.split('\n').length - 1);
  // The carriage return of a CRLF line end is kept, so the text keeps one line-end style.
  const lineEnd = separator.includes('\r\n') ? '\r\n' : '\n';
  return lineEnd.repeat(newlines) + indentation;
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
      // Normalizing only shortens a text: a short one cannot reach minChars.
      if (units.reduce((sum, unit) => sum + unit.text.length + 1, 0) < minChars) continue;
      const key = comparable(units.map((unit) => unit.text).join(' '));
      if (key.length < minChars) continue;
      if (seenPassages.has(key)) for (const index of indexes) repeated[piece]![index] = true;
      else seenPassages.add(key);
    }
  });
  const seenSentences = new Set<string>();
  splits.forEach((split, piece) => {
    split.units.forEach((unit, index) => {
      if (unit.kind !== 'sentence' || repeated[piece]![index] || unit.text.length < minChars) return;
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
