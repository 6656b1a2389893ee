import type { Usage } from '../cache/cached-response';
import type { LedgerDimension, LedgerFilter, LedgerRecord, LedgerTotals, SavingStage } from './types';

/** Adds up records. */
export function sumRecords(records: Iterable<LedgerRecord>): LedgerTotals {
  const spent = { usage: emptyUsage(), tokens: 0, dollars: 0 };
  const baseline = { usage: emptyUsage(), tokens: 0, dollars: 0 };
  let calls = 0;
  let unpricedCalls = 0;
  let truncatedCalls = 0;
  let savedDollars = 0;
  // The dollar share is taken over priced records only; otherwise an unpriced model would show
  // as free and its whole baseline as saved.
  let pricedBaselineDollars = 0;
  let byStage: LedgerTotals['savedByStage'];
  for (const record of records) {
    calls++;
    if (record.savedByStage) {
      byStage ??= { cache: zero(), compression: zero(), routing: zero(), cascade: zero() };
      for (const [stage, saved] of Object.entries(record.savedByStage) as Array<[SavingStage, Money]>) {
        byStage[stage].tokens += saved.tokens;
        byStage[stage].dollars += saved.dollars;
      }
    }
    if (record.truncated) truncatedCalls++;
    addUsage(spent.usage, record.spent.usage);
    addUsage(baseline.usage, record.baseline.usage);
    spent.tokens += record.spent.tokens;
    spent.dollars += record.spent.dollars;
    baseline.tokens += record.baseline.tokens;
    baseline.dollars += record.baseline.dollars;
    if (record.priceKnown) {
      savedDollars += record.saved.dollars;
      pricedBaselineDollars += record.baseline.dollars;
    } else {
      unpricedCalls++;
    }
  }
  const saved = { tokens: baseline.tokens - spent.tokens, dollars: savedDollars };
  return {
    ...(byStage ? { savedByStage: byStage } : {}),
    calls,
    unpricedCalls,
    truncatedCalls,
    spent,
    baseline,
    saved,
    savedShare: {
      tokens: share(saved.tokens, baseline.tokens),
      dollars: share(savedDollars, pricedBaselineDollars),
    },
  };
}

export function matchesFilter(record: LedgerRecord, filter: LedgerFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.stage !== undefined) {
    const stages: readonly string[] = typeof filter.stage === 'string' ? [filter.stage] : filter.stage;
    if (!stages.includes(record.stage)) return false;
  }
  if (filter.model !== undefined && record.model !== filter.model) return false;
  if (filter.traceId !== undefined && record.traceId !== filter.traceId) return false;
  if (filter.since !== undefined && record.at < filter.since) return false;
  if (filter.until !== undefined && record.at >= filter.until) return false;
  if (filter.scope) {
    for (const field of ['tenant', 'user', 'namespace'] as const) {
      const wanted = filter.scope[field];
      if (wanted !== undefined && record.scope?.[field] !== wanted) return false;
    }
  }
  return true;
}

/** The group a record falls in; records without a scope field group under '(none)'. */
export function dimensionValue(record: LedgerRecord, dimension: LedgerDimension): string {
  switch (dimension) {
    case 'stage':
      return record.stage;
    case 'model':
      return record.model;
    default:
      return record.scope?.[dimension] ?? '(none)';
  }
}

type Money = { tokens: number; dollars: number };

function zero(): Money {
  return { tokens: 0, dollars: 0 };
}

function emptyUsage(): Required<Usage> {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

function addUsage(into: Required<Usage>, usage: Usage): void {
  into.inputTokens += usage.inputTokens ?? 0;
  into.cachedInputTokens += usage.cachedInputTokens ?? 0;
  into.outputTokens += usage.outputTokens ?? 0;
  into.reasoningTokens += usage.reasoningTokens ?? 0;
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
