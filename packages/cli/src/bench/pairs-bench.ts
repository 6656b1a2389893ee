import {
  cosineSimilarity,
  DEFAULT_SIMILARITY_THRESHOLD,
  DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER,
  type Embedder,
  MemoryCacheStore,
  type PairVerifier,
  SemanticCache,
} from '@tokenomics/core';
import type { LabelledPair } from '../datasets';
import { countHits, type QualityScores, qualityScores, sweepThresholds } from '../metrics';
import { createProgressBar } from '../output';
import { benchRequest, benchResponse } from './bench-request';
import { warmEmbedder } from './warm-embedder';

export type PairsBenchOptions = {
  embedder: Embedder;
  /** Thresholds of the sweep; default 0.70..0.98 by 0.02. */
  thresholds?: number[];
  /** `false` runs without the learned verifier; default: the cache's default (the shipped model). */
  verifier?: PairVerifier | false;
  /** Label shown on the progress bar. */
  label?: string;
  /** Folder of an on-disk embedding cache (vectors kept between runs). */
  embeddingCache?: string;
};

export type SweepPoint = {
  threshold: number;
  precision: number;
  recall: number;
  hits: number;
  wrongHits: number;
  /** The same threshold on raw cosine similarity alone, without guards or verifier. */
  cosineOnly: { precision: number; recall: number; hits: number; wrongHits: number };
};

export type PairsBenchResult = {
  file?: string;
  n: number;
  positives: number;
  embedder: string;
  default: QualityScores & { threshold: number };
  sweep: SweepPoint[];
  /** Default-settings outcomes per pair kind, when the file labels kinds. */
  byKind?: Record<string, { n: number; hits: number; wrongHits: number }>;
  /** Up to 20 served answers that were wrong at the default settings, to read. */
  wrongHitExamples: Array<{ a: string; b: string; kind?: string; similarity: number }>;
};

type PairOutcome = { hit: boolean; label: 0 | 1; similarity: number };

/**
 * Stores `a` and asks `b` for every pair, each pair in its own scope (its own partition), so
 * pairs never see each other's entries: the cache's full decision (exact key, similarity,
 * guards, verifier) at the default settings and at each threshold of a sweep.
 */
export async function runPairsBench(
  pairs: readonly LabelledPair[],
  options: PairsBenchOptions,
): Promise<PairsBenchResult> {
  const label = options.label ?? 'pairs';
  const embedder = await warmEmbedder(
    options.embedder,
    pairs.flatMap((pair) => [pair.a.trim(), pair.b.trim()]),
    `${label}: embedding`,
    { cacheFolder: options.embeddingCache },
  );
  const thresholds = options.thresholds ?? sweepThresholds();
  const progress = createProgressBar(`${label}: lookups`, pairs.length * (thresholds.length + 1));

  const atDefault = await evaluate(pairs, embedder, undefined, options.verifier, () => progress.tick());
  const sweep: SweepPoint[] = [];
  const similarities = await rawSimilarities(pairs, embedder);
  for (const threshold of thresholds) {
    const outcomes = await evaluate(pairs, embedder, threshold, options.verifier, () => progress.tick());
    const scores = qualityScores(countHits(outcomes));
    const cosine = qualityScores(
      countHits(pairs.map((pair, index) => ({ hit: similarities[index]! >= threshold, label: pair.label }))),
    );
    sweep.push({
      threshold,
      precision: scores.precision,
      recall: scores.recall,
      hits: scores.hits,
      wrongHits: scores.wrongHits,
      cosineOnly: {
        precision: cosine.precision,
        recall: cosine.recall,
        hits: cosine.hits,
        wrongHits: cosine.wrongHits,
      },
    });
  }
  progress.done();

  const counts = countHits(atDefault);
  const byKind: NonNullable<PairsBenchResult['byKind']> = {};
  pairs.forEach((pair, index) => {
    if (pair.kind === undefined) return;
    byKind[pair.kind] ??= { n: 0, hits: 0, wrongHits: 0 };
    const group = byKind[pair.kind]!;
    group.n++;
    if (atDefault[index]!.hit) {
      group.hits++;
      if (pair.label === 0) group.wrongHits++;
    }
  });
  return {
    n: pairs.length,
    positives: counts.positives,
    embedder: options.embedder.id,
    default: {
      ...qualityScores(counts),
      // The cache picks a stricter floor when it runs without the verifier.
      threshold:
        options.verifier === false
          ? DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER
          : DEFAULT_SIMILARITY_THRESHOLD,
    },
    sweep,
    ...(Object.keys(byKind).length > 0 ? { byKind } : {}),
    wrongHitExamples: atDefault
      .map((outcome, index) => ({ outcome, pair: pairs[index]! }))
      .filter(({ outcome }) => outcome.hit && outcome.label === 0)
      .slice(0, 20)
      .map(({ outcome, pair }) => ({
        a: pair.a,
        b: pair.b,
        kind: pair.kind,
        similarity: round(outcome.similarity),
      })),
  };
}

async function evaluate(
  pairs: readonly LabelledPair[],
  embedder: Embedder,
  threshold: number | undefined,
  verifier: PairVerifier | false | undefined,
  onPair: () => void,
): Promise<PairOutcome[]> {
  const cache = new SemanticCache({
    embedder,
    store: new MemoryCacheStore({ maxEntries: pairs.length + 1 }),
    ...(threshold === undefined ? {} : { threshold }),
    ...(verifier === undefined ? {} : { verifier }),
    onWarning: () => {},
  });
  const outcomes: PairOutcome[] = [];
  for (let index = 0; index < pairs.length; index++) {
    const pair = pairs[index]!;
    const scope = { namespace: `pair-${index}` };
    await cache.store(benchRequest([{ user: pair.a }], scope), benchResponse(`answer ${index}`));
    const lookup = await cache.lookup(benchRequest([{ user: pair.b }], scope));
    const hit = lookup.status === 'hit';
    outcomes.push({ hit, label: pair.label, similarity: hit ? (lookup.similarity ?? 1) : 0 });
    onPair();
  }
  await cache.close();
  return outcomes;
}

async function rawSimilarities(pairs: readonly LabelledPair[], embedder: Embedder): Promise<number[]> {
  const similarities: number[] = [];
  for (const pair of pairs) {
    const [a, b] = await embedder.embed([pair.a.trim(), pair.b.trim()]);
    similarities.push(cosineSimilarity(a!, b!));
  }
  return similarities;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
