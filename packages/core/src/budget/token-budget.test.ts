import { describe, expect, it } from 'vitest';
import { CostLedger } from '../ledger/cost-ledger';
import type { OutputLengthPredictor } from '../router/models/load-output-length';
import { chatRequest } from '../test-utils/cache-fixtures';
import { InvalidTokenBudgetError } from './invalid-token-budget-error';
import { outputLimit, planTokenBudget } from './token-budget';

/** Predicts 100 tokens at the median and 300 at the 0.9 quantile, like a spread-out length model. */
const predictor: OutputLengthPredictor = {
  id: 'test',
  predict: (_features, options = {}) => ((options.quantile ?? 0.5) >= 0.9 ? 300 : 100),
};

const request = chatRequest('Explain step by step how to compute the compound interest on a loan.');

describe('planTokenBudget', () => {
  it('gives the answer the predicted length at the quantile and the prompt the rest', () => {
    const plan = planTokenBudget(request, { totalTokens: 1000, outputLength: predictor });
    expect(plan).toEqual({ totalTokens: 1000, outputTokens: 300, promptTokens: 700 });
    const median = planTokenBudget(request, {
      totalTokens: 1000,
      outputLength: predictor,
      outputQuantile: 0.5,
    });
    expect(median.promptTokens).toBe(900);
  });

  it('keeps a quarter of a small budget for the prompt', () => {
    expect(planTokenBudget(request, { totalTokens: 200, outputLength: predictor })).toEqual({
      totalTokens: 200,
      outputTokens: 150,
      promptTokens: 50,
    });
  });

  it('uses the shipped output-length model by default: a higher quantile gives a higher limit', () => {
    const low = planTokenBudget(request, { totalTokens: 100_000, outputQuantile: 0.5 });
    const high = planTokenBudget(request, { totalTokens: 100_000, outputQuantile: 0.95 });
    expect(low.outputTokens).toBeGreaterThan(0);
    expect(high.outputTokens).toBeGreaterThan(low.outputTokens);
  });

  it('lowers the output limit when the compressed prompt is over its share, never below 1', () => {
    const plan = planTokenBudget(request, { totalTokens: 1000, outputLength: predictor });
    expect(outputLimit(plan, 650)).toBe(300);
    expect(outputLimit(plan, 900)).toBe(100);
    expect(outputLimit(plan, 1200)).toBe(1);
  });

  it('refuses a budget it cannot plan with a typed error', () => {
    expect(() => planTokenBudget(request, { totalTokens: 0, outputLength: predictor })).toThrow(
      InvalidTokenBudgetError,
    );
    expect(() => planTokenBudget(request, { totalTokens: Number.NaN })).toThrow(InvalidTokenBudgetError);
    expect(() => planTokenBudget(request, { totalTokens: 500, outputQuantile: 1 })).toThrow(
      InvalidTokenBudgetError,
    );
  });
});

describe('truncation in the ledger', () => {
  it('counts calls cut at their output limit, so a budget that is too tight shows up', () => {
    const ledger = new CostLedger();
    const entry = {
      model: 'openai:gpt-4o-mini',
      stage: 'compression' as const,
      spent: { inputTokens: 400, outputTokens: 100 },
      baseline: { inputTokens: 900, outputTokens: 100 },
    };
    ledger.record({ ...entry, traceId: 'a', truncated: true });
    ledger.record({ ...entry, traceId: 'b' });
    expect(ledger.totals().truncatedCalls).toBe(1);
    expect(ledger.entries().find((record) => record.traceId === 'a')?.truncated).toBe(true);
  });
});
