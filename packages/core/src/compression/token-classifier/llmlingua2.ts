/**
 * The word-level algorithm of LLMLingua-2 (Pan et al., 2024, arXiv 2403.12968), written from
 * the paper and the published behaviour: a token classifier gives each sub-word token the
 * probability that it should be kept; tokens are merged into words, a word's probability is the
 * mean of its tokens', and the words above a percentile threshold are kept, in order. Force
 * tokens are always kept, digits optionally, and repeated force tokens with nothing kept between
 * them can be dropped.
 */

/** A classifier token: `piece` is SentencePiece style ('▁' starts a word). */
export type ClassifiedToken = {
  piece: string;
  probability: number;
  /** A force token given as one unit (a placeholder in the original): always its own word. */
  forced?: boolean;
};

export type Llmlingua2Options = {
  /** Share of the target model's tokens to keep, in (0, 1]. */
  rate: number;
  /** Strings always kept ("\n", ".", "?", "The answer is"). */
  forceTokens?: readonly string[];
  /** Keeps every word that has a digit in it. */
  forceReserveDigit?: boolean;
  /** Drops a force token repeating the previous one when no content word was kept between them. */
  dropConsecutive?: boolean;
  /** The target model's token counter: words are weighted by their length in its tokens. */
  countTokens: (text: string) => number;
  /** Extra words that must stay (this project passes identifiers and numbers). */
  keepWord?: (word: string) => boolean;
};

export type ClassifiedWord = {
  /** The word as it joins: a leading '▁' becomes a space. */
  text: string;
  probability: number;
  /** The probability before force tokens and digits were set to 1. */
  rawProbability: number;
};

/** The characters Python's `string.punctuation` holds; a token that is a run of them starts a word. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const WORD_START = '▁';

/** Groups tokens into words: a word starts at '▁', at a punctuation token, or at a force token. */
export function mergeTokensIntoWords(
  tokens: readonly ClassifiedToken[],
  options: Pick<Llmlingua2Options, 'forceTokens' | 'forceReserveDigit' | 'keepWord'>,
): ClassifiedWord[] {
  const forceTokens = new Set(options.forceTokens ?? []);
  const owners = wordOfEachToken(tokens, forceTokens);
  const words: Array<{ text: string; probabilities: number[]; raw: number[] }> = [];
  tokens.forEach((token, index) => {
    const pure = token.piece.startsWith(WORD_START) ? token.piece.slice(WORD_START.length) : token.piece;
    const reserveDigit = options.forceReserveDigit === true && /\d/.test(token.piece);
    if (owners[index] === words.length) {
      const isForced = token.forced === true || forceTokens.has(pure);
      const probability = isForced || reserveDigit ? 1 : token.probability;
      words.push({ text: token.piece, probabilities: [probability], raw: [token.probability] });
    } else {
      const word = words[words.length - 1]!;
      word.text += pure;
      word.probabilities.push(reserveDigit ? 1 : token.probability);
      word.raw.push(token.probability);
    }
  });
  return words.map((word) => ({
    text: word.text,
    probability: options.keepWord?.(word.text.replaceAll(WORD_START, '')) ? 1 : mean(word.probabilities),
    rawProbability: mean(word.raw),
  }));
}

/** Index of the word each token belongs to. */
export function wordOfEachToken(
  tokens: readonly Pick<ClassifiedToken, 'piece' | 'forced'>[],
  forceTokens: ReadonlySet<string>,
): number[] {
  let word = -1;
  return tokens.map((token) => {
    const pure = token.piece.startsWith(WORD_START) ? token.piece.slice(WORD_START.length) : token.piece;
    const startsWord =
      word === -1 ||
      token.piece.startsWith(WORD_START) ||
      token.forced === true ||
      forceTokens.has(pure) ||
      (token.piece.length > 0 && PUNCTUATION.includes(token.piece));
    if (startsWord) word += 1;
    return word;
  });
}

/** Which words to keep: above the rate's percentile of token-weighted probabilities. */
export function selectWords(words: readonly ClassifiedWord[], options: Llmlingua2Options): boolean[] {
  const reduceRate = 1 - options.rate;
  const forceTokens = new Set(options.forceTokens ?? []);
  const probabilities = words.map((word) => word.probability);

  if (options.dropConsecutive) {
    const contentThreshold = percentile(
      words.map((word) => word.rawProbability),
      Math.trunc(100 * reduceRate),
    );
    let keptBetween = false;
    let previousForce: string | undefined;
    words.forEach((word, index) => {
      if (forceTokens.has(word.text)) {
        if (keptBetween) keptBetween = false;
        else if (word.text === previousForce) probabilities[index] = 0;
        previousForce = word.text;
      } else {
        keptBetween ||= word.probability > contentThreshold;
      }
    });
  }

  const weighted: number[] = [];
  words.forEach((word, index) => {
    const count = options.countTokens(word.text.replaceAll(WORD_START, ' '));
    for (let copy = 0; copy < count; copy += 1) weighted.push(probabilities[index]!);
  });
  const threshold = percentile(weighted, Math.min(100, Math.trunc(100 * reduceRate + 1)));

  const keep: boolean[] = [];
  let lastKept: string | undefined;
  words.forEach((word, index) => {
    let kept = probabilities[index]! > threshold;
    if (kept && options.dropConsecutive && forceTokens.has(word.text) && lastKept === word.text) kept = false;
    if (kept) lastKept = word.text;
    keep.push(kept);
  });
  return keep;
}

/** Joins kept words the way a SentencePiece decoder does: '▁' is a space, the first one dropped. */
export function renderWords(words: readonly string[]): string {
  const joined = words.join('');
  const text = joined.startsWith(WORD_START) ? joined.slice(WORD_START.length) : joined;
  return text.replaceAll(WORD_START, ' ');
}

/** The whole word-level step: tokens with probabilities in, compressed text out. */
export function compressClassifiedTokens(
  tokens: readonly ClassifiedToken[],
  options: Llmlingua2Options,
): string {
  const words = mergeTokensIntoWords(tokens, options);
  const keep = selectWords(words, options);
  return renderWords(words.filter((_, index) => keep[index]).map((word) => word.text));
}

/** NumPy's default (linear) percentile. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  const position = ((sorted.length - 1) * Math.max(0, Math.min(100, q))) / 100;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
