/**
 * Token counting for the compressor: cl100k_base (js-tiktoken), loaded on first use so
 * importing core stays cheap. Counts are memoized per pre-tokenizer piece: BPE never merges
 * across pieces, so the sum over pieces is exactly `encode(text).length`, and prose repeats
 * its pieces ("the", " of", ", ") so most lookups are cache hits. That keeps counting well
 * under the compressor's time budget.
 */
export type TokenCounter = (text: string) => number;

type Encoder = {
  encode(text: string, allowedSpecial?: string[] | 'all', disallowedSpecial?: string[] | 'all'): number[];
};

let counterPromise: Promise<TokenCounter> | undefined;

/** The shared cl100k_base counter, created on first call. */
export function loadTokenCounter(): Promise<TokenCounter> {
  counterPromise ??= createCounter().catch((error: unknown) => {
    counterPromise = undefined;
    throw error;
  });
  return counterPromise;
}

const MAX_CACHED_PIECES = 200_000;

async function createCounter(): Promise<TokenCounter> {
  const [{ Tiktoken }, ranksModule] = await Promise.all([
    import('js-tiktoken/lite'),
    import('js-tiktoken/ranks/cl100k_base'),
  ]);
  const ranks = (ranksModule as { default: ConstructorParameters<typeof Tiktoken>[0] }).default;
  const encoder: Encoder = new Tiktoken(ranks);
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
        // Special-token strings ("<|endoftext|>") count as ordinary text here, as a provider would.
        count = encoder.encode(piece, [], []).length;
        if (pieceCounts.size >= MAX_CACHED_PIECES) pieceCounts.clear();
        pieceCounts.set(piece, count);
      }
      total += count;
    }
    return total;
  };
}
