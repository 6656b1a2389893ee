import { sha256Hex } from '../util/hash';
import type { Message, TokenomicsRequest } from './request';

/** What the semantic cache embeds and compares for one request. */
export type SemanticText = {
  /** The question: the part of the last user turn that may be worded differently and still hit. */
  query: string;
  /**
   * A digest ('' when there is none) of everything else the user sent that the answer depends on:
   * the earlier user turns and, in the last turn, the documents, records or code around the
   * question. It is compared whole, never by meaning or by a tail: two requests share an answer only
   * when it is identical. (The system prompt, assistant turns, tools and settings are in the
   * partition key.)
   */
  context: string;
};

export type SemanticIneligibility =
  | 'last-turn-not-user'
  | 'no-user-text'
  | 'has-media'
  | 'has-tool-turns'
  | 'has-code'
  | 'no-question-part'
  | 'too-long';

/** Longest last user turn (characters) that is compared whole, as one question. */
export const MAX_SEMANTIC_QUERY_CHARS = 1_000;
/** Longest question part of a longer turn (the question under a document, after "Question:"). */
export const MAX_QUESTION_PART_CHARS = 500;

/**
 * The semantic text of a request, or why it cannot take part in semantic lookup. Requests with
 * images or files, tool turns, code in the question, or a long turn whose question part cannot be
 * told apart from its documents are served by exact key only.
 */
export function semanticText(
  request: TokenomicsRequest,
): { ok: true; text: SemanticText } | { ok: false; reason: SemanticIneligibility } {
  const turns = request.messages.filter((message) => message.role !== 'system');
  const last = turns.at(-1);
  if (last?.role !== 'user') return { ok: false, reason: 'last-turn-not-user' };
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'media') return { ok: false, reason: 'has-media' };
      if (part.type === 'tool-call' || part.type === 'tool-result')
        return { ok: false, reason: 'has-tool-turns' };
    }
  }
  const split = questionPart(messageText(last).trim());
  if (!split.ok) return split;
  const earlier = turns
    .slice(0, -1)
    .filter((message) => message.role === 'user')
    .map((message) => messageText(message));
  return { ok: true, text: { query: split.question, context: contextDigest([...earlier, split.attached]) } };
}

/**
 * The question of a last user turn and what is attached to it. A short single-paragraph turn is all
 * question. In a longer turn the question is the part after an explicit marker ("Question:"), or
 * else the last paragraph when it is short and reads as a question or instruction; everything before
 * it must then be identical for a hit. Anything else (a question above its documents, one long
 * paragraph) is not split: guessing wrong would let two different documents share an answer.
 */
export function questionPart(
  text: string,
): { ok: true; question: string; attached: string } | { ok: false; reason: SemanticIneligibility } {
  if (text.length === 0) return { ok: false, reason: 'no-user-text' };
  const paragraphs = text.split(/\n\s*\n/);
  let question = text;
  let attached = '';
  if (paragraphs.length > 1 || text.length > MAX_SEMANTIC_QUERY_CHARS) {
    const marked = afterMarker(text);
    const candidate = marked ?? paragraphs.at(-1)!.trim();
    if (candidate.length > MAX_QUESTION_PART_CHARS) return { ok: false, reason: 'too-long' };
    if (marked === undefined && !readsAsQuestion(candidate)) return { ok: false, reason: 'no-question-part' };
    question = candidate;
    attached = text.slice(0, text.lastIndexOf(candidate)).trimEnd();
  }
  if (looksLikeCode(question)) return { ok: false, reason: 'has-code' };
  return { ok: true, question, attached };
}

export function messageText(message: Message): string {
  return message.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

function contextDigest(parts: readonly string[]): string {
  const nonEmpty = parts.filter((part) => part.length > 0);
  return nonEmpty.length === 0 ? '' : `sha256:${sha256Hex(JSON.stringify(nonEmpty))}`;
}

/** The text after the last line that starts with "Question:", "Query:" or "Q:". */
function afterMarker(text: string): string | undefined {
  const matches = [...text.matchAll(/^[ \t]*(?:question|query|q)[ \t]*[:：][ \t]*/gim)];
  const last = matches.at(-1);
  if (!last) return undefined;
  const question = text.slice((last.index ?? 0) + last[0].length).trim();
  return question.length > 0 ? question : undefined;
}

const QUESTION_OPENERS =
  /^(?:what|why|how|when|where|who|whom|whose|which|is|are|was|were|do|does|did|can|could|should|would|will|may|list|name|give|explain|describe|summari[sz]e|tell|find|write|translate|compare|define|show|answer|using|based|according)\b/i;

function readsAsQuestion(text: string): boolean {
  return /\?\s*$/.test(text) || QUESTION_OPENERS.test(text);
}

/**
 * Code in a question makes every symbol count ("+=" vs "-="), which similarity cannot see: such
 * requests are cached by exact key only.
 */
function looksLikeCode(text: string): boolean {
  if (/```|~~~/.test(text)) return true;
  const lines = text.split('\n');
  const codeLines = lines.filter(
    (line) =>
      /^(?: {4}|\t)\S/.test(line) ||
      /[;{}]\s*$/.test(line) ||
      /(?:[+\-*/%&|^]=|===?|!==?|=>|->|::|&&|\|\||<<|>>)/.test(line) ||
      /\b(?:def|function|class)\s+\w+\s*[({:]|\b(?:const|let|var)\s+\w+\s*=|\breturn\s+[^.?!]*;|\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^?]*\b(?:FROM|SET|VALUES|WHERE)\b/.test(
        line,
      ),
  );
  return codeLines.length > 0;
}
