import { type Embedder, MemoryCacheStore, type PairVerifier, SemanticCache } from '@tokenomics/core';
import type { LabelledPair } from '../datasets';
import { createProgressBar } from '../output';
import { benchRequest, benchResponse } from './bench-request';
import { seededUniform } from './seeded-uniform';
import { warmEmbedder } from './warm-embedder';

export type OnlineVerifyResult = {
  targetErrorRate: number;
  /** Wrong hits among served hits. */
  realisedErrorRate: number;
  /** Served hits among all lookups. */
  hitRate: number;
  /** Served hits among the pairs that should hit. */
  recall: number;
  hits: number;
  wrongHits: number;
  /** Candidates sent to the model and compared with the stored answer. */
  verificationCalls: number;
  /** The learned serving threshold (verifier score) at the end, if one was proven. */
  finalThreshold?: number;
  /** Hits served in each tenth of the stream: the learning curve. */
  hitsByTenth: number[];
  n: number;
};

/**
 * Replays labelled pairs as a stream through one cache with `maxErrorRate`: for each pair, `a` is
 * stored with its answer and `b` is asked (each pair in its own scope, so pairs never answer each
 * other, while the error-rate learner sees the whole stream). A served hit is wrong when the label
 * says the two questions do not share an answer. On a miss the "model" answers: the same answer as
 * `a` for a duplicate, another one otherwise, so a verification learns exactly what the label says.
 */
export async function runOnlineVerifyBench(
  pairs: readonly LabelledPair[],
  options: {
    embedder: Embedder;
    maxErrorRate: number;
    verifier?: PairVerifier | false;
    label?: string;
    embeddingCache?: string;
  },
): Promise<OnlineVerifyResult> {
  const label = options.label ?? 'online';
  const embedder = await warmEmbedder(
    options.embedder,
    pairs.map((pair) => pair.b.trim()).concat(pairs.map((pair) => pair.a.trim())),
    `${label}: embedding`,
    { cacheFolder: options.embeddingCache },
  );
  const cache = new SemanticCache({
    embedder,
    store: new MemoryCacheStore({ maxEntries: 2 * pairs.length + 1 }),
    maxErrorRate: options.maxErrorRate,
    // Seeded exploration, so a rerun gives the same numbers.
    verification: { random: seededUniform(7) },
    ...(options.verifier === undefined ? {} : { verifier: options.verifier }),
    onWarning: () => {},
  });
  const progress = createProgressBar(`${label}: online`, pairs.length);
  let hits = 0;
  let wrongHits = 0;
  const hitsByTenth = new Array<number>(10).fill(0);
  for (let index = 0; index < pairs.length; index++) {
    const pair = pairs[index]!;
    const scope = { namespace: `pair-${index}` };
    const answer = `answer ${index}`;
    await cache.store(benchRequest([{ user: pair.a }], scope), benchResponse(answer));
    const asked = benchRequest([{ user: pair.b }], scope);
    const lookup = await cache.lookup(asked);
    if (lookup.status === 'hit') {
      hits++;
      hitsByTenth[Math.floor((10 * index) / pairs.length)]!++;
      if (pair.label === 0) wrongHits++;
    } else if (lookup.status === 'miss') {
      const fresh = pair.label === 1 ? answer : `another answer ${index}`;
      await cache.store(asked, benchResponse(fresh), { pending: lookup.pending });
    }
    progress.tick();
  }
  progress.done();
  const stats = cache.verificationStats();
  await cache.close();
  const positives = pairs.filter((pair) => pair.label === 1).length;
  return {
    targetErrorRate: options.maxErrorRate,
    realisedErrorRate: hits === 0 ? 0 : wrongHits / hits,
    hitRate: pairs.length === 0 ? 0 : hits / pairs.length,
    recall: positives === 0 ? 0 : (hits - wrongHits) / positives,
    hits,
    wrongHits,
    verificationCalls: stats?.verificationCalls ?? 0,
    ...(stats?.threshold ? { finalThreshold: stats.threshold.score } : {}),
    hitsByTenth,
    n: pairs.length,
  };
}
