import { type Embedder, UseLiteEmbedder } from '@tokenomics/core';
import { type EmbeddingLatencyResult, runEmbeddingLatency } from './embedding-latency';
import { type ExactLatencyResult, runExactLatency } from './exact-latency';
import { runSemanticCacheLatency, type SemanticCacheLatencyResult } from './semantic-cache-latency';
import type { SemanticScaleResult } from './semantic-scale';
import { runSemanticScaleIsolated } from './semantic-scale-process';

/** Exact-hit and embedding fields are absent when the run skipped them (`--skip-exact`). */
export type LatencyBenchResult = {
  /** TokenomicsCache (in-memory store) exact hit through `BaseCache.lookup`. */
  exactHitP50Ms?: number;
  exactHitP99Ms?: number;
  /** The same with the SQLite store. */
  exactHitP50MsSqlite?: number;
  exactHitP99MsSqlite?: number;
  /** LangChain's `InMemoryCache.lookup` on the same prompts and keys. */
  langchainInMemoryP50Ms?: number;
  langchainInMemoryP99Ms?: number;
  embedMsPerQuery?: number;
  semantic: SemanticScaleResult[];
  exact?: ExactLatencyResult;
  embedding?: EmbeddingLatencyResult;
  /** The same USE-lite model on tfjs, when `embedding` ran it on onnxruntime: what the faster runtime saves. */
  embeddingOnTfjs?: EmbeddingLatencyResult;
  /** The engine's whole semantic path (search, entry read, guards, verifier) without embedding, at 10k entries. */
  semanticCache?: SemanticCacheLatencyResult;
};

export type LatencyBenchOptions = {
  embedder: Embedder;
  sizes: readonly number[];
  /** Timed lookups per index size. */
  queries?: number;
  /** HNSW efConstruction for the index sizes; default: the core default. */
  expansionAdd?: number;
  /** Only the index sizes. */
  skipExact?: boolean;
  onSize?: (result: SemanticScaleResult) => void;
};

export async function runLatencyBench(options: LatencyBenchOptions): Promise<LatencyBenchResult> {
  const exact = options.skipExact ? undefined : await runExactLatency();
  const embedding = options.skipExact ? undefined : await runEmbeddingLatency(options.embedder);
  const embeddingOnTfjs =
    embedding?.runtime === 'onnxruntime' && options.embedder instanceof UseLiteEmbedder
      ? await runEmbeddingLatency(new UseLiteEmbedder({ runtime: 'tfjs' }))
      : undefined;
  const semanticCache = options.skipExact ? undefined : await runSemanticCacheLatency();
  const semantic: SemanticScaleResult[] = [];
  for (const entries of options.sizes) {
    const hnsw = options.expansionAdd === undefined ? undefined : { expansionAdd: options.expansionAdd };
    const result = await runSemanticScaleIsolated({ entries, queries: options.queries, hnsw });
    semantic.push(result);
    options.onSize?.(result);
  }
  return {
    ...(exact
      ? {
          exactHitP50Ms: exact.lookup.tokenomicsMemory.p50Ms,
          exactHitP99Ms: exact.lookup.tokenomicsMemory.p99Ms,
          exactHitP50MsSqlite: exact.lookup.tokenomicsSqlite.p50Ms,
          exactHitP99MsSqlite: exact.lookup.tokenomicsSqlite.p99Ms,
          langchainInMemoryP50Ms: exact.lookup.langchainInMemory.p50Ms,
          langchainInMemoryP99Ms: exact.lookup.langchainInMemory.p99Ms,
          exact,
        }
      : {}),
    ...(embedding ? { embedMsPerQuery: embedding.msPerQuery, embedding } : {}),
    ...(embeddingOnTfjs ? { embeddingOnTfjs } : {}),
    ...(semanticCache ? { semanticCache } : {}),
    semantic,
  };
}
