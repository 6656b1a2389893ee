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

  it('checks whole calculations: a right multi-step one passes, a wrong one is flagged', () => {
    const right =
      'She sells 9 at $2: 16 - 3 - 4 = 9, and <<16*2*60/100=19.2>>19.2 in the other case.\n#### 18';
    const wrong = '16 - 3 - 4 = 9 eggs left. 9 * 2 = <<9*2=20>>20 dollars.\n#### 20';
    expect(feature(right, 'calculations-wrong-share')).toBe(0);
    expect(feature(wrong, 'calculations-wrong-share')).toBeGreaterThan(0);
    // The older two-operand check reads `60/100=19.2` out of the right one and calls it wrong.
    expect(feature(right, 'equations-wrong-share')).toBeGreaterThan(0);
  });

  it('notices operands from nowhere, a final answer no calculation produced and disagreeing final statements', () => {
    const grounded = '16 - 3 - 4 = 9. 9 * 2 = 18.\n#### 18';
    const invented = '16 - 3 - 4 = 9. 9 * 2.75 = 24.75, so in total, 24.75 dollars.\n#### 26';
    expect(feature(grounded, 'ungrounded-operands-share')).toBe(0);
    expect(feature(invented, 'ungrounded-operands-share')).toBeGreaterThan(0);
    expect(feature(grounded, 'final-from-calculation')).toBe(1);
    expect(feature(invented, 'final-from-calculation')).toBe(0);
    expect(feature(invented, 'final-statements-disagree')).toBe(1);
    expect(feature(grounded, 'final-statements-disagree')).toBe(0);
  });

  it('scores a clean worked answer above a hedging, wrong-arithmetic or refusing one', () => {
    const clean = heuristicAnswerScore(prompt, '16 - 3 - 4 = 9 eggs. 9 * 2 = 18.\n#### 18');
    const sloppy = heuristicAnswerScore(prompt, 'Maybe she makes about 9 * 2 = 20, assuming');
    expect(clean).toBeGreaterThan(sloppy);
    expect(heuristicAnswerScore(prompt, "I can't answer that.")).toBe(0);
    expect(heuristicAnswerScore(prompt, '')).toBe(0);
  });

  it('scores pathological 40,000-character answers without the quadratic stall they once caused', () => {
    // A long digit run once cost over a second at 20,000 characters (regex backtracking, quadratic), so
    // several seconds at 40,000. Linear work takes ~10-150 ms here even at load 30; the limit sits far
    // from both so load cannot fail it and the regression cannot pass it. Speed itself is a benchmark's job.
    for (const unit of ['1', '12,345,', '<<1+2=3>>']) {
      const answer = unit.repeat(Math.ceil(40_000 / unit.length));
      const start = performance.now();
      const features = answerFeatures(prompt, answer);
      expect(performance.now() - start).toBeLessThan(2_000);
      expect(features.every(Number.isFinite)).toBe(true);
    }
  });
});
