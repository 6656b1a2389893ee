import { describe, expect, it } from 'vitest';
import { areaUnderRoc } from './area-under-roc';

describe('areaUnderRoc', () => {
  it('is 1 when every positive scores above every negative, 0 when below, 0.5 for ties', () => {
    expect(areaUnderRoc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(areaUnderRoc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(areaUnderRoc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });
});
