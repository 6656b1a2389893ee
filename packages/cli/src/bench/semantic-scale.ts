import { DEFAULT_HNSW_OPTIONS, type HnswOptions, HnswVectorIndex } from '@tokenomics/core';
import { summarizeLatency } from '../metrics';
import { createProgressBar } from '../output';
import { measureMs, rssMegabytes } from './measure';
import { nearbyUnitVector, randomUnitVector } from './random-vectors';

export type SemanticScaleOptions = {
  entries: number;
  dimensions?: number;
  queries?: number;
  /** Neighbours asked per lookup. */
  k?: number;
  /** Cosine similarity of each query to the stored vector it was made from. */
  querySimilarity?: number;
  seed?: number;
  /** HNSW settings; default: the core index's defaults. */
  hnsw?: HnswOptions;
};

export type SemanticScaleResult = {
  entries: number;
  dimensions: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  queries: number;
  /** Share of queries whose nearest neighbour is the stored vector they were made from. */
  recallAt1: number;
  /** Resident memory of the process holding the index, after building it and querying. */
  rssMb: number;
  buildSeconds: number;
  index: string;
};

const PARTITION = 'bench';
const BATCH = 10_000;

/**
 * Semantic lookup cost without embedding: `entries` random unit vectors in the core HNSW index
 * (usearch, default settings), then timed nearest-neighbour searches for queries that sit at a
 * known similarity to a stored vector. Run it in a process of its own so RSS is its alone.
 */
export async function runSemanticScale(options: SemanticScaleOptions): Promise<SemanticScaleResult> {
  const dimensions = options.dimensions ?? 512;
  const queries = options.queries ?? 1_000;
  const k = options.k ?? 4;
  const seed = options.seed ?? 42;
  const similarity = options.querySimilarity ?? 0.9;
  const hnsw = { ...DEFAULT_HNSW_OPTIONS, ...options.hnsw };
  const index = new HnswVectorIndex({ dimensions, ...hnsw });

  const buildStartedAt = performance.now();
  const progress = createProgressBar(
    `index ${options.entries.toLocaleString('en-US')} vectors`,
    options.entries,
  );
  for (let start = 0; start < options.entries; start += BATCH) {
    const items: Array<{ key: string; vector: Float32Array }> = [];
    for (let item = start; item < Math.min(options.entries, start + BATCH); item++) {
      items.push({ key: `e${item}`, vector: randomUnitVector(dimensions, seed, item) });
    }
    await index.addMany(PARTITION, items);
    progress.tick(items.length);
  }
  progress.done();
  const buildSeconds = (performance.now() - buildStartedAt) / 1000;

  // Queries are generated before timing so the samples hold the search alone.
  const targets = Array.from({ length: queries }, (_, query) =>
    Math.floor(((query * 7919) % queries) * (options.entries / queries)),
  );
  const queryVectors = targets.map((target, query) =>
    nearbyUnitVector(randomUnitVector(dimensions, seed, target), similarity, seed, query),
  );
  const samples = await measureMs((run) => index.search(PARTITION, queryVectors[run % queries]!, k), {
    runs: queries,
    warmup: Math.min(100, queries),
  });
  let found = 0;
  for (let query = 0; query < queries; query++) {
    const matches = await index.search(PARTITION, queryVectors[query]!, 1);
    if (matches[0]?.key === `e${targets[query]}`) found++;
  }
  const latency = summarizeLatency(samples);
  return {
    entries: options.entries,
    dimensions,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    meanMs: latency.meanMs,
    queries,
    recallAt1: found / queries,
    rssMb: Math.round(rssMegabytes()),
    buildSeconds: Math.round(buildSeconds * 10) / 10,
    index: `HnswVectorIndex (usearch HNSW, ${hnsw.dtype}, M=${hnsw.connectivity}, efConstruction=${hnsw.expansionAdd}, ef=${hnsw.expansionSearch})`,
  };
}
