import { describe, expect, it } from 'vitest';
import { nearIdentical, sameSubjectPairs, substituteWord } from './extra-pairs';
import { seededRandom } from './random';

describe('extra pairs', () => {
  it('replaces exactly one lower-case content word with an unrelated one', () => {
    const random = seededRandom(3);
    const text = 'What is the refund policy for annual plans?';
    const pool = ['monthly', 'weekly', 'refunds', 'sorting', 'prices', 'premium', 'coverage'];
    for (let attempt = 0; attempt < 20; attempt++) {
      const swapped = substituteWord(text, pool, random)!;
      const before = text.split(' ');
      const after = swapped.split(' ');
      expect(after).toHaveLength(before.length);
      expect(after.filter((word, index) => word !== before[index])).toHaveLength(1);
      // Never a form of a word already there ("refunds"), never another ending class ("sorting").
      expect(swapped).not.toMatch(/refunds|sorting/);
    }
  });

  it('makes near-identical rewrites that differ from the text', () => {
    const random = seededRandom(5);
    const text = 'How do I sort a list in Python?';
    for (let attempt = 0; attempt < 20; attempt++) {
      const near = nearIdentical(text, random)!;
      expect(near).not.toBe(text);
      expect(near.toLowerCase()).toMatch(/sort a list in python/);
    }
  });

  it('pairs questions about the same subject that ask different things', () => {
    const pairs = sameSubjectPairs([
      'What is the difference between a list and a tuple in Python?',
      'How do I sort a list in Python?',
      'What is the boiling point of water?',
    ]);
    expect(pairs).toContainEqual([0, 1]);
    expect(pairs.some(([left, right]) => left === 2 || right === 2)).toBe(false);
  });
});
