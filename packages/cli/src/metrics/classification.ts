/** Outcome counts of a should-hit / should-miss evaluation. */
export type HitCounts = {
  /** Hits on pairs labelled 1 (the stored answer is right for the query). */
  rightHits: number;
  /** Hits on pairs labelled 0: a wrong answer served from the cache. */
  wrongHits: number;
  /** Pairs labelled 1. */
  positives: number;
  /** All pairs. */
  n: number;
};

export type QualityScores = {
  /** Right hits / all hits; 1 when there are no hits (nothing wrong was served). */
  precision: number;
  /** Right hits / pairs labelled 1; 0 when there are none. */
  recall: number;
  hits: number;
  wrongHits: number;
  n: number;
};

export function countHits(outcomes: Iterable<{ hit: boolean; label: 0 | 1 }>): HitCounts {
  const counts: HitCounts = { rightHits: 0, wrongHits: 0, positives: 0, n: 0 };
  for (const outcome of outcomes) {
    counts.n++;
    if (outcome.label === 1) counts.positives++;
    if (!outcome.hit) continue;
    if (outcome.label === 1) counts.rightHits++;
    else counts.wrongHits++;
  }
  return counts;
}

export function qualityScores(counts: HitCounts): QualityScores {
  const hits = counts.rightHits + counts.wrongHits;
  return {
    precision: hits === 0 ? 1 : counts.rightHits / hits,
    recall: counts.positives === 0 ? 0 : counts.rightHits / counts.positives,
    hits,
    wrongHits: counts.wrongHits,
    n: counts.n,
  };
}
