import { describe, expect, it } from 'vitest';
import { MissingOptionalDependencyError } from '../cache/errors';
import { HnswVectorIndex } from './hnsw-vector-index';
import { loadOptionalModule } from './load-optional-module';
import { MemoryVectorIndex } from './memory-vector-index';
import type { VectorIndex } from './types';

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}

/** Deterministic pseudo-random unit vectors. */
function randomVectors(count: number, dimensions: number, seed = 7): Float32Array[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296 - 0.5;
  };
  return Array.from({ length: count }, () => unit(Array.from({ length: dimensions }, next)));
}

describe.each([
  ['MemoryVectorIndex', () => new MemoryVectorIndex()],
  ['HnswVectorIndex', () => new HnswVectorIndex({ dtype: 'f32' })],
] as Array<[string, () => VectorIndex]>)('%s', (_name, create) => {
  it('returns the nearest vectors of the partition, best first, and never another partition', async () => {
    const index = create();
    await index.add('p1', 'east', unit([1, 0, 0]));
    await index.add('p1', 'north', unit([0, 1, 0]));
    await index.add('p1', 'north-east', unit([1, 1, 0]));
    await index.add('p2', 'exactly-east', unit([1, 0, 0]));
    const found = await index.search('p1', unit([1, 0.1, 0]), 2);
    expect(found.map((match) => match.key)).toEqual(['east', 'north-east']);
    expect(found[0]?.similarity).toBeCloseTo(0.995, 2);
    expect(await index.search('p3', unit([1, 0, 0]), 2)).toEqual([]);
  });

  it('forgets deleted and replaced vectors', async () => {
    const index = create();
    await index.add('p', 'a', unit([1, 0]));
    await index.add('p', 'b', unit([0, 1]));
    await index.delete(['a']);
    expect((await index.search('p', unit([1, 0]), 5)).map((match) => match.key)).toEqual(['b']);
    await index.add('p', 'b', unit([1, 0.01]));
    const [best] = await index.search('p', unit([1, 0]), 5);
    expect(best?.key).toBe('b');
    expect(best?.similarity).toBeGreaterThan(0.99);
  });

  it('finds the true nearest neighbour among a thousand 64-d vectors', async () => {
    const index = create();
    const vectors = randomVectors(1_000, 64);
    for (const [position, vector] of vectors.entries()) await index.add('p', `v${position}`, vector);
    const [best] = await index.search('p', vectors[123] as Float32Array, 1);
    expect(best?.key).toBe('v123');
  });
});

describe('loadOptionalModule', () => {
  it('names the package to install when it is missing', async () => {
    const failure = await loadOptionalModule('tokenomics-no-such-package', 'A test feature').catch(
      (error: unknown) => error,
    );
    expect(MissingOptionalDependencyError.isInstance(failure)).toBe(true);
    expect((failure as MissingOptionalDependencyError).packageName).toBe('tokenomics-no-such-package');
    expect((failure as Error).message).toContain('pnpm add tokenomics-no-such-package');
  });
});
