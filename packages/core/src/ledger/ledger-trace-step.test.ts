import { describe, expect, it } from 'vitest';
import { createPricing } from '../pricing/create-pricing';
import { CostLedger } from './cost-ledger';
import { ledgerTraceStep } from './ledger-trace-step';

const pricing = createPricing({
  registry: false,
  overrides: { large: { inputPerMillion: 10, outputPerMillion: 10 } },
});

describe('ledgerTraceStep', () => {
  it('shows tokens and dollars saved for a priced call', () => {
    const record = new CostLedger({ pricing }).record({
      traceId: 't',
      model: 'large',
      stage: 'cache',
      spent: {},
      baseline: { inputTokens: 100_000 },
    });
    expect(ledgerTraceStep(record)).toEqual({
      stage: 'ledger',
      decision: 'record',
      details: {
        spentTokens: 0,
        baselineTokens: 100_000,
        savedTokens: 100_000,
        spentDollars: 0,
        savedDollars: 1,
      },
    });
  });

  it('names exactly the models that had no price', () => {
    const record = new CostLedger({ pricing }).record({
      traceId: 't',
      model: 'mystery-small',
      baselineModel: 'large',
      stage: 'router',
      spent: { inputTokens: 10 },
      baseline: { inputTokens: 10 },
    });
    expect(record.unpricedModels).toEqual(['mystery-small']);
    expect(ledgerTraceStep(record).reason).toBe('no known price for mystery-small');
    expect(ledgerTraceStep(record).details).toMatchObject({ baselineModel: 'large' });
  });
});
