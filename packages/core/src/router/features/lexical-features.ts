import type { TokenomicsRequest } from '../../request/request';
import { messageText } from '../../request/semantic-text';
import type { RouteFeatures } from '../types';

/** Names of `RouteFeatures.lexical`, in order. Lengths are log-scaled so every value stays near 0..1. */
export const LEXICAL_FEATURE_NAMES = [
  'log-characters',
  'log-tokens',
  'log-words',
  'log-lines',
  'digit-share',
  'math-share',
  'code',
  'question-words',
  'reasoning-words',
  'log-turns',
  'has-tools',
  'json-output',
  'uppercase-share',
  'has-media',
] as const;

export const LEXICAL_FEATURE_COUNT = LEXICAL_FEATURE_NAMES.length;

export type FeatureExtractionOptions = {
  embedding?: Float32Array;
  /** Counts prompt tokens; default about 4 characters a token. */
  countTokens?: (text: string) => number;
};

const QUESTION_WORDS = /\b(?:what|why|how|which|who|whom|whose|when|where|whether)\b/gi;
const REASONING_WORDS =
  /\b(?:prove|derive|calculate|compute|solve|explain|analy[sz]e|compare|evaluate|step|reason|implement|debug|optimi[sz]e)\w*/gi;
const CODE_MARKERS =
  /```|\b(?:function|def|class|return|import|const|let|var|public|void|#include)\b|=>|[{};]\s*$/m;

/**
 * Lexical features of a request: one pass over the prompt's characters and two regex scans, no
 * tokenizer, so a decision stays well under a millisecond. The embedding is attached when given.
 */
export function extractRouteFeatures(
  request: TokenomicsRequest,
  options: FeatureExtractionOptions = {},
): RouteFeatures {
  const text = promptText(request);
  const lexical = new Float64Array(LEXICAL_FEATURE_COUNT);
  const length = text.length;
  let digits = 0;
  let math = 0;
  let uppercase = 0;
  let letters = 0;
  let lines = length > 0 ? 1 : 0;
  let words = 0;
  let inWord = false;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const isSpace = code === 32 || code === 9 || code === 10 || code === 13;
    if (code === 10) lines++;
    if (isSpace) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
    if (code >= 48 && code <= 57) digits++;
    else if (code >= 65 && code <= 90) {
      uppercase++;
      letters++;
    } else if (code >= 97 && code <= 122) letters++;
    else if (isMathSymbol(code)) math++;
  }
  const tokenCount = options.countTokens ? options.countTokens(text) : Math.ceil(length / 4);
  lexical[0] = Math.log1p(length) / 10;
  lexical[1] = Math.log1p(tokenCount) / 10;
  lexical[2] = Math.log1p(words) / 10;
  lexical[3] = Math.log1p(lines) / 5;
  lexical[4] = length > 0 ? digits / length : 0;
  lexical[5] = length > 0 ? Math.min(1, (math * 5) / length) : 0;
  lexical[6] = CODE_MARKERS.test(text) ? 1 : 0;
  lexical[7] = Math.min(1, countMatches(QUESTION_WORDS, text) / 4);
  lexical[8] = Math.min(1, countMatches(REASONING_WORDS, text) / 4);
  lexical[9] = Math.log1p(request.messages.length) / 3;
  lexical[10] = request.tools && request.tools.length > 0 ? 1 : 0;
  lexical[11] = request.settings?.responseFormat?.type === 'json' ? 1 : 0;
  lexical[12] = letters > 0 ? uppercase / letters : 0;
  lexical[13] = hasMedia(request) ? 1 : 0;
  const features: RouteFeatures = { text, lexical, tokenCount };
  if (options.embedding) features.embedding = options.embedding;
  return features;
}

/** The lexical features by name, for explanations. */
export function namedLexicalFeatures(lexical: Float64Array): Record<string, number> {
  const named: Record<string, number> = {};
  for (let index = 0; index < LEXICAL_FEATURE_COUNT; index++) {
    named[LEXICAL_FEATURE_NAMES[index] as string] = Math.round((lexical[index] ?? 0) * 1e4) / 1e4;
  }
  return named;
}

/**
 * The user's words: earlier user turns, then the last one (which matters most and comes last, as
 * priors trained on single prompts expect). System prompts are left out: they rarely say how hard
 * this request is and would dominate the lengths.
 */
export function promptText(request: TokenomicsRequest): string {
  let text = '';
  for (const message of request.messages) {
    if (message.role !== 'user') continue;
    for (const part of message.content) {
      if (part.type !== 'text') continue;
      text = text.length === 0 ? part.text : `${text}\n${part.text}`;
    }
  }
  return text;
}

/**
 * The text the router embeds: the last user turn, as sent. Priors are trained on embeddings of
 * single prompts, which is what the last turn is (for a single-turn request this is the whole
 * prompt, byte for byte as in training: even a leading space moves the prior); all user turns
 * joined would read unlike them, and the default embedder keeps only a text's first 128 tokens,
 * so in a long conversation it would never see the turn being answered. For a short last turn
 * this is the cache's semantic question, so one embedding serves both stages (see
 * `shareStageEmbedder`).
 */
export function routeEmbeddingText(request: TokenomicsRequest): string {
  const last = request.messages.findLast((message) => message.role === 'user');
  return last ? messageText(last) : '';
}

function isMathSymbol(code: number): boolean {
  // + - * / = < > ^ % and the Unicode math operators block (∑ ∫ √ ≤ ...).
  return (
    code === 43 ||
    code === 45 ||
    code === 42 ||
    code === 47 ||
    code === 61 ||
    code === 60 ||
    code === 62 ||
    code === 94 ||
    code === 37 ||
    (code >= 0x2200 && code <= 0x22ff)
  );
}

function countMatches(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

function hasMedia(request: TokenomicsRequest): boolean {
  for (const message of request.messages) {
    for (const part of message.content) if (part.type === 'media') return true;
  }
  return false;
}
