import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './hashing-embedder';
import { cosineSimilarity } from './vector-math';

describe('HashingEmbedder', () => {
  it('is deterministic and unit length', async () => {
    const [first] = await new HashingEmbedder().embed(['Reset my password please']);
    const [again] = await new HashingEmbedder().embed(['Reset my password please']);
    expect(first).toEqual(again);
    expect(Math.hypot(...first!)).toBeCloseTo(1, 5);
  });

  it('places texts that share words closer than texts that share none', async () => {
    const [question, reworded, unrelated] = await new HashingEmbedder().embed([
      'how do I reset my password',
      'how can I reset the password',
      'best pizza in Naples',
    ]);
    expect(cosineSimilarity(question!, reworded!)).toBeGreaterThan(0.6);
    expect(cosineSimilarity(question!, unrelated!)).toBeLessThan(0.2);
  });

  it('returns a zero vector for text with no words, which is similar to nothing', async () => {
    const [empty, word] = await new HashingEmbedder({ dimensions: 32 }).embed(['?!', 'hello']);
    expect(cosineSimilarity(empty!, word!)).toBe(0);
  });
});
