import { describe, expect, it } from 'vitest';
import { TierCircuitBreakers } from './circuit-breaker';

describe('TierCircuitBreakers', () => {
  it('opens after repeated failures, closes after the cool-down, and re-opens on a failed probe', () => {
    let now = 0;
    const breakers = new TierCircuitBreakers({ failureThreshold: 3, cooldownMs: 1000 }, () => now);
    breakers.recordFailure('cheap');
    breakers.recordFailure('cheap');
    expect(breakers.isOpen('cheap')).toBe(false);
    breakers.recordFailure('cheap');
    expect(breakers.isOpen('cheap')).toBe(true);
    expect(breakers.isOpen('strong')).toBe(false);
    now = 1000;
    expect(breakers.isOpen('cheap')).toBe(false);
    // The probe after the cool-down fails: open again at once, without three more failures.
    breakers.recordFailure('cheap');
    expect(breakers.isOpen('cheap')).toBe(true);
    now = 2000;
    breakers.recordSuccess('cheap');
    breakers.recordFailure('cheap');
    expect(breakers.isOpen('cheap')).toBe(false);
  });

  it('counts failures in a row only: a success in between starts over', () => {
    const breakers = new TierCircuitBreakers({ failureThreshold: 2 });
    breakers.recordFailure('cheap');
    breakers.recordSuccess('cheap');
    breakers.recordFailure('cheap');
    expect(breakers.isOpen('cheap')).toBe(false);
  });
});
