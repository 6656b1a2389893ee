import { describe, expect, it } from 'vitest';
import { CostLedger } from '../ledger/cost-ledger';
import { createPricing } from '../pricing/create-pricing';
import { recordPipelineCall } from './record-pipeline-call';

/** Two tiers with the user's own rates, so every dollar below follows from them. */
const STRONG = { inputPerMillion: 10, outputPerMillion: 30 };
const CHEAP = { inputPerMillion: 0.5, outputPerMillion: 1.5 };
const dollars = (rates: typeof STRONG, input: number, output: number) =>
  (input * rates.inputPerMillion + output * rates.outputPerMillion) / 1e6;

function ledger(): CostLedger {
  return new CostLedger({ pricing: createPricing({ overrides: { strong: STRONG, cheap: CHEAP } }) });
}

describe('recordPipelineCall', () => {
  it('splits a routed, compressed call priced against a recorded baseline call by stage', () => {
    const record = recordPipelineCall(ledger(), {
      traceId: 't1',
      baselineModel: 'strong',
      compression: { tokensBefore: 3_000, tokensAfter: 1_000 },
      answered: { model: 'cheap', usage: { inputTokens: 1_000, outputTokens: 200 } },
      baseline: { usage: { inputTokens: 3_000, outputTokens: 250 }, source: 'recorded' },
    });
    const baseline = dollars(STRONG, 3_000, 250);
    const spent = dollars(CHEAP, 1_000, 200);
    expect(record.baselineSource).toBe('recorded');
    expect(record.saved.dollars).toBeCloseTo(baseline - spent, 12);
    const split = record.savedByStage;
    expect(split?.compression.dollars).toBeCloseTo(dollars(STRONG, 2_000, 0), 12);
    expect(split?.cache.dollars).toBe(0);
    expect(split?.cascade.dollars).toBe(0);
    const sum = Object.values(split ?? {}).reduce((total, stage) => total + stage.dollars, 0);
    expect(sum).toBeCloseTo(record.saved.dollars, 12);
    expect(split?.routing.dollars).toBeGreaterThan(0);
  });

  it('charges an escalated cascade its extra call under "cascade", never as a saving', () => {
    const record = recordPipelineCall(ledger(), {
      traceId: 't2',
      baselineModel: 'strong',
      answered: { model: 'strong', usage: { inputTokens: 500, outputTokens: 100 } },
      extraCalls: [{ model: 'cheap', usage: { inputTokens: 500, outputTokens: 80 } }],
      baseline: { usage: { inputTokens: 500, outputTokens: 100 }, source: 'call' },
    });
    expect(record.savedByStage?.cascade.dollars).toBeCloseTo(-dollars(CHEAP, 500, 80), 12);
    expect(record.saved.dollars).toBeLessThan(0);
  });

  it('gives a cache hit the whole saving, priced on the original call of the stored answer', () => {
    const record = recordPipelineCall(ledger(), {
      traceId: 't3',
      baselineModel: 'strong',
      cacheHit: { model: 'strong', usage: { inputTokens: 40, outputTokens: 60 } },
    });
    expect(record.baselineSource).toBe('recorded');
    expect(record.spent.dollars).toBe(0);
    expect(record.savedByStage?.cache.dollars).toBeCloseTo(dollars(STRONG, 40, 60), 12);
    expect(record.savedByStage?.routing.dollars).toBe(0);
  });

  it('without a baseline call or record, credits only what was measured, never routing', () => {
    const record = recordPipelineCall(ledger(), {
      traceId: 't4',
      baselineModel: 'strong',
      compression: { tokensBefore: 900, tokensAfter: 300 },
      answered: { model: 'cheap', usage: { inputTokens: 300, outputTokens: 50 } },
    });
    expect(record.baselineSource).toBe('input-only');
    expect(record.baselineModel).toBe('cheap');
    expect(record.savedByStage?.routing.dollars).toBeCloseTo(0, 12);
    expect(record.savedByStage?.compression.dollars).toBeCloseTo(dollars(CHEAP, 600, 0), 12);
  });

  it('takes a call no stage changed as its own baseline call: nothing saved', () => {
    const ledgerWithTotals = ledger();
    const record = recordPipelineCall(ledgerWithTotals, {
      traceId: 't5',
      baselineModel: 'strong',
      answered: { model: 'strong', usage: { inputTokens: 100, outputTokens: 20 } },
    });
    expect([record.baselineSource, record.saved.dollars]).toEqual(['call', 0]);
    expect(ledgerWithTotals.totals().savedByStage?.routing.dollars).toBe(0);
  });
});
