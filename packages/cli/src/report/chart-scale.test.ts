import { describe, expect, it } from 'vitest';
import { linearScale } from './chart-scale';

describe('linearScale', () => {
  it('widens the domain to round ticks that cover every value', () => {
    const scale = linearScale([0.013, 0.217], [0, 100]);
    expect(scale.ticks).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(scale(0)).toBe(0);
    expect(scale(0.25)).toBe(100);
  });

  it('maps onto a reversed pixel range (SVG y grows downwards)', () => {
    const scale = linearScale([0, 1], [300, 20]);
    expect(scale(0)).toBe(300);
    expect(scale(1)).toBe(20);
  });

  it('ticks counts on whole numbers and survives a single value', () => {
    expect(linearScale([1, 3], [0, 1], { integer: true }).ticks).toEqual([1, 2, 3]);
    const flat = linearScale([5, 5], [0, 1]);
    expect(flat.domain[0]).toBeLessThan(5);
    expect(flat.domain[1]).toBeGreaterThan(5);
    expect(linearScale([], [0, 1]).ticks.length).toBeGreaterThan(1);
  });
});
