/**
 * Token counting for the compressor. Counts equal core's `getTokenCounter` (js-tiktoken): the
 * same pre-tokenizer pattern and merge ranks, read from the same rank file. Two things make it
 * fast enough to count every unit of a prompt inside the compressor's time budget:
 * - counts are memoized per pre-tokenizer piece (BPE never merges across pieces, so the sum over
 *   pieces is the encoder's count, and prose repeats its pieces);
 * - a missed piece is merged on a byte string with ranks in a Map, without building the token
 *   ids or the per-call regular expressions of `encode`.
 * The test checks equality with core's counter on real text.
 */
import { encodingForModel } from '../tokens/encoding-for-model';

export type TokenCounter = (text: string) => number;

const counters = new Map<string, Promise<TokenCounter>>();
const MAX_CACHED_PIECES = 200_000;

/** The memoized counter for a model's encoding (cl100k_base when no model is given). */
export function loadTokenCounter(model?: string): Promise<TokenCounter> {
  const encoding = encodingForModel(model);
  let counter = counters.get(encoding);
  if (!counter) {
    counter = createCounter(encoding);
    counters.set(encoding, counter);
    counter.catch(() => counters.delete(encoding));
  }
  return counter;
}

type RankFile = { pat_str: string; bpe_ranks: string };

async function createCounter(encoding: string): Promise<TokenCounter> {
  const ranks: RankFile =
    encoding === 'o200k_base'
      ? (await import('js-tiktoken/ranks/o200k_base')).default
      : (await import('js-tiktoken/ranks/cl100k_base')).default;
  const mergeRanks = parseRanks(ranks.bpe_ranks);
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
        count = bytePairCount(Buffer.from(piece, 'utf8').toString('latin1'), mergeRanks);
        if (pieceCounts.size >= MAX_CACHED_PIECES) pieceCounts.clear();
        pieceCounts.set(piece, count);
      }
      total += count;
    }
    return total;
  };
}

/** Rank of every token, keyed by its bytes as a latin1 string. */
function parseRanks(bpeRanks: string): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const line of bpeRanks.split('\n')) {
    if (line.length === 0) continue;
    const fields = line.split(' ');
    const offset = Number.parseInt(fields[1]!, 10);
    for (let index = 2; index < fields.length; index += 1) {
      ranks.set(Buffer.from(fields[index]!, 'base64').toString('latin1'), offset + index - 2);
    }
  }
  return ranks;
}

/** Number of tokens BPE leaves in one piece: merge the lowest-ranked adjacent pair until none is known. */
function bytePairCount(bytes: string, ranks: Map<string, number>): number {
  if (bytes.length <= 1 || ranks.has(bytes)) return 1;
  // starts[i] is where part i begins; part i ends where part i + 1 begins.
  const starts: number[] = [];
  for (let index = 0; index <= bytes.length; index += 1) starts.push(index);
  while (starts.length > 2) {
    let bestRank = Number.POSITIVE_INFINITY;
    let bestIndex = -1;
    for (let index = 0; index < starts.length - 2; index += 1) {
      const rank = ranks.get(bytes.slice(starts[index]!, starts[index + 2]!));
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        bestIndex = index;
      }
    }
    if (bestIndex === -1) break;
    starts.splice(bestIndex + 1, 1);
  }
  return starts.length - 1;
}
