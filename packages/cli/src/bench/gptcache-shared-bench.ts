import {
  DEFAULT_SIMILARITY_THRESHOLD,
  type Embedder,
  MemoryCacheStore,
  responseText,
  SemanticCache,
} from '@tokenomics/core';
import { createProgressBar } from '../output';
import { benchRequest, benchResponse } from './bench-request';
import { warmEmbedder } from './warm-embedder';

export type GptCacheSharedPoint = {
  threshold: number;
  /** The record's own answer (or that of a record with the same `origin` text). */
  rightHits: number;
  /** Another record's answer. */
  wrongHits: number;
  misses: number;
  n: number;
};

export type GptCacheSharedResult = {
  records: number;
  /** The default threshold, then 0.8 and 0.95 (the points GPTCache published), each once. */
  points: GptCacheSharedPoint[];
};

/**
 * GPTCache's own way of scoring its file: every `origin` is stored in ONE cache, then every
 * `similar` is asked. Its published result (SQLite + FAISS + ONNX albert): at 0.95, 425 right,
 * 25 wrong, 549 misses; at 0.8, 904 right, 92 wrong, 3 misses.
 */
export async function runGptCacheSharedBench(
  records: ReadonlyArray<{ origin: string; similar: string }>,
  options: { embedder: Embedder; thresholds?: number[] },
): Promise<GptCacheSharedResult> {
  const embedder = await warmEmbedder(
    options.embedder,
    records.flatMap((record) => [record.origin.trim(), record.similar.trim()]),
    'gptcache (one cache): embedding',
  );
  const thresholds = options.thresholds ?? [...new Set([DEFAULT_SIMILARITY_THRESHOLD, 0.8, 0.95])];
  const progress = createProgressBar('gptcache (one cache): lookups', thresholds.length * records.length * 2);
  const points: GptCacheSharedPoint[] = [];
  for (const threshold of thresholds) {
    const cache = new SemanticCache({
      embedder,
      threshold,
      store: new MemoryCacheStore({ maxEntries: records.length + 1 }),
      onWarning: () => {},
    });
    const originOfAnswer = new Map<string, string>();
    for (const [index, record] of records.entries()) {
      const answer = `answer to record ${index}`;
      originOfAnswer.set(answer, normalize(record.origin));
      await cache.store(benchRequest([{ user: record.origin }]), benchResponse(answer));
      progress.tick();
    }
    const point: GptCacheSharedPoint = {
      threshold,
      rightHits: 0,
      wrongHits: 0,
      misses: 0,
      n: records.length,
    };
    for (const record of records) {
      const lookup = await cache.lookup(benchRequest([{ user: record.similar }]));
      if (lookup.status !== 'hit') point.misses++;
      else if (originOfAnswer.get(responseText(lookup.response)) === normalize(record.origin))
        point.rightHits++;
      else point.wrongHits++;
      progress.tick();
    }
    points.push(point);
    await cache.close();
  }
  progress.done();
  return { records: records.length, points };
}

function normalize(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}
