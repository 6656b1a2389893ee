import { describe, expect, it } from 'vitest';
import { nearbyUnitVector, randomUnitVector } from './random-vectors';
import { runSemanticScale } from './semantic-scale';

describe('random vectors', () => {
  it('are unit length, reproducible, and a nearby vector sits at the asked similarity', () => {
    const base = randomUnitVector(64, 1, 5);
    expect(randomUnitVector(64, 1, 5)).toEqual(base);
    expect(randomUnitVector(64, 1, 6)).not.toEqual(base);
    const near = nearbyUnitVector(base, 0.9, 1, 0);
    const dot = base.reduce((sum, value, index) => sum + value * near[index]!, 0);
    const norm = Math.sqrt(near.reduce((sum, value) => sum + value * value, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(dot).toBeCloseTo(0.9, 5);
  });
});

describe('runSemanticScale', () => {
  it('finds the stored vector each query was made from, and reports latency and RSS', async () => {
    const result = await runSemanticScale({ entries: 500, queries: 50, dimensions: 64 });
    expect(result.entries).toBe(500);
    expect(result.recallAt1).toBeGreaterThan(0.9);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.rssMb).toBeGreaterThan(0);
    expect(result.index).toContain('HnswVectorIndex');
  });
});
