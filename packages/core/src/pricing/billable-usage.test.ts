import { describe, expect, it } from 'vitest';
import { billableUsage, totalTokens } from './billable-usage';

describe('billableUsage', () => {
  it('splits the prompt into uncached and cached parts', () => {
    expect(billableUsage({ inputTokens: 100, cachedInputTokens: 30, outputTokens: 7 })).toEqual({
      uncachedInputTokens: 70,
      cachedInputTokens: 30,
      outputTokens: 7,
    });
  });

  it('treats missing counts as zero and totals prompt plus completion', () => {
    expect(totalTokens({})).toBe(0);
    expect(
      totalTokens({ inputTokens: 100, cachedInputTokens: 30, outputTokens: 7, reasoningTokens: 5 }),
    ).toBe(107);
  });
});
