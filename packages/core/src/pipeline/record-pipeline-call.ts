import type { Usage } from '../cache/cached-response';
import type { CostLedger } from '../ledger/cost-ledger';
import type { BaselineSource, LedgerRecord } from '../ledger/types';
import type { ModelPriceOverride } from '../pricing/model-price';
import type { Scope } from '../request/request';

/** A model call the pipeline paid for (or, for a baseline, would have). */
export type PricedCall = { model: string; usage: Usage; price?: ModelPriceOverride };

/** What happened to one call on its way through the pipeline, as the stages reported it. */
export type PipelineCallOutcome = {
  traceId: string;
  scope?: Scope;
  /**
   * The model every call would go to without the pipeline (the strongest tier, or the model the
   * request named): what the baseline is priced on.
   */
  baselineModel: string;
  baselinePrice?: ModelPriceOverride;
  /** A cache hit: the call that produced the stored answer (a real, recorded call). */
  cacheHit?: PricedCall;
  /** Compression's input tokens before and after (counted on the same request). */
  compression?: { tokensBefore: number; tokensAfter: number };
  /** The call whose answer was returned; absent on a cache hit. */
  answered?: PricedCall;
  /** Other calls the answer paid for: a cascade's attempts that were escalated. */
  extraCalls?: PricedCall[];
  /**
   * The baseline call's usage when it is known: made for real (shadow mode) or recorded (a replayed
   * data set). Without it the baseline comes from the outcome itself, never from the optimised
   * call's own tokens: see `resolveBaseline`.
   */
  baseline?: { usage: Usage; source: Extract<BaselineSource, 'call' | 'recorded'> };
};

/** One ledger entry for the whole call, its saving split by stage (`LedgerRecord.savedByStage`). */
export function recordPipelineCall(
  ledger: Pick<CostLedger, 'record'>,
  outcome: PipelineCallOutcome,
): LedgerRecord {
  const baseline = resolveBaseline(outcome);
  const spent: PricedCall = outcome.answered ?? { model: baseline.model, usage: {} };
  const removed = outcome.compression
    ? outcome.compression.tokensBefore - outcome.compression.tokensAfter
    : 0;
  return ledger.record({
    traceId: outcome.traceId,
    stage: 'pipeline',
    model: spent.model,
    ...(spent.price ? { price: spent.price } : {}),
    spent: spent.usage,
    ...(outcome.extraCalls?.length ? { additionalSpent: outcome.extraCalls } : {}),
    baseline: baseline.usage,
    baselineModel: baseline.model,
    ...(baseline.price ? { baselinePrice: baseline.price } : {}),
    baselineSource: baseline.source,
    effects: { cacheHit: outcome.cacheHit !== undefined, compressedInputTokens: Math.max(0, removed) },
    ...(outcome.scope ? { scope: outcome.scope } : {}),
  });
}

/**
 * The baseline of a call, in this order:
 * 1. a baseline call made (shadow mode) or recorded (a data set of real answers): as given;
 * 2. a cache hit: the original call of the stored answer (recorded);
 * 3. a call no stage changed (baseline model, nothing compressed, no extra calls): that call is the
 *    baseline call;
 * 4. otherwise 'input-only': the answering call plus the input tokens compression removed, so
 *    compression and a cascade's extra calls count and routing is not credited (the baseline
 *    model's answer length is unknown and is not guessed from the cheaper model's).
 */
export function resolveBaseline(outcome: PipelineCallOutcome): PricedCall & { source: BaselineSource } {
  const price = outcome.baselinePrice ? { price: outcome.baselinePrice } : {};
  if (outcome.baseline)
    return {
      model: outcome.baselineModel,
      usage: outcome.baseline.usage,
      source: outcome.baseline.source,
      ...price,
    };
  if (outcome.cacheHit) return { ...outcome.cacheHit, source: 'recorded' };
  const answered = outcome.answered ?? { model: outcome.baselineModel, usage: {} };
  const removed = outcome.compression
    ? outcome.compression.tokensBefore - outcome.compression.tokensAfter
    : 0;
  const unchanged =
    answered.model === outcome.baselineModel && removed <= 0 && !(outcome.extraCalls?.length ?? 0);
  if (unchanged) return { ...answered, source: 'call' };
  const usage = { ...answered.usage, inputTokens: (answered.usage.inputTokens ?? 0) + Math.max(0, removed) };
  return {
    model: answered.model,
    usage,
    source: 'input-only',
    ...(answered.price ? { price: answered.price } : {}),
  };
}
