import { describe, expect, it } from 'vitest';
import { PAIR_FEATURES, pairFeatures } from './pair-features';

const feature = (values: Float32Array, name: (typeof PAIR_FEATURES)[number]) =>
  values[PAIR_FEATURES.indexOf(name)]!;

describe('pairFeatures', () => {
  it('returns one value per named feature', () => {
    expect(pairFeatures('a', 'b', 0.5)).toHaveLength(PAIR_FEATURES.length);
  });

  it('sees identical wording as fully overlapping and guard-clean', () => {
    const values = pairFeatures('How do I reset my password?', 'How do I reset my password?', 1);
    expect(feature(values, 'word-jaccard')).toBe(1);
    expect(feature(values, 'char-trigram-jaccard')).toBe(1);
    expect(feature(values, 'guards-pass')).toBe(1);
    expect(feature(values, 'log-distance')).toBeCloseTo(1, 5);
  });

  it('flags the detail that changed in a look-alike', () => {
    const numbers = pairFeatures('What is 10% of 50?', 'What is 6% of 50?', 0.98);
    expect(feature(numbers, 'number-mismatches')).toBeGreaterThan(0);
    expect(feature(numbers, 'guards-pass')).toBe(0);
    const negation = pairFeatures('Which fruits are acidic?', 'Which fruits are not acidic?', 0.95);
    expect(feature(negation, 'negation-differs')).toBe(1);
    const order = pairFeatures('Convert USD to EUR', 'Convert EUR to USD', 0.97);
    expect(feature(order, 'order-reversed')).toBe(1);
    expect(feature(order, 'word-jaccard')).toBe(1);
  });
});
