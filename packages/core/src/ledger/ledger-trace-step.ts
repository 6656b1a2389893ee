import type { TraceStep } from '../trace/trace';
import type { LedgerRecord } from './types';

/** The decision-trace entry for a ledger record, so a trace shows what the call cost and saved. */
export function ledgerTraceStep(record: LedgerRecord): TraceStep {
  const details: Record<string, unknown> = {
    spentTokens: record.spent.tokens,
    baselineTokens: record.baseline.tokens,
    savedTokens: record.saved.tokens,
    spentDollars: record.spent.dollars,
    savedDollars: record.saved.dollars,
  };
  if (record.baselineModel !== record.model) details.baselineModel = record.baselineModel;
  const step: TraceStep = { stage: 'ledger', decision: 'record', details };
  if (!record.priceKnown)
    step.reason = `no known price for ${(record.unpricedModels ?? [record.model]).join(', ')}`;
  return step;
}
