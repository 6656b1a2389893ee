/**
 * Token counting for the compressor, on top of core's `getTokenCounter` (js-tiktoken, loaded on
 * first use). Counts are memoized per pre-tokenizer piece: BPE never merges across pieces, so
 * the sum over pieces equals the encoder's count, and prose repeats its pieces ("the", " of",
 * ", "), so most lookups are cache hits. That keeps counting inside the compressor's time budget.
 */
import { getTokenCounter } from '../tokens/token-counter';

export type TokenCounter = (text: string) => number;

const counters = new Map<string, Promise<TokenCounter>>();
const MAX_CACHED_PIECES = 200_000;

/** The memoized counter for a model's encoding (cl100k_base when no model is given). */
export function loadTokenCounter(model?: string): Promise<TokenCounter> {
  const key = model ?? '';
  let counter = counters.get(key);
  if (!counter) {
    counter = createCounter(model);
    counters.set(key, counter);
    counter.catch(() => counters.delete(key));
  }
  return counter;
}

async function createCounter(model?: string): Promise<TokenCounter> {
  const base = await getTokenCounter(model);
  const ranks =
    base.encoding === 'o200k_base'
      ? (await import('js-tiktoken/ranks/o200k_base')).default
      : (await import('js-tiktoken/ranks/cl100k_base')).default;
  const pattern = new RegExp(ranks.pat_str, 'gu');
  const pieceCounts = new Map<string, number>();
  return (text: string) => {
    if (text.length === 0) return 0;
    let total = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const piece = match[0];
      let count = pieceCounts.get(piece);
      if (count === undefined) {
        count = base.count(piece);
        if (pieceCounts.size >= MAX_CACHED_PIECES) pieceCounts.clear();
        pieceCounts.set(piece, count);
      }
      total += count;
    }
    return total;
  };
}
