import { type Embedder, MemoizingEmbedder } from '@tokenomics/core';
import { createProgressBar } from '../output';
import { embedPrompts } from './routing/prompt-embeddings';

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
  options: { cacheFolder?: string } = {},
): Promise<MemoizingEmbedder> {
  const unique = [...new Set(texts)];
  const memoizing = new MemoizingEmbedder(
    options.cacheFolder ? await fromDiskCache(embedder, unique, options.cacheFolder, label) : embedder,
    { maxEntries: Number.POSITIVE_INFINITY },
  );
  const progress = createProgressBar(label, unique.length);
  for (let start = 0; start < unique.length; start += BATCH) {
    const batch = unique.slice(start, start + BATCH);
    await memoizing.embed(batch);
    progress.tick(batch.length);
  }
  progress.done();
  return memoizing;
}

/**
 * The embedder with every text's vector read from (or added to) an on-disk cache, so a rerun over
 * tens of thousands of pairs does not embed them again. Same `id`: the vectors are the embedder's own.
 */
async function fromDiskCache(
  embedder: Embedder,
  texts: string[],
  folder: string,
  label: string,
): Promise<Embedder> {
  let embedded = 0;
  const progress = createProgressBar(`${label} (new texts, disk cache ${folder})`, texts.length);
  const vectors = await embedPrompts(texts, {
    folder,
    embedder,
    onProgress: (done) => {
      progress.tick(done - embedded);
      embedded = done;
    },
  });
  progress.done();
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    embed: async (batch) => {
      const known = batch.map((text) => vectors.get(text));
      if (known.every((vector) => vector !== undefined)) return known as Float32Array[];
      return embedder.embed(batch);
    },
  };
}
