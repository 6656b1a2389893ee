import { describe, expect, it } from 'vitest';
import { checkGuards } from './check-guards';
import { stem, substitutedWords, substitutionGuard } from './substitution-guard';

describe('substitutionGuard', () => {
  it('fails when one lower-case detail word is swapped for an unrelated one', () => {
    const result = substitutionGuard(
      'What is the refund policy for annual plans?',
      'What is the refund policy for monthly plans?',
    );
    expect(result.pass).toBe(false);
    expect(result.pass === false && result.reason).toContain('"annual" / "month"');
    expect(
      substitutionGuard('How do I sort a list in Python?', 'How do I reverse a list in Python?').pass,
    ).toBe(false);
    expect(substitutionGuard('Which wines go with fish?', 'Which wines go with cheese?').pass).toBe(false);
  });

  it('still fails when a function word changes beside the swap', () => {
    expect(
      substitutionGuard('How do I sort a list in Python?', 'How can I reverse a list in Python?').pass,
    ).toBe(false);
  });

  it('passes identical texts, changed function words, other forms and insertions', () => {
    const question = 'How do I sort a list in Python?';
    expect(substitutionGuard(question, question).pass).toBe(true);
    expect(substitutionGuard(question, 'how do i sort a list in python').pass).toBe(true);
    expect(substitutionGuard(question, 'How can I sort a list in Python?').pass).toBe(true);
    expect(substitutionGuard(question, 'How do I sort lists in Python?').pass).toBe(true);
    expect(substitutionGuard(question, 'Sorting a list in Python?').pass).toBe(true);
    expect(
      substitutionGuard('What is the capital of France?', 'What is the capital city of France?').pass,
    ).toBe(true);
    expect(substitutionGuard('What is the annual fee?', 'What is the fee charged annually?').pass).toBe(true);
  });

  it('leaves reworded questions to the verifier', () => {
    // Swaps in a reworded sentence or under another framing are synonyms as often as not.
    expect(
      substitutionGuard(
        'Explain the importance of the Silk Road.',
        'What is the significance of the Silk Road?',
      ).pass,
    ).toBe(true);
    expect(
      substitutionGuard(
        'In 1995, what was the population of France?',
        'How many people lived in France in 1995?',
      ).pass,
    ).toBe(true);
    expect(substitutedWords('Tell me a joke', 'Write a poem about the sea')).toEqual([]);
  });

  it('does not compare very long texts', () => {
    const long = 'word '.repeat(5000);
    expect(substitutionGuard(`${long} alpha`, `${long} beta`).pass).toBe(true);
  });

  it('is part of checkGuards and can be skipped', () => {
    const stored = { query: 'What is the refund policy for annual plans?', context: '' };
    const query = { query: 'What is the refund policy for monthly plans?', context: '' };
    expect(checkGuards(stored, query)).toMatchObject({ pass: false, failed: 'substitution' });
    expect(checkGuards(stored, query, { skip: ['substitution'] }).pass).toBe(true);
  });
});

describe('stem', () => {
  it('maps word forms to one stem', () => {
    expect(stem('sorting')).toBe(stem('sort'));
    expect(stem('plans')).toBe(stem('plan'));
    expect(stem('using')).toBe(stem('use'));
    expect(stem('running')).toBe(stem('run'));
    expect(stem('sort')).not.toBe(stem('reverse'));
  });
});
