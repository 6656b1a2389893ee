import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURE_NAMES, answerFeatures, finalAnswer, heuristicAnswerScore } from './answer-features';

const prompt =
  'Janet has 16 eggs. She eats 3 and bakes with 4. She sells the rest at $2 each. How much does she make?';
const feature = (answer: string, name: (typeof ANSWER_FEATURE_NAMES)[number]) =>
  answerFeatures(prompt, answer)[ANSWER_FEATURE_NAMES.indexOf(name)];

describe('answer features', () => {
  it('finds the final answer after a marker, else the last number', () => {
    expect(finalAnswer('16 - 7 = 9 eggs, 9 * 2 = 18\n#### 18')).toBe(18);
    expect(finalAnswer('She makes 1,250 dollars')).toBe(1250);
    expect(finalAnswer('no numbers here')).toBeUndefined();
  });

  it('checks the arithmetic an answer shows', () => {
    expect(feature('16 - 7 = 9, then 9 * 2 = 18\n#### 18', 'equations-wrong-share')).toBe(0);
    expect(feature('16 - 7 = 9, then 9 * 2 = 20\n#### 20', 'equations-wrong-share')).toBe(0.5);
    expect(feature('She sells 9 for $<<9*2=18>>18.\n#### 18', 'final-equals-last-result')).toBe(1);
  });

  it('scores a clean worked answer above a hedging, wrong-arithmetic or refusing one', () => {
    const clean = heuristicAnswerScore(prompt, '16 - 3 - 4 = 9 eggs. 9 * 2 = 18.\n#### 18');
    const sloppy = heuristicAnswerScore(prompt, 'Maybe she makes about 9 * 2 = 20, assuming');
    expect(clean).toBeGreaterThan(sloppy);
    expect(heuristicAnswerScore(prompt, "I can't answer that.")).toBe(0);
    expect(heuristicAnswerScore(prompt, '')).toBe(0);
  });
});
