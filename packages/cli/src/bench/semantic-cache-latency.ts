import {
  type Embedder,
  HnswVectorIndex,
  loadPairVerifier,
  MemoryCacheStore,
  SemanticCache,
} from '@tokenomics/core';
import { summarizeLatency } from '../metrics';
import { createProgressBar } from '../output';
import { benchRequest, benchResponse } from './bench-request';
import { nearbyUnitVector, randomUnitVector } from './random-vectors';

export type SemanticCacheLatencyResult = {
  entries: number;
  queries: number;
  /** `SemanticCache.lookup` minus the embedding time its trace reports: search, entry read, guards, verifier. */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Share of lookups that were semantic hits (the rest went through the same steps and missed). */
  hitRate: number;
};

const DIMENSIONS = 512;
const SEED = 7;
/**
 * Cosine of an asked question's vector to its stored one: a "How do I" / "How can I" rewording,
 * above the default floor (0.98). The shipped verifier runs with its threshold lowered to 0.5 so
 * that it accepts the pair: the timing is of the hit path with the verifier in it.
 */
const NEAR_SIMILARITY = 0.99;

/**
 * The whole semantic path of the cache engine with embedding taken out: `entries` stored
 * questions whose vectors are random, then lookups of reworded questions whose vectors sit at
 * cosine 0.99 to a stored one, timed from the lookup's own trace (total minus `embedMs`).
 */
export async function runSemanticCacheLatency(
  options: { entries?: number; queries?: number } = {},
): Promise<SemanticCacheLatencyResult> {
  const entries = options.entries ?? 10_000;
  const queries = options.queries ?? 500;
  const vectors = new Map<string, Float32Array>();
  const questionOf = (index: number) =>
    `How do I change the retention period of archive ${index} in region ${index % 17}?`;
  const askedOf = (index: number) =>
    `How can I change the retention period of archive ${index} in region ${index % 17}?`;
  for (let query = 0; query < queries; query++) {
    const target = Math.floor((query * entries) / queries);
    vectors.set(
      askedOf(target),
      nearbyUnitVector(randomUnitVector(DIMENSIONS, SEED, target), NEAR_SIMILARITY, SEED, query),
    );
  }
  // Stored questions get their random vector by index; asked ones come from the table above.
  const embedder: Embedder = {
    id: 'bench-random-vectors',
    dimensions: DIMENSIONS,
    async embed(texts) {
      return texts.map(
        (text) =>
          vectors.get(text) ??
          randomUnitVector(DIMENSIONS, SEED, Number(/archive (\d+)/.exec(text)?.[1] ?? -1)),
      );
    },
  };
  const cache = new SemanticCache({
    embedder,
    verifier: await loadPairVerifier({ threshold: 0.5 }),
    store: new MemoryCacheStore({ maxEntries: entries + 1 }),
    vectorIndex: new HnswVectorIndex({ dimensions: DIMENSIONS }),
    onWarning: () => {},
  });
  const progress = createProgressBar(`semantic cache ${entries} entries`, entries + queries);
  for (let index = 0; index < entries; index++) {
    await cache.store(
      benchRequest([{ user: questionOf(index) }]),
      benchResponse(`Archive ${index} is kept 30 days.`),
    );
    progress.tick();
  }
  const samples: number[] = [];
  let hits = 0;
  for (let query = -20; query < queries; query++) {
    const target = Math.floor((Math.max(0, query) * entries) / queries);
    const startedAt = performance.now();
    const lookup = await cache.lookup(benchRequest([{ user: askedOf(target) }]));
    const total = performance.now() - startedAt;
    if (query < 0) continue;
    const embedMs = Number((lookup.trace.details?.timings as { embedMs?: number } | undefined)?.embedMs ?? 0);
    samples.push(total - embedMs);
    if (lookup.status === 'hit') hits++;
    progress.tick();
  }
  progress.done();
  await cache.close();
  const latency = summarizeLatency(samples);
  return {
    entries,
    queries,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    meanMs: latency.meanMs,
    hitRate: hits / queries,
  };
}
