import { describe, expect, it } from 'vitest';
import { sweepThresholds } from './threshold-sweep';

describe('sweepThresholds', () => {
  it('visits 0.70 to 0.98 by 0.02 by default, both ends included', () => {
    const thresholds = sweepThresholds();
    expect(thresholds).toHaveLength(15);
    expect(thresholds[0]).toBe(0.7);
    expect(thresholds.at(-1)).toBe(0.98);
    expect(thresholds[1]).toBe(0.72);
  });

  it('rejects a step that would never end', () => {
    expect(() => sweepThresholds(0.7, 0.9, 0)).toThrow(RangeError);
  });
});
