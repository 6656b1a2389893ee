import type { ClassifiedToken } from './llmlingua2';

export type PieceTokenizer = { tokenize(text: string): string[] };

/**
 * Tokenizes text for the classifier, keeping force tokens that the tokenizer would split or
 * erase ("\n", "The answer is") as single forced tokens, the way LLMLingua-2 maps them to added
 * placeholder tokens. Force tokens that are one piece already (".", "?") stay ordinary pieces.
 */
export function tokenizeWithForceTokens(
  text: string,
  tokenizer: PieceTokenizer,
  forceTokens: readonly string[],
): Array<Omit<ClassifiedToken, 'probability'>> {
  const placeholders = forceTokens
    .filter((token) => token.length > 0 && tokenizer.tokenize(token).length !== 1)
    .sort((left, right) => right.length - left.length);
  const out: Array<Omit<ClassifiedToken, 'probability'>> = [];
  if (placeholders.length === 0) {
    for (const piece of tokenizer.tokenize(text)) out.push({ piece });
    return out;
  }
  const pattern = new RegExp(placeholders.map(escapeRegExp).join('|'), 'g');
  let cursor = 0;
  for (const match of text.matchAll(pattern)) {
    for (const piece of tokenizer.tokenize(text.slice(cursor, match.index))) out.push({ piece });
    out.push({ piece: match[0], forced: true });
    cursor = match.index + match[0].length;
  }
  for (const piece of tokenizer.tokenize(text.slice(cursor))) out.push({ piece });
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
