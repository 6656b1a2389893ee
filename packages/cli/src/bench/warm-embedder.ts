import { type Embedder, MemoizingEmbedder } from '@tokenomics/core';
import { createProgressBar } from '../output';

const BATCH = 64;

/**
 * Embeds every text once up front (with a progress bar) and returns an embedder that serves
 * them from memory, so a benchmark that replays the same texts under several settings pays
 * for embedding once and its timings do not depend on embedding.
 */
export async function warmEmbedder(
  embedder: Embedder,
  texts: Iterable<string>,
  label = 'embedding',
): Promise<MemoizingEmbedder> {
  const unique = [...new Set(texts)];
  const memoizing = new MemoizingEmbedder(embedder, { maxEntries: Number.POSITIVE_INFINITY });
  const progress = createProgressBar(label, unique.length);
  for (let start = 0; start < unique.length; start += BATCH) {
    const batch = unique.slice(start, start + BATCH);
    await memoizing.embed(batch);
    progress.tick(batch.length);
  }
  progress.done();
  return memoizing;
}
