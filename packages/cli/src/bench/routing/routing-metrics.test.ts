import { describe, expect, it } from 'vitest';
import {
  averageGapRecovered,
  callPerformanceThreshold,
  costShareAtQuality,
  type RoutingItem,
  routingCurve,
  sampleCurve,
} from './routing-metrics';

// Four requests, worked by hand: weak 1 dollar, strong 10. Weak quality 0.5, strong 0.75.
// Escalation order by score: B (strong fixes it), D (strong breaks it), C (fixes), A (both right).
const outcomes = [
  { name: 'A', weak: 1, strong: 1, accept: 0.9 },
  { name: 'B', weak: 0, strong: 1, accept: 0.1 },
  { name: 'C', weak: 0, strong: 1, accept: 0.5 },
  { name: 'D', weak: 1, strong: 0, accept: 0.3 },
];
const items = (skip: (accept: number) => number): RoutingItem[] =>
  outcomes.map((outcome) => ({
    accept: outcome.accept,
    skip: skip(outcome.accept),
    weak: { correct: outcome.weak, cost: 1 },
    strong: { correct: outcome.strong, cost: 10 },
  }));

describe('routing metrics', () => {
  const routed = routingCurve(items(() => Number.NEGATIVE_INFINITY));

  it('traces quality and dollars from all-weak to all-strong', () => {
    expect(routed.map((point) => [point.strongShare, point.quality, point.cost])).toEqual([
      [0, 0.5, 4],
      [0.25, 0.75, 13],
      [0.5, 0.5, 22],
      [0.75, 0.75, 31],
      [1, 0.75, 40],
    ]);
  });

  it('computes APGR as the area under PGR (0, 1, 0, 1, 1 at quarter steps = 0.625)', () => {
    expect(averageGapRecovered(routed, 0.5, 0.75)).toBeCloseTo(0.625, 10);
  });

  it('interpolates CPT between curve points', () => {
    expect(callPerformanceThreshold(routed, 0.5, 0.75, 0.5)).toBeCloseTo(0.125, 10);
    expect(callPerformanceThreshold(routed, 0.5, 0.75, 0.8)).toBeCloseTo(0.2, 10);
    expect(callPerformanceThreshold(routed, 0.5, 0.75, 1.1)).toBeNull();
  });

  it('prices the point matching strong quality as a share of always-strong', () => {
    expect(costShareAtQuality(routed, 0.75, 40)).toBeCloseTo(13 / 40, 10);
  });

  it('charges a cascade both calls for every escalated request', () => {
    const cascade = routingCurve(items(() => Number.POSITIVE_INFINITY));
    expect(cascade.map((point) => point.cost)).toEqual([4, 14, 24, 34, 44]);
  });

  it('skips the weak call once the threshold passes the skip score', () => {
    // B's skip score 0.05 is below the first threshold: escalated without the weak call.
    const combined = routingCurve(items((accept) => (accept === 0.1 ? 0.05 : Number.POSITIVE_INFINITY)));
    expect(combined[1]!.cost).toBe(13);
  });

  it('moves requests with equal scores together, giving the random line', () => {
    const curve = routingCurve(items(() => Number.NEGATIVE_INFINITY).map((item) => ({ ...item, accept: 0 })));
    expect(curve).toHaveLength(2);
    expect(averageGapRecovered(curve, 0.5, 0.75)).toBeCloseTo(0.5, 10);
    expect(sampleCurve(curve, 4).map((point) => point.quality)).toEqual([0.5, 0.5625, 0.625, 0.6875, 0.75]);
  });
});
