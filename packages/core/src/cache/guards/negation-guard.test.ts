import { describe, expect, it } from 'vitest';
import { negationGuard } from './negation-guard';

describe('negationGuard', () => {
  it('fails when only one question is negated', () => {
    expect(negationGuard('Which fruits are acidic?', 'Which fruits are not acidic?').pass).toBe(false);
    expect(negationGuard('Can I travel with a visa?', 'Can I travel without a visa?').pass).toBe(false);
    expect(negationGuard('Why does it compile?', "Why doesn't it compile?").pass).toBe(false);
    expect(negationGuard('List all primes', 'List all primes except 2').pass).toBe(false);
  });

  it('passes negations written differently', () => {
    expect(negationGuard("Why doesn't my code compile?", 'Why does my code not compile?').pass).toBe(true);
    expect(negationGuard("No, it doesn't exist in 2.10", 'It does not exist in 2.10').pass).toBe(true);
    expect(negationGuard('whether or not a cast is needed', 'whether or not a cast is not needed').pass).toBe(
      false,
    );
  });
});
