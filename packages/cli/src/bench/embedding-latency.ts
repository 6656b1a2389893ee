import type { Embedder } from '@tokenomics/core';
import { summarizeLatency } from '../metrics';
import { benchQuestion } from './exact-latency';
import { measureMs } from './measure';

/** Requests arriving together in the concurrent measurement (the embedder may batch them). */
export const CONCURRENT_QUERIES = 8;

export type EmbeddingLatencyResult = {
  embedder: string;
  /** What ran the model, for an embedder that says (`UseLiteEmbedder`: onnxruntime or tfjs). */
  runtime?: string;
  msPerQuery: number;
  p50Ms: number;
  p99Ms: number;
  queries: number;
  /**
   * CPU time of this process per query (p50): on a machine shared with other work the wall
   * time includes waiting for a core; this is what the query itself costs.
   */
  cpuP50Ms: number;
  /**
   * `CONCURRENT_QUERIES` single-query requests made at once, as a busy server makes them:
   * milliseconds until the last of them has its vector (p50 over rounds), and per query.
   */
  concurrent?: { requests: number; p50Ms: number; p99Ms: number; msPerQuery: number; rounds: number };
};

/**
 * Milliseconds to embed one query on its own (batch of one), as a cache lookup does, after
 * warm-up; then the same for requests that arrive together.
 */
export async function runEmbeddingLatency(
  embedder: Embedder,
  queries = 200,
): Promise<EmbeddingLatencyResult> {
  // Every query, warm-up included, is a new text: an embedder that remembers recent texts
  // must not answer a timed query from memory.
  let asked = 0;
  const cpuMs: number[] = [];
  const samples = await measureMs(
    async () => {
      const before = process.cpuUsage();
      await embedder.embed([benchQuestion(asked++)]);
      const spent = process.cpuUsage(before);
      cpuMs.push((spent.user + spent.system) / 1000);
    },
    { runs: queries, warmup: 10 },
  );
  const latency = summarizeLatency(samples);
  const cpuP50Ms = summarizeLatency(cpuMs.slice(10)).p50Ms;
  const rounds = Math.max(1, Math.floor(queries / CONCURRENT_QUERIES));
  const together = summarizeLatency(
    await measureMs(
      () =>
        Promise.all(
          Array.from({ length: CONCURRENT_QUERIES }, () => embedder.embed([benchQuestion(asked++)])),
        ),
      { runs: rounds, warmup: 2 },
    ),
  );
  const runtime = await runtimeOf(embedder);
  return {
    embedder: embedder.id,
    ...(runtime ? { runtime } : {}),
    msPerQuery: latency.meanMs,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    queries,
    cpuP50Ms,
    concurrent: {
      requests: CONCURRENT_QUERIES,
      p50Ms: together.p50Ms,
      p99Ms: together.p99Ms,
      msPerQuery: together.meanMs / CONCURRENT_QUERIES,
      rounds,
    },
  };
}

async function runtimeOf(embedder: Embedder): Promise<string | undefined> {
  const withRuntime = embedder as Embedder & { runtime?: () => Promise<string> };
  return typeof withRuntime.runtime === 'function' ? withRuntime.runtime() : undefined;
}
