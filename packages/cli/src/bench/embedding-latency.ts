import type { Embedder } from '@tokenomics/core';
import { summarizeLatency } from '../metrics';
import { benchQuestion } from './exact-latency';
import { measureMs } from './measure';

export type EmbeddingLatencyResult = {
  embedder: string;
  msPerQuery: number;
  p50Ms: number;
  p99Ms: number;
  queries: number;
};

/** Milliseconds to embed one query on its own (batch of one), as a cache lookup does, after warm-up. */
export async function runEmbeddingLatency(
  embedder: Embedder,
  queries = 200,
): Promise<EmbeddingLatencyResult> {
  const samples = await measureMs((run) => embedder.embed([benchQuestion(run)]), {
    runs: queries,
    warmup: 10,
  });
  const latency = summarizeLatency(samples);
  return {
    embedder: embedder.id,
    msPerQuery: latency.meanMs,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    queries,
  };
}
