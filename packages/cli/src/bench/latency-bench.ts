import type { Embedder } from '@tokenomics/core';
import { type EmbeddingLatencyResult, runEmbeddingLatency } from './embedding-latency';
import { type ExactLatencyResult, runExactLatency } from './exact-latency';
import type { SemanticScaleResult } from './semantic-scale';
import { runSemanticScaleIsolated } from './semantic-scale-process';

export type LatencyBenchResult = {
  /** TokenomicsCache (in-memory store) exact hit through `BaseCache.lookup`. */
  exactHitP50Ms: number;
  exactHitP99Ms: number;
  /** The same with the SQLite store. */
  exactHitP50MsSqlite: number;
  exactHitP99MsSqlite: number;
  /** LangChain's `InMemoryCache.lookup` on the same prompts and keys. */
  langchainInMemoryP50Ms: number;
  langchainInMemoryP99Ms: number;
  embedMsPerQuery: number;
  semantic: SemanticScaleResult[];
  exact: ExactLatencyResult;
  embedding: EmbeddingLatencyResult;
};

export type LatencyBenchOptions = {
  embedder: Embedder;
  sizes: readonly number[];
  /** Timed lookups per index size. */
  queries?: number;
  onSize?: (result: SemanticScaleResult) => void;
};

export async function runLatencyBench(options: LatencyBenchOptions): Promise<LatencyBenchResult> {
  const exact = await runExactLatency();
  const embedding = await runEmbeddingLatency(options.embedder);
  const semantic: SemanticScaleResult[] = [];
  for (const entries of options.sizes) {
    const result = await runSemanticScaleIsolated({ entries, queries: options.queries });
    semantic.push(result);
    options.onSize?.(result);
  }
  return {
    exactHitP50Ms: exact.lookup.tokenomicsMemory.p50Ms,
    exactHitP99Ms: exact.lookup.tokenomicsMemory.p99Ms,
    exactHitP50MsSqlite: exact.lookup.tokenomicsSqlite.p50Ms,
    exactHitP99MsSqlite: exact.lookup.tokenomicsSqlite.p99Ms,
    langchainInMemoryP50Ms: exact.lookup.langchainInMemory.p50Ms,
    langchainInMemoryP99Ms: exact.lookup.langchainInMemory.p99Ms,
    embedMsPerQuery: embedding.msPerQuery,
    semantic,
    exact,
    embedding,
  };
}
