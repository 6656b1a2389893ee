import { describe, expect, it } from 'vitest';
import { heldOutUnits } from './held-out-units';

describe('heldOutUnits', () => {
  it('holds one group out at a time when there are two groups or more', () => {
    const units = heldOutUnits([
      { group: 'billing', text: 'a' },
      { group: 'coding', text: 'b' },
    ]);
    expect(units.units).toEqual(['billing', 'coding']);
    expect(units.description).toContain('leave one group out');
  });

  it('with one group, splits by prompt text: the same text (any case) is always in the same fold', () => {
    const examples = Array.from({ length: 200 }, (_, index) => ({
      group: 'all',
      text: `question ${index % 50}`,
    }));
    examples.push({ group: 'all', text: '  QUESTION 7 ' });
    const { units } = heldOutUnits(examples);
    expect(new Set(units).size).toBe(5);
    expect(units[7]).toBe(units[57]);
    expect(units.at(-1)).toBe(units[7]);
  });
});
