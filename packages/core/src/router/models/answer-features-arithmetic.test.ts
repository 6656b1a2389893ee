import { describe, expect, it } from 'vitest';
import { calculationHolds, evaluateArithmetic, shownCalculations } from './answer-features-arithmetic';

describe('shown arithmetic', () => {
  it('evaluates whole expressions with precedence, parentheses and percentages', () => {
    expect(evaluateArithmetic('8*5*60/100')).toBe(24);
    expect(evaluateArithmetic('2 + 3 x 4')).toBe(14);
    expect(evaluateArithmetic('(2 + 3) × 4')).toBe(20);
    expect(evaluateArithmetic('$1,200 * 15%')).toBeCloseTo(180);
    expect(evaluateArithmetic('5 / 0')).toBeUndefined();
    expect(evaluateArithmetic('five * 2')).toBeUndefined();
  });

  it('finds calculator annotations and text chains, and checks them', () => {
    const calculations = shownCalculations(
      'So 15 + 25 + 10 = 50 cups. She pays 8 x $5 x 60% = $<<8*5*60/100=24>>24. Then 20 \\* 3 = 70.',
    );
    const verdicts = calculations.map((calculation) => [calculation.claimed, calculationHolds(calculation)]);
    expect(verdicts).toEqual(
      expect.arrayContaining([
        [24, true],
        [50, true],
        [70, false],
      ]),
    );
  });

  it('does not read a fraction result as a whole number', () => {
    const [calculation] = shownCalculations('It took 80 / 120 = 2/3 of an hour');
    expect(calculation).toBeUndefined();
  });

  it('notices when the text after an annotation differs from its result', () => {
    const [calculation] = shownCalculations('She earns <<4*20+7=87>>78 dollars');
    expect(calculation?.written).toBe(78);
    expect(calculation?.claimed).toBe(87);
  });
});
