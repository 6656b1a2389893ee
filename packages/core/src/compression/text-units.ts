/**
 * Splits a text into the units the compressor keeps or drops: sentences of prose, and whole
 * structured blocks (fenced or unfenced code, YAML and other indented blocks, JSON, tables,
 * Markdown headings) that are never cut into. Joining every unit's `separatorBefore + text`,
 * then `trailing`, gives the input back exactly.
 */
import { structuredRun } from './structured-lines';

export type UnitKind =
  | 'sentence'
  | 'code'
  | 'json'
  | 'table'
  | 'heading'
  | 'json-open'
  | 'json-entry'
  | 'json-close';

export type SplitOptions = {
  /**
   * Splits a JSON object or array into its top-level entries (units of their own, joined back
   * with commas), so selection can keep the relevant entries and the JSON stays valid.
   */
  jsonEntries?: boolean;
};

export type TextUnit = {
  kind: UnitKind;
  text: string;
  /** The whitespace between the previous unit (or the start) and this one. */
  separatorBefore: string;
  /** Index of the line-delimited passage the unit belongs to (blocks are passages of their own). */
  passage: number;
  /** Offset of the unit's text in the text that was split. */
  start: number;
};

export type SplitText = { units: TextUnit[]; trailing: string };

type Span = { start: number; end: number; kind: UnitKind };

export function splitTextUnits(text: string, options: SplitOptions = {}): SplitText {
  const blocks = findBlocks(text);
  const spans: Span[] = [];
  let cursor = 0;
  for (const block of blocks) {
    spans.push(...sentenceSpans(text, cursor, block.start));
    spans.push(...(block.kind === 'json' && options.jsonEntries ? jsonEntrySpans(text, block) : [block]));
    cursor = block.end;
  }
  spans.push(...sentenceSpans(text, cursor, text.length));

  const units: TextUnit[] = [];
  let previousEnd = 0;
  let passage = 0;
  for (const span of spans) {
    const separatorBefore = text.slice(previousEnd, span.start);
    const isBlock = span.kind !== 'sentence';
    const previousWasBlock = units.length > 0 && units[units.length - 1]!.kind !== 'sentence';
    // The parts of one JSON value form one passage.
    const continuesJson = span.kind === 'json-entry' || span.kind === 'json-close';
    if (
      units.length > 0 &&
      !continuesJson &&
      (separatorBefore.includes('\n') || isBlock || previousWasBlock)
    ) {
      passage += 1;
    }
    units.push({
      kind: span.kind,
      text: text.slice(span.start, span.end),
      separatorBefore,
      passage,
      start: span.start,
    });
    previousEnd = span.end;
  }
  return { units, trailing: text.slice(previousEnd) };
}

/** Fenced code, JSON values that start a line, Markdown tables, unfenced code and headings. */
function findBlocks(text: string): Span[] {
  const blocks: Span[] = [];
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    lineStarts.push(index + 1);
  }
  const lineAt = (index: number) => text.slice(lineStarts[index]!, lineEndAt(text, lineStarts[index]!));
  let line = 0;
  let noBlockThrough = -1;
  while (line < lineStarts.length) {
    const start = lineStarts[line]!;
    const lineEnd = lineEndAt(text, start);
    const content = text.slice(start, lineEnd);
    const indent = content.length - content.trimStart().length;
    const trimmed = content.trim();

    const fence = /^(`{3,}|~{3,})/.exec(trimmed);
    if (fence) {
      const marker = fence[1]!;
      let closing = line + 1;
      while (closing < lineStarts.length) {
        const closingStart = lineStarts[closing]!;
        if (text.slice(closingStart, lineEndAt(text, closingStart)).trim().startsWith(marker)) break;
        closing += 1;
      }
      const endLine = Math.min(closing, lineStarts.length - 1);
      blocks.push({ start: start + indent, end: lineEndAt(text, lineStarts[endLine]!), kind: 'code' });
      line = endLine + 1;
      continue;
    }

    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      const end = jsonEnd(text, start + indent);
      if (end !== undefined && /^[ \t]*(?:\r?\n|$)/.test(text.slice(end))) {
        blocks.push({ start: start + indent, end, kind: 'json' });
        line = lineIndexAt(lineStarts, end) + 1;
        continue;
      }
    }

    if (trimmed.startsWith('|')) {
      let last = line;
      while (last + 1 < lineStarts.length) {
        const nextStart = lineStarts[last + 1]!;
        if (!text.slice(nextStart, lineEndAt(text, nextStart)).trim().startsWith('|')) break;
        last += 1;
      }
      if (last > line) {
        blocks.push({
          start: start + indent,
          end: trimEnd(text, lineEndAt(text, lineStarts[last]!)),
          kind: 'table',
        });
        line = last + 1;
        continue;
      }
    }

    // Code without a fence, YAML, indented blocks: every byte (indentation included) stays.
    if (line > noBlockThrough) {
      const run = structuredRun(lineAt, line, lineStarts.length);
      if (run.isBlock) {
        blocks.push({ start, end: trimEnd(text, lineEndAt(text, lineStarts[run.last]!)), kind: 'code' });
        line = run.last + 1;
        continue;
      }
      noBlockThrough = run.last;
    }

    if (/^#{1,6}[ \t]+\S/.test(content)) {
      blocks.push({ start, end: trimEnd(text, lineEnd), kind: 'heading' });
    }
    line += 1;
  }
  return blocks;
}

/** Opening bracket, top-level entries (without their commas) and closing bracket of a JSON block. */
function jsonEntrySpans(text: string, block: Span): Span[] {
  const entries: Span[] = [];
  let depth = 0;
  let inString = false;
  let entryStart = block.start + 1;
  const pushEntry = (end: number) => {
    let start = entryStart;
    let stop = end;
    while (start < stop && /\s/.test(text[start]!)) start += 1;
    while (stop > start && /\s/.test(text[stop - 1]!)) stop -= 1;
    if (stop > start) entries.push({ start, end: stop, kind: 'json-entry' });
  };
  for (let index = block.start; index < block.end; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{' || character === '[') depth += 1;
    else if (character === '}' || character === ']') {
      depth -= 1;
      if (depth === 0) pushEntry(index);
    } else if (character === ',' && depth === 1) {
      pushEntry(index);
      entryStart = index + 1;
    }
  }
  if (entries.length < 2) return [block];
  return [
    { start: block.start, end: block.start + 1, kind: 'json-open' },
    ...entries,
    { start: block.end - 1, end: block.end, kind: 'json-close' },
  ];
}

function lineEndAt(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  const end = newline === -1 ? text.length : newline;
  return end > start && text[end - 1] === '\r' ? end - 1 : end;
}

function trimEnd(text: string, end: number): number {
  let index = end;
  while (index > 0 && /\s/.test(text[index - 1]!)) index -= 1;
  return index;
}

function lineIndexAt(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** End offset of the JSON value starting at `start`, when it is one that parses. */
export function jsonEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{' || character === '[') depth += 1;
    else if (character === '}' || character === ']') {
      depth -= 1;
      if (depth === 0) {
        const end = index + 1;
        try {
          JSON.parse(text.slice(start, end));
          return end;
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'no',
  'fig',
  'inc',
  'ltd',
  'co',
  'corp',
  'mt',
  'ft',
  'approx',
  'u.s',
  'u.k',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'al',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'rev',
  'vol',
  'ca',
]);

/** Sentence spans inside [from, to): split at line breaks and at sentence-ending punctuation. */
function sentenceSpans(text: string, from: number, to: number): Span[] {
  const spans: Span[] = [];
  const boundary = /[.!?。！？]+["'”’)\]]*(?=\s)|\n/g;
  boundary.lastIndex = from;
  let start = from;
  const push = (end: number) => {
    let spanStart = start;
    let spanEnd = end;
    while (spanStart < spanEnd && /\s/.test(text[spanStart]!)) spanStart += 1;
    while (spanEnd > spanStart && /\s/.test(text[spanEnd - 1]!)) spanEnd -= 1;
    if (spanEnd > spanStart) spans.push({ start: spanStart, end: spanEnd, kind: 'sentence' });
  };
  for (let match = boundary.exec(text); match !== null && match.index < to; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (match[0] !== '\n' && !endsSentence(text, start, match.index, end)) continue;
    push(match[0] === '\n' ? match.index : end);
    start = end;
  }
  push(to);
  return spans;
}

function endsSentence(text: string, sentenceStart: number, punctuationAt: number, end: number): boolean {
  if (text[punctuationAt] !== '.') return true;
  const before = text.slice(Math.max(sentenceStart, punctuationAt - 12), punctuationAt);
  const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
  if (ABBREVIATIONS.has(word)) return false;
  // "J. R. R. Tolkien", "U.S.": a single letter before the dot is an initial.
  if (/^\p{L}$/u.test(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word)) return false;
  const next = /\S/.exec(text.slice(end, end + 4))?.[0] ?? '';
  return next === '' || !/\p{Ll}/u.test(next);
}
