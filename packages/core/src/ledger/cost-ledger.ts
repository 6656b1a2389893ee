import type { Usage } from '../cache/cached-response';
import { totalTokens } from '../pricing/billable-usage';
import { costAtRates, invalidRate } from '../pricing/cost-at-rates';
import { createPricing, type Pricing } from '../pricing/create-pricing';
import type { ModelPriceOverride } from '../pricing/model-price';
import { InvalidLedgerEntryError } from './invalid-ledger-entry-error';
import { dimensionValue, matchesFilter, sumRecords } from './ledger-totals';
import type {
  LedgerDimension,
  LedgerEntry,
  LedgerFilter,
  LedgerRecord,
  LedgerSink,
  LedgerStage,
  LedgerTotals,
  SavingStage,
  StageEffects,
} from './types';

export type CostLedgerOptions = {
  /**
   * Prices the records' calls that carry no rates of their own; default `createPricing()`
   * (bundled registry, no overrides). A router given this ledger and no `pricing` uses it too.
   */
  pricing?: Pricing;
  /** Each record is also written to these, e.g. `createJsonlLedgerSink(file)`. */
  sinks?: LedgerSink[];
  /** Records kept in memory, oldest dropped first (sinks keep everything). Default 100,000. */
  maxEntries?: number;
  /** Called when a sink fails; default: one console warning per sink. */
  onSinkError?: (error: unknown, record?: LedgerRecord) => void;
};

const STAGES: readonly LedgerStage[] = ['cache', 'compression', 'router', 'pipeline', 'none'];

/**
 * Tokens and dollars per call, for the optimized path and for the baseline it replaced, and
 * their totals by stage, model or scope. In memory by default; sinks persist the records.
 */
export class CostLedger {
  /** Prices calls whose entry gives no rates of its own. */
  readonly pricing: Pricing;
  private readonly sinks: LedgerSink[];
  private readonly maxEntries: number;
  private readonly onSinkError: (error: unknown, record?: LedgerRecord) => void;
  private records: LedgerRecord[] = [];
  private pendingWrites = new Set<Promise<void>>();

  constructor(options: CostLedgerOptions = {}) {
    this.pricing = options.pricing ?? createPricing();
    this.sinks = [...(options.sinks ?? [])];
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 100_000));
    this.onSinkError = options.onSinkError ?? warnOnce();
  }

  /** Prices one call, keeps it and hands it to the sinks. Throws only for an entry that is malformed. */
  record(entry: LedgerEntry): LedgerRecord {
    const record = this.price(entry);
    this.keep([record]);
    for (const sink of this.sinks) this.write(sink, record);
    return record;
  }

  /** Records in the order they were made (a copy), optionally filtered. */
  entries(filter?: LedgerFilter): LedgerRecord[] {
    return this.records.filter((record) => matchesFilter(record, filter));
  }

  totals(filter?: LedgerFilter): LedgerTotals {
    return sumRecords(this.entries(filter));
  }

  /** Totals per stage, model or scope field; records without that scope field group under '(none)'. */
  totalsBy(dimension: LedgerDimension, filter?: LedgerFilter): Record<string, LedgerTotals> {
    const groups = new Map<string, LedgerRecord[]>();
    for (const record of this.entries(filter)) {
      const key = dimensionValue(record, dimension);
      const group = groups.get(key);
      if (group) group.push(record);
      else groups.set(key, [record]);
    }
    const totals: Record<string, LedgerTotals> = {};
    for (const [key, group] of groups) totals[key] = sumRecords(group);
    return totals;
  }

  /** Adds records written earlier (e.g. read back with `readJsonlLedger`) without writing them to sinks again. */
  load(records: Iterable<LedgerRecord>): void {
    this.keep(records);
  }

  /** Resolves when every sink has persisted what it was given. */
  async flush(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites]);
    await Promise.all(
      this.sinks.map((sink) => sink.flush?.().catch((error: unknown) => this.onSinkError(error))),
    );
  }

  /** Forgets the in-memory records (sinks are untouched). */
  clear(): void {
    this.records = [];
  }

  private price(entry: LedgerEntry): LedgerRecord {
    validate(entry);
    const at = entry.at ?? Date.now();
    const baselineModel = entry.baselineModel ?? entry.model;
    const spentCalls = [
      { model: entry.model, usage: entry.spent, price: entry.price },
      ...(entry.additionalSpent ?? []),
    ].map((call) => ({
      model: call.model,
      usage: call.usage,
      estimate: this.estimate(call.model, call.usage, at, call.price),
    }));
    const baselineEstimate = this.estimate(baselineModel, entry.baseline, at, entry.baselinePrice);
    const priceKnown = baselineEstimate.priceKnown && spentCalls.every((call) => call.estimate.priceKnown);

    const spentUsage =
      spentCalls.length === 1 ? { ...entry.spent } : addUsages(spentCalls.map((call) => call.usage));
    const spentTokens = spentCalls.reduce((sum, call) => sum + totalTokens(call.usage), 0);
    const spentDollars = spentCalls.reduce((sum, call) => sum + call.estimate.dollars, 0);
    const baselineTokens = totalTokens(entry.baseline);

    const record: LedgerRecord = {
      traceId: entry.traceId,
      at,
      model: entry.model,
      baselineModel,
      stage: entry.stage,
      spent: { usage: spentUsage, tokens: spentTokens, dollars: spentDollars },
      baseline: { usage: { ...entry.baseline }, tokens: baselineTokens, dollars: baselineEstimate.dollars },
      saved: {
        tokens: baselineTokens - spentTokens,
        dollars: priceKnown ? baselineEstimate.dollars - spentDollars : 0,
      },
      priceKnown,
    };
    if (entry.scope) record.scope = { ...entry.scope };
    if (entry.truncated) record.truncated = true;
    if (!priceKnown) {
      const unpriced = [
        ...spentCalls.filter((call) => !call.estimate.priceKnown).map((call) => call.model),
        ...(baselineEstimate.priceKnown ? [] : [baselineModel]),
      ];
      record.unpricedModels = [...new Set(unpriced)];
    }
    if (entry.baselineSource) record.baselineSource = entry.baselineSource;
    if (entry.stage === 'pipeline') {
      const extra = spentCalls.slice(1);
      record.savedByStage = splitSaving(record, entry.effects ?? {}, {
        extraTokens: extra.reduce((sum, call) => sum + totalTokens(call.usage), 0),
        extraDollars: extra.reduce((sum, call) => sum + call.estimate.dollars, 0),
        compressionDollars: this.estimate(
          baselineModel,
          { inputTokens: entry.effects?.compressedInputTokens ?? 0 },
          at,
          entry.baselinePrice,
        ).dollars,
      });
    }
    if (spentCalls.length > 1) {
      record.spent.calls = spentCalls.map((call) => ({
        model: call.model,
        usage: { ...call.usage },
        dollars: call.estimate.dollars,
      }));
    }
    return record;
  }

  /** The entry's own rates win: the caller (a router tier's `price`) knows its model's price best. */
  private estimate(model: string, usage: Usage, at: number, price: ModelPriceOverride | undefined) {
    return price ? costAtRates(price, usage) : this.pricing.estimate(model, usage, at);
  }

  private keep(records: Iterable<LedgerRecord>): void {
    // A loop, not push(...records): a ledger file read back can hold more records than a call has arguments.
    for (const record of records) this.records.push(record);
    // Dropping in batches keeps `record` amortized O(1) instead of shifting the array every call.
    if (this.records.length > this.maxEntries * 1.1 || this.records.length - this.maxEntries > 1_000) {
      this.records.splice(0, this.records.length - this.maxEntries);
    }
  }

  private write(sink: LedgerSink, record: LedgerRecord): void {
    let pending: Promise<void>;
    try {
      pending = Promise.resolve(sink.write(record));
    } catch (error) {
      this.onSinkError(error, record);
      return;
    }
    const tracked = pending.catch((error: unknown) => this.onSinkError(error, record));
    this.pendingWrites.add(tracked);
    void tracked.finally(() => this.pendingWrites.delete(tracked));
  }
}

function validate(entry: LedgerEntry): void {
  if (typeof entry.traceId !== 'string' || entry.traceId.length === 0) {
    throw new InvalidLedgerEntryError('A ledger entry needs a traceId');
  }
  if (typeof entry.model !== 'string' || entry.model.length === 0) {
    throw new InvalidLedgerEntryError(`Ledger entry ${entry.traceId} needs a model`);
  }
  if (!STAGES.includes(entry.stage)) {
    throw new InvalidLedgerEntryError(
      `Ledger entry ${entry.traceId} has stage '${String(entry.stage)}'; expected one of ${STAGES.join(', ')}`,
    );
  }
  if (!entry.spent || !entry.baseline) {
    throw new InvalidLedgerEntryError(`Ledger entry ${entry.traceId} needs spent and baseline usage`);
  }
  const prices = [
    entry.price,
    entry.baselinePrice,
    ...(entry.additionalSpent ?? []).map((call) => call.price),
  ];
  for (const price of prices) {
    const invalid = price === undefined ? undefined : invalidRate(price);
    if (invalid) {
      throw new InvalidLedgerEntryError(
        `Ledger entry ${entry.traceId} has price ${invalid.field} ${String(invalid.value)}; expected a non-negative number of dollars per million tokens`,
      );
    }
  }
}

/** `saved` split by stage; the parts add up to it (see `LedgerRecord.savedByStage`). */
function splitSaving(
  record: LedgerRecord,
  effects: StageEffects,
  measured: { extraTokens: number; extraDollars: number; compressionDollars: number },
): Record<SavingStage, { tokens: number; dollars: number }> {
  const zero = () => ({ tokens: 0, dollars: 0 });
  const split = { cache: zero(), compression: zero(), routing: zero(), cascade: zero() };
  const dollars = (value: number) => (record.priceKnown ? value : 0);
  if (effects.cacheHit) {
    split.cache = { ...record.saved };
    return split;
  }
  const removed = Math.max(0, effects.compressedInputTokens ?? 0);
  split.compression = { tokens: removed, dollars: dollars(measured.compressionDollars) };
  split.cascade = { tokens: 0 - measured.extraTokens, dollars: dollars(0 - measured.extraDollars) };
  split.routing = {
    tokens: record.saved.tokens - split.compression.tokens - split.cascade.tokens,
    dollars: record.saved.dollars - split.compression.dollars - split.cascade.dollars,
  };
  return split;
}

function addUsages(usages: Usage[]): Usage {
  const sum: Usage = {};
  for (const usage of usages) {
    for (const field of ['inputTokens', 'cachedInputTokens', 'outputTokens', 'reasoningTokens'] as const) {
      const value = usage[field];
      if (value !== undefined) sum[field] = (sum[field] ?? 0) + value;
    }
  }
  return sum;
}

function warnOnce(): (error: unknown) => void {
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    console.warn(
      `[tokenomics] a ledger sink failed; records stay in memory (further sink errors are not shown): ${String(error)}`,
    );
  };
}
