import type { LabelledPair } from './pair-types';

export type PairMetrics = {
  precision: number;
  recall: number;
  hits: number;
  wrongHits: number;
  positives: number;
  n: number;
};

/** Precision and recall of a hit rule over labelled pairs (precision is 1 when nothing hits). */
export function pairMetrics(
  pairs: readonly LabelledPair[],
  hit: (pair: LabelledPair, index: number) => boolean,
): PairMetrics {
  let hits = 0;
  let wrongHits = 0;
  let positives = 0;
  pairs.forEach((pair, index) => {
    if (pair.label === 1) positives++;
    if (!hit(pair, index)) return;
    hits++;
    if (pair.label === 0) wrongHits++;
  });
  const rightHits = hits - wrongHits;
  return {
    precision: hits === 0 ? 1 : rightHits / hits,
    recall: positives === 0 ? 0 : rightHits / positives,
    hits,
    wrongHits,
    positives,
    n: pairs.length,
  };
}

/**
 * The rule setting with the most recall whose precision reaches `minPrecision`; when none
 * reaches it, the one with the best precision among those keeping `minRecall`.
 */
export function bestSetting<T>(
  settings: readonly T[],
  evaluate: (setting: T) => PairMetrics,
  minPrecision: number,
  minRecall = 0.3,
): { setting: T; metrics: PairMetrics; reachedPrecision: boolean } {
  let best: { setting: T; metrics: PairMetrics; reachedPrecision: boolean } | undefined;
  for (const setting of settings) {
    const metrics = evaluate(setting);
    const reached = metrics.precision >= minPrecision && metrics.hits > 0;
    const candidate = { setting, metrics, reachedPrecision: reached };
    if (!best) {
      best = candidate;
      continue;
    }
    if (reached && (!best.reachedPrecision || metrics.recall > best.metrics.recall)) best = candidate;
    else if (!reached && !best.reachedPrecision) {
      const keeps = metrics.recall >= minRecall;
      const bestKeeps = best.metrics.recall >= minRecall;
      if ((keeps && !bestKeeps) || (keeps === bestKeeps && metrics.precision > best.metrics.precision))
        best = candidate;
    }
  }
  if (!best) throw new Error('no settings to choose from');
  return best;
}
