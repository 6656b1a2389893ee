import { describe, expect, it } from 'vitest';
import { countHits, qualityScores } from './classification';

describe('precision and recall', () => {
  it('counts right hits, wrong hits and should-hit pairs', () => {
    const outcomes = [
      { hit: true, label: 1 },
      { hit: true, label: 1 },
      { hit: true, label: 0 },
      { hit: false, label: 1 },
      { hit: false, label: 1 },
      { hit: false, label: 0 },
    ] as const;
    const counts = countHits(outcomes);
    expect(counts).toEqual({ rightHits: 2, wrongHits: 1, positives: 4, n: 6 });
    const scores = qualityScores(counts);
    expect(scores.precision).toBeCloseTo(2 / 3);
    expect(scores.recall).toBeCloseTo(0.5);
    expect(scores).toMatchObject({ hits: 3, wrongHits: 1, n: 6 });
  });

  it('gives precision 1 when nothing hit: nothing wrong was served', () => {
    const scores = qualityScores(
      countHits([
        { hit: false, label: 1 },
        { hit: false, label: 0 },
      ]),
    );
    expect(scores.precision).toBe(1);
    expect(scores.recall).toBe(0);
  });
});
