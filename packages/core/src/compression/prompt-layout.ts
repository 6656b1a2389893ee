/**
 * The layout of a prompt, read from its lines: few-shot demonstrations, retrieved documents,
 * labelled context sections, and the question. Selection keeps a demonstration whole and ranks
 * documents as units; a request compresses retrieved context in place and never the question.
 */
export type TextSpan = { start: number; end: number };

export type PromptLayout = {
  /** Start offsets of few-shot demonstrations (each runs to the next start). */
  demonstrations: number[];
  /** Start offsets of numbered or tagged documents (each runs to the next start or blank line). */
  documents: number[];
};

const DEMONSTRATION_LABEL =
  /^(Q|Question|Problem|Input|Example(?: \d+)?|Human|User|Text|Sentence|Premise)\s*[:.]/i;
const ANSWER_LINE =
  /^(?:(?:A|Answer|Output|Solution|Assistant|Target|Label|Rationale)\s*[:.]|#### )|\bthe (?:final )?answer is\b/im;
const CONCLUSIVE =
  /^#### |\bthe (?:final )?answer is\b|^(?:A|Answer|Output|Target|Label)\s*[:.][ \t]*\S[^\n]{0,12}$/im;
const DOCUMENT_MARKER =
  /^\s*(?:(?:Document|Doc|Passage|Source|Article|Result|Snippet|Chunk)\s*(?:\[\s*\d+\s*\]|#?\d+)|\[\d+\]|<(?:document|doc|passage|source)\b)/i;
const QUESTION_MARKER = /^\s*(?:Question|Query|Q|User question|Task|Instruction)\s*[:：]/i;
const CONTEXT_LABEL =
  /^\s*(?:#+\s*)?(?:Context|Contexts|Documents|Sources|Search results|Retrieved (?:documents|passages|context)|Passages|Reference material|Background)\s*:?\s*$/i;
const CONTEXT_TAG =
  /<(context|documents|search_results|sources|retrieved_documents)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi;
const INSTRUCTION =
  /^(?:Please\s+)?(?:Answer|Summari[sz]e|Explain|List|Write|Give|Tell|Describe|Translate|Find|Compare|Classify|Extract|Identify|Return|Choose|Select|Determine|Calculate|Compute|Name|Based on|Using|According to)\b/;

/** Few-shot demonstrations and numbered documents, by where their first line starts. */
export function findLayout(text: string): PromptLayout {
  const lines = lineStarts(text);
  return { demonstrations: demonstrationStarts(text, lines), documents: documentStarts(text, lines) };
}

/**
 * Lines that start with the same question label (`Q:`, `Question:`, …), each followed by an
 * answer (`A:`, `Answer:`, `#### 42`, "the answer is") before the next one: the examples.
 */
function demonstrationStarts(text: string, lines: number[]): number[] {
  const byLabel = new Map<string, number[]>();
  for (const start of lines) {
    const label = DEMONSTRATION_LABEL.exec(text.slice(start, start + 40))?.[1]?.toLowerCase();
    if (!label) continue;
    const list = byLabel.get(label) ?? [];
    list.push(start);
    byLabel.set(label, list);
  }
  let best: number[] = [];
  for (const starts of byLabel.values()) {
    const answered = starts.filter((start, index) => {
      const end = starts[index + 1] ?? text.length;
      const body = text.slice(start, end);
      // The answer must follow the question's first line.
      const firstLineEnd = body.indexOf('\n');
      return firstLineEnd !== -1 && ANSWER_LINE.test(body.slice(firstLineEnd + 1));
    });
    // The last block at the end of the prompt is the question being asked unless it is answered
    // for sure ("A: Let's think step by step." is the cue for the model's answer, not one).
    const last = answered[answered.length - 1];
    if (last !== undefined && last === starts[starts.length - 1] && !CONCLUSIVE.test(text.slice(last))) {
      answered.pop();
    }
    if (answered.length >= 2 && answered.length > best.length) best = answered;
  }
  return best;
}

function documentStarts(text: string, lines: number[]): number[] {
  const starts = lines.filter((start) => DOCUMENT_MARKER.test(text.slice(start, start + 40)));
  return starts.length >= 2 ? starts : [];
}

/**
 * Where retrieved context sits in a message: the numbered documents, a `<context>`-style tag's
 * contents, a section under a `Context:`-style label (up to the question or the last
 * paragraph), and the run of few-shot demonstrations. Empty when the message has none: then it
 * is the user's own text, which a default compression must not rewrite.
 */
export function findContextSpans(text: string, layout: PromptLayout = findLayout(text)): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const starts of [layout.documents, layout.demonstrations]) {
    if (starts.length === 0) continue;
    spans.push({ start: starts[0]!, end: paragraphEnd(text, starts[starts.length - 1]!) });
  }
  for (const match of text.matchAll(CONTEXT_TAG)) {
    const start = match.index + match[0].indexOf('>') + 1;
    spans.push({ start, end: start + match[2]!.length });
  }
  const lines = lineStarts(text);
  lines.forEach((start, index) => {
    if (!CONTEXT_LABEL.test(text.slice(start, lineEnd(text, start)))) return;
    const from = lines[index + 1];
    if (from === undefined) return;
    const questionLine = lines.slice(index + 1).find((line) => QUESTION_MARKER.test(lineText(text, line)));
    const lastBreak = lastParagraphBreak(text);
    const end = questionLine ?? (lastBreak > from ? lastBreak : text.length);
    if (end > from) spans.push({ start: from, end });
  });
  return mergeSpans(spans);
}

/**
 * The question of a single-message prompt, wherever it stands: the last line with an explicit
 * marker (`Question:`, `Q:`) and the rest of its paragraph; else the last interrogative
 * sentence's line; else the last instruction ("Answer …", "Summarize …"). Context spans are
 * skipped, so a question inside a retrieved document is not taken for the user's.
 */
export function findQuestion(text: string, context: TextSpan[] = []): TextSpan | undefined {
  const lines = lineStarts(text).filter((start) => !context.some((span) => inside(span, start)));
  const marked = lines.findLast((start) => QUESTION_MARKER.test(lineText(text, start)));
  if (marked !== undefined) return { start: marked, end: trimmedEnd(text, paragraphEnd(text, marked)) };
  const interrogative = lines.findLast((start) => /\?["'”’)]*\s*$|\?\s/.test(lineText(text, start)));
  if (interrogative !== undefined) return { start: interrogative, end: lineEnd(text, interrogative) };
  const instruction = lines.findLast((start) => INSTRUCTION.test(lineText(text, start).trim()));
  if (instruction !== undefined) return { start: instruction, end: lineEnd(text, instruction) };
  return undefined;
}

function inside(span: TextSpan, offset: number): boolean {
  return offset >= span.start && offset < span.end;
}

function mergeSpans(spans: TextSpan[]): TextSpan[] {
  const sorted = [...spans].sort((left, right) => left.start - right.start);
  const out: TextSpan[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (index + 1 < text.length) starts.push(index + 1);
  }
  return starts;
}

function lineEnd(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  return newline === -1 ? text.length : newline;
}

function lineText(text: string, start: number): string {
  return text.slice(start, lineEnd(text, start));
}

/** The end of the paragraph a line belongs to: the next blank line, or the end of the text. */
function paragraphEnd(text: string, start: number): number {
  const blank = /\n[ \t]*\r?\n/g;
  blank.lastIndex = start;
  const match = blank.exec(text);
  return match ? match.index : text.length;
}

function lastParagraphBreak(text: string): number {
  let last = -1;
  const blank = /\n[ \t]*\r?\n/g;
  for (let match = blank.exec(text); match !== null; match = blank.exec(text)) last = match.index;
  return last;
}

function trimmedEnd(text: string, end: number): number {
  let index = end;
  while (index > 0 && /\s/.test(text[index - 1]!)) index -= 1;
  return index;
}
