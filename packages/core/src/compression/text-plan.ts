/**
 * Which parts of one text the compressor may change. A message is split into parts: retrieved
 * context (compressible), and the question and instructions around it (kept byte for byte).
 */
import { findContextSpans, findLayout, findQuestion, type TextSpan } from './prompt-layout';

export type TextPart = { text: string; compress: boolean };

export type TextPlan = {
  parts: TextPart[];
  /** The question found in the text, when one was. */
  question?: string;
};

/**
 * - 'all': the whole text is compressible (an older turn);
 * - 'context': only retrieved context (numbered documents, a `<context>` tag, a `Context:`
 *   section, few-shot demonstrations) is; the rest is the user's own words and stays;
 * - 'question': everything but the question is; without a question found, the last paragraph
 *   is taken for it.
 */
export type PlanMode = 'all' | 'context' | 'question';

export function planText(text: string, mode: PlanMode): TextPlan {
  if (mode === 'all') return { parts: [{ text, compress: true }] };
  const context = findContextSpans(text, findLayout(text));
  const found = findQuestion(text, context);
  const question = found ? text.slice(found.start, found.end) : undefined;
  if (mode === 'context') {
    const parts = partsFromSpans(text, context, true);
    return question ? { parts, question } : { parts };
  }
  const span = found ?? lastParagraph(text);
  if (!span) return { parts: [{ text, compress: false }] };
  return {
    parts: partsFromSpans(text, [span], false),
    question: text.slice(span.start, span.end),
  };
}

/** Splits the text at the spans: span parts get `inside`, the parts between get the opposite. */
function partsFromSpans(text: string, spans: TextSpan[], inside: boolean): TextPart[] {
  const parts: TextPart[] = [];
  let cursor = 0;
  for (const span of spans) {
    if (span.start > cursor) parts.push({ text: text.slice(cursor, span.start), compress: !inside });
    if (span.end > span.start) parts.push({ text: text.slice(span.start, span.end), compress: inside });
    cursor = span.end;
  }
  if (cursor < text.length) parts.push({ text: text.slice(cursor), compress: !inside });
  return parts.filter((part) => part.text.length > 0);
}

function lastParagraph(text: string): TextSpan | undefined {
  const trimmed = text.replace(/\s+$/, '');
  let last = -1;
  let breakLength = 0;
  const blank = /\n\s*\n/g;
  for (let match = blank.exec(trimmed); match !== null; match = blank.exec(trimmed)) {
    last = match.index;
    breakLength = match[0].length;
  }
  if (last === -1) return undefined;
  return { start: last + breakLength, end: text.length };
}
