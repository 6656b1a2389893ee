import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random';
import { coverageDistance, coverageRatio, fitCoverage, isCovered } from './prior-coverage';

describe('prior coverage', () => {
  it('covers most training points and nothing far from them', () => {
    const generator = createSeededRandom(3);
    // Two clouds of training points around (0, 0) and (10, 10).
    const training = Array.from({ length: 400 }, (_, index) => {
      const center = index % 2 === 0 ? 0 : 10;
      return [center + generator.normal(), center + generator.normal()];
    });
    const coverage = fitCoverage(training, { clusters: 4, random: generator.next });
    const inside = training.filter(
      (point) => coverageDistance(coverage, point) <= coverage.maxDistance,
    ).length;
    expect(inside / training.length).toBeGreaterThanOrEqual(0.95);
    expect(coverageDistance(coverage, [0.3, -0.2])).toBeLessThanOrEqual(coverage.maxDistance);
    expect(coverageDistance(coverage, [30, -20])).toBeGreaterThan(coverage.maxDistance);
    // Between the clouds is not training data either.
    expect(coverageDistance(coverage, [5, 5])).toBeGreaterThan(coverage.maxDistance);
  });

  it('standardizes features of different scales, and a vector of another size is never covered', () => {
    const generator = createSeededRandom(4);
    const training = Array.from({ length: 200 }, () => [1000 * generator.normal(), generator.normal()]);
    const coverage = fitCoverage(training, {
      clusters: 2,
      standardizeFeatures: true,
      random: generator.next,
    });
    // 6 standard deviations off on the small feature is far, though tiny in raw units.
    expect(coverageDistance(coverage, [0, 6])).toBeGreaterThan(coverage.maxDistance);
    expect(coverageDistance(coverage, [0, 0, 0])).toBe(Number.POSITIVE_INFINITY);
  });

  it("measures in each cluster's own radius, and a calibrated threshold tightens the coverage", () => {
    const generator = createSeededRandom(5);
    // A tight cloud at (0, 0) and a wide one at (20, 20).
    const training = Array.from({ length: 400 }, (_, index) =>
      index % 2 === 0
        ? [0.1 * generator.normal(), 0.1 * generator.normal()]
        : [20 + 3 * generator.normal(), 20 + 3 * generator.normal()],
    );
    const coverage = fitCoverage(training, { clusters: 2, random: generator.next });
    // 1.5 away from the tight cloud: far in its radii, though the wide cloud's spread is larger.
    expect(isCovered(coverage, [1.5, 0])).toBe(false);
    expect(isCovered(coverage, [21.5, 20])).toBe(true);
    expect(isCovered(coverage, [0.05, 0])).toBe(true);
    const ratio = coverageRatio(coverage, [21.5, 20]);
    expect(isCovered({ ...coverage, threshold: ratio / 2 }, [21.5, 20])).toBe(false);
  });
});
