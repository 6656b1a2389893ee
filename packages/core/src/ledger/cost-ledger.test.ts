import { describe, expect, it } from 'vitest';
import { createPricing } from '../pricing/create-pricing';
import { CostLedger } from './cost-ledger';
import { InvalidLedgerEntryError } from './invalid-ledger-entry-error';
import type { LedgerRecord } from './types';

const rates = {
  small: { inputPerMillion: 0.5, outputPerMillion: 2, cachedInputPerMillion: 0.25 },
  large: { inputPerMillion: 5, outputPerMillion: 20 },
};
const pricing = createPricing({ registry: false, overrides: rates });
const dollars = (model: 'small' | 'large', input: number, output: number) =>
  (input * rates[model].inputPerMillion + output * rates[model].outputPerMillion) / 1_000_000;

describe('CostLedger', () => {
  it('records a cache hit as nothing spent against the stored answer’s real usage', () => {
    const ledger = new CostLedger({ pricing });
    const record = ledger.record({
      traceId: 't1',
      model: 'large',
      stage: 'cache',
      spent: { inputTokens: 0, outputTokens: 0 },
      baseline: { inputTokens: 1_200, outputTokens: 300 },
      scope: { tenant: 'acme' },
    });
    expect(record.spent).toEqual({ usage: { inputTokens: 0, outputTokens: 0 }, tokens: 0, dollars: 0 });
    expect(record.baseline.dollars).toBeCloseTo(dollars('large', 1_200, 300), 12);
    expect(record.saved).toEqual({ tokens: 1_500, dollars: record.baseline.dollars });
    expect(ledger.totals().savedShare).toEqual({ tokens: 1, dollars: 1 });
  });

  it('totals calls, spent, baseline, saved and savedShare by stage, model and tenant', () => {
    const ledger = new CostLedger({ pricing });
    ledger.record({
      traceId: 'hit',
      model: 'large',
      stage: 'cache',
      spent: {},
      baseline: { inputTokens: 1_000, outputTokens: 200 },
      scope: { tenant: 'acme' },
    });
    ledger.record({
      traceId: 'plain',
      model: 'large',
      stage: 'none',
      spent: { inputTokens: 800, outputTokens: 200 },
      baseline: { inputTokens: 800, outputTokens: 200 },
      scope: { tenant: 'globex' },
    });
    ledger.record({
      traceId: 'routed',
      model: 'small',
      baselineModel: 'large',
      stage: 'router',
      spent: { inputTokens: 500, outputTokens: 100 },
      baseline: { inputTokens: 500, outputTokens: 100 },
      scope: { tenant: 'acme' },
    });

    const totals = ledger.totals();
    const spentDollars = dollars('large', 800, 200) + dollars('small', 500, 100);
    const baselineDollars =
      dollars('large', 1_000, 200) + dollars('large', 800, 200) + dollars('large', 500, 100);
    expect(totals.calls).toBe(3);
    expect(totals.spent.tokens).toBe(1_600);
    expect(totals.baseline.tokens).toBe(2_800);
    expect(totals.saved.tokens).toBe(1_200);
    expect(totals.spent.dollars).toBeCloseTo(spentDollars, 12);
    expect(totals.saved.dollars).toBeCloseTo(baselineDollars - spentDollars, 12);
    expect(totals.savedShare.tokens).toBeCloseTo(1_200 / 2_800, 12);
    expect(totals.savedShare.dollars).toBeCloseTo((baselineDollars - spentDollars) / baselineDollars, 12);
    expect(totals.spent.usage).toEqual({
      inputTokens: 1_300,
      cachedInputTokens: 0,
      outputTokens: 300,
      reasoningTokens: 0,
    });

    const byStage = ledger.totalsBy('stage');
    expect(Object.keys(byStage).sort()).toEqual(['cache', 'none', 'router']);
    expect(byStage.none!.saved.tokens).toBe(0);
    expect(byStage.router!.saved.tokens).toBe(0);
    expect(byStage.router!.saved.dollars).toBeCloseTo(
      dollars('large', 500, 100) - dollars('small', 500, 100),
      12,
    );

    expect(ledger.totalsBy('tenant').acme!.calls).toBe(2);
    expect(ledger.totalsBy('model').small!.calls).toBe(1);
    expect(ledger.totals({ scope: { tenant: 'globex' } }).calls).toBe(1);
    expect(ledger.totals({ stage: ['cache', 'router'] }).calls).toBe(2);
    expect(ledger.entries({ traceId: 'routed' })[0]!.baselineModel).toBe('large');
  });

  it('charges a cascade for every attempt, so an escalation shows as a negative saving', () => {
    const ledger = new CostLedger({ pricing });
    const record = ledger.record({
      traceId: 'cascade',
      model: 'large',
      stage: 'router',
      spent: { inputTokens: 1_000, outputTokens: 100 },
      additionalSpent: [{ model: 'small', usage: { inputTokens: 1_000, outputTokens: 120 } }],
      baseline: { inputTokens: 1_000, outputTokens: 100 },
    });
    expect(record.spent.tokens).toBe(2_220);
    expect(record.spent.usage).toEqual({ inputTokens: 2_000, outputTokens: 220 });
    expect(record.spent.calls?.map((call) => call.model)).toEqual(['large', 'small']);
    expect(record.saved.tokens).toBe(-1_120);
    expect(record.saved.dollars).toBeCloseTo(-dollars('small', 1_000, 120), 12);
  });

  it('prices cached input tokens of the spent call at the cached rate', () => {
    const ledger = new CostLedger({ pricing });
    const record = ledger.record({
      traceId: 'prompt-cache',
      model: 'small',
      stage: 'none',
      spent: { inputTokens: 1_000_000, cachedInputTokens: 600_000, outputTokens: 0 },
      baseline: { inputTokens: 1_000_000, outputTokens: 0 },
    });
    expect(record.spent.dollars).toBeCloseTo(0.4 * 0.5 + 0.6 * 0.25, 12);
    expect(record.baseline.dollars).toBeCloseTo(0.5, 12);
  });

  it("prices each call at the entry's own rates when given, over the ledger's pricing", () => {
    const ledger = new CostLedger({ pricing });
    const tuned = { inputPerMillion: 1, outputPerMillion: 4 };
    const negotiated = { inputPerMillion: 3, outputPerMillion: 9, cachedInputPerMillion: 1.5 };
    const record = ledger.record({
      traceId: 'own-rates',
      // A fine-tuned model no pricing knows, escalated to `large` at a negotiated rate.
      model: 'large',
      price: negotiated,
      stage: 'router',
      spent: { inputTokens: 1_000, cachedInputTokens: 400, outputTokens: 100 },
      additionalSpent: [
        { model: 'ft:small:acme', usage: { inputTokens: 1_000, outputTokens: 80 }, price: tuned },
      ],
      baseline: { inputTokens: 1_000, outputTokens: 100 },
      baselinePrice: negotiated,
    });
    const largeCall = (600 * 3 + 400 * 1.5 + 100 * 9) / 1e6;
    const tunedCall = (1_000 * 1 + 80 * 4) / 1e6;
    expect(record.priceKnown).toBe(true);
    expect(record.unpricedModels).toBeUndefined();
    expect(record.spent.calls?.[0]?.dollars).toBeCloseTo(largeCall, 12);
    expect(record.spent.calls?.[1]?.dollars).toBeCloseTo(tunedCall, 12);
    expect(record.spent.dollars).toBeCloseTo(largeCall + tunedCall, 12);
    expect(record.baseline.dollars).toBeCloseTo((1_000 * 3 + 100 * 9) / 1e6, 12);
    expect(record.saved.dollars).toBeCloseTo(record.baseline.dollars - record.spent.dollars, 12);
    // Without rates in the entry the same model is priced by the ledger's pricing again.
    expect(
      ledger.record({
        traceId: 'q',
        model: 'large',
        stage: 'none',
        spent: { inputTokens: 1_000, outputTokens: 100 },
        baseline: { inputTokens: 1_000, outputTokens: 100 },
      }).spent.dollars,
    ).toBeCloseTo(dollars('large', 1_000, 100), 12);
  });

  it('still flags an unknown model whose entry gives no rates, next to one that does', () => {
    const ledger = new CostLedger({ pricing });
    const record = ledger.record({
      traceId: 'mixed',
      model: 'self-hosted-llama',
      price: { inputPerMillion: 0.2, outputPerMillion: 0.2 },
      stage: 'router',
      spent: { inputTokens: 1_000 },
      additionalSpent: [{ model: 'mystery', usage: { inputTokens: 500 } }],
      baseline: { inputTokens: 1_000 },
      baselineModel: 'large',
    });
    expect(record.priceKnown).toBe(false);
    expect(record.unpricedModels).toEqual(['mystery']);
    expect(record.spent.calls?.[0]?.dollars).toBeCloseTo((1_000 * 0.2) / 1e6, 12);
    expect(record.spent.calls?.[1]?.dollars).toBe(0);
    expect(record.saved.dollars).toBe(0);
  });

  it('rejects rates that are not non-negative dollars per million tokens', () => {
    const ledger = new CostLedger({ pricing });
    const attempt = () =>
      ledger.record({
        traceId: 'bad-rate',
        model: 'small',
        stage: 'router',
        spent: {},
        baseline: {},
        additionalSpent: [{ model: 'x', usage: {}, price: { inputPerMillion: 1, outputPerMillion: -2 } }],
      });
    expect(attempt).toThrow(/outputPerMillion -2/);
    try {
      attempt();
    } catch (error) {
      expect(InvalidLedgerEntryError.isInstance(error)).toBe(true);
    }
  });

  it('flags a model without a price and keeps it out of dollar savings', () => {
    const ledger = new CostLedger({ pricing });
    ledger.record({
      traceId: 'a',
      model: 'large',
      stage: 'cache',
      spent: {},
      baseline: { inputTokens: 1_000 },
    });
    const unpriced = ledger.record({
      traceId: 'b',
      model: 'mystery',
      baselineModel: 'large',
      stage: 'router',
      spent: { inputTokens: 1_000 },
      baseline: { inputTokens: 1_000 },
    });
    expect(unpriced.priceKnown).toBe(false);
    expect(unpriced.saved.dollars).toBe(0);
    const totals = ledger.totals();
    expect(totals.unpricedCalls).toBe(1);
    expect(totals.savedShare.dollars).toBe(1);
  });

  it('uses the registry prices by default', () => {
    const ledger = new CostLedger();
    const usage = { inputTokens: 2_000, outputTokens: 500 };
    const record = ledger.record({
      traceId: 'r',
      model: 'openai:gpt-4o-mini',
      stage: 'none',
      spent: usage,
      baseline: usage,
    });
    expect(record.priceKnown).toBe(true);
    expect(record.spent.dollars).toBe(createPricing().cost('openai:gpt-4o-mini', usage));
    expect(record.spent.dollars).toBeGreaterThan(0);
  });

  it('rejects a malformed entry with a typed error', () => {
    const ledger = new CostLedger({ pricing });
    const bad = () =>
      ledger.record({ traceId: 'x', model: 'small', stage: 'magic' as 'none', spent: {}, baseline: {} });
    expect(bad).toThrow(/stage 'magic'/);
    try {
      bad();
    } catch (error) {
      expect(InvalidLedgerEntryError.isInstance(error)).toBe(true);
    }
  });

  it('keeps at most maxEntries in memory, dropping the oldest', () => {
    const ledger = new CostLedger({ pricing, maxEntries: 5 });
    for (let index = 0; index < 12; index++) {
      ledger.record({ traceId: `t${index}`, model: 'small', stage: 'none', spent: {}, baseline: {} });
    }
    const kept = ledger.entries().map((record) => record.traceId);
    expect(kept.length).toBeLessThanOrEqual(5);
    expect(kept.at(-1)).toBe('t11');
    expect(kept).not.toContain('t0');
  });

  it('loads more records than a function call takes arguments, keeping the newest', () => {
    const template = new CostLedger({ pricing }).record({
      traceId: 'x',
      model: 'small',
      stage: 'none',
      spent: {},
      baseline: {},
    });
    const ledger = new CostLedger({ pricing, maxEntries: 1_000 });
    ledger.load(Array.from({ length: 300_000 }, (_, index) => ({ ...template, traceId: `t${index}` })));
    const kept = ledger.entries();
    expect(kept).toHaveLength(1_000);
    expect(kept.at(-1)!.traceId).toBe('t299999');
  });

  it('never fails a call when a sink throws or rejects', async () => {
    const errors: unknown[] = [];
    const ledger = new CostLedger({
      pricing,
      sinks: [
        {
          write() {
            throw new Error('disk full');
          },
        },
        { write: () => Promise.reject(new Error('network down')) },
      ],
      onSinkError: (error) => errors.push(error),
    });
    const record: LedgerRecord = ledger.record({
      traceId: 's',
      model: 'small',
      stage: 'none',
      spent: {},
      baseline: {},
    });
    expect(record.traceId).toBe('s');
    await ledger.flush();
    expect(errors.map((error) => (error as Error).message).sort()).toEqual(['disk full', 'network down']);
    expect(ledger.totals().calls).toBe(1);
  });
});
