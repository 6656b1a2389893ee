import type { Usage } from '../cache/cached-response';
import type { ModelPriceOverride } from '../pricing/model-price';
import type { Scope } from '../request/request';

/**
 * The stage that changed a call's cost. 'none' records a call that went through unoptimized;
 * 'pipeline' a call through several stages, whose saving `savedByStage` splits.
 */
export type LedgerStage = 'cache' | 'compression' | 'router' | 'pipeline' | 'none';

/** The stages a pipeline call's saving is split into. */
export type SavingStage = 'cache' | 'compression' | 'routing' | 'cascade';

/**
 * Where a record's baseline came from. Never the optimised call's own tokens:
 * - 'call': a real call of the baseline model (shadow mode; or no stage changed the call, so the
 *   call made was the baseline call);
 * - 'recorded': a recorded real call (the original call of a cached answer; a replayed data set);
 * - 'input-only': no baseline call or record: only what was measured is counted (the input tokens
 *   compression removed, a cascade's extra calls); routing is not credited.
 */
export type BaselineSource = 'call' | 'recorded' | 'input-only';

/** What each stage did on a pipeline call, so the ledger can split its saving. */
export type StageEffects = {
  /** The answer came from the cache: the whole saving is the cache's. */
  cacheHit?: boolean;
  /** Input tokens compression removed (before minus after). */
  compressedInputTokens?: number;
};

/** What a caller reports for one call; the ledger prices it. */
export type LedgerEntry = {
  /** The decision trace of the call, to join the ledger with traces. */
  traceId: string;
  /** The model that answered (for a cache hit: the model the request named). */
  model: string;
  /**
   * Rates for this call that win over the ledger's pricing, when the caller priced `model` itself
   * (a router tier's `price`: a fine-tuned or self-hosted model, a negotiated rate).
   */
  price?: ModelPriceOverride;
  stage: LedgerStage;
  /**
   * Tokens actually spent. A cache hit spends nothing unless your policy charges something; a
   * cascade reports its final call here and its earlier attempts in `additionalSpent`.
   */
  spent: Usage;
  /**
   * What the unoptimized call would have used. For a cache hit this is the real usage of the call
   * that produced the stored answer, never a guess; for compression, the uncompressed prompt.
   */
  baseline: Usage;
  /** The model the baseline ran on, when the router moved the call to another. Default `model`. */
  baselineModel?: string;
  /** Rates for the baseline call that win over the ledger's pricing (the baseline tier's `price`). */
  baselinePrice?: ModelPriceOverride;
  /** Other calls this one paid for, e.g. a cascade's cheap attempt that was escalated; `price` as above. */
  additionalSpent?: Array<{ model: string; usage: Usage; price?: ModelPriceOverride }>;
  scope?: Scope;
  /** Epoch milliseconds; default now. Also picks the price in force at that time. */
  at?: number;
  /** Where `baseline` came from (see `BaselineSource`); recorded as given. */
  baselineSource?: BaselineSource;
  /** For stage 'pipeline': what each stage did, to split the saving (`savedByStage`). */
  effects?: StageEffects;
  /**
   * The answer was cut at its output limit (`finishReason: 'length'`), e.g. by a token budget
   * that was too tight: counted in the totals (`truncatedCalls`).
   */
  truncated?: boolean;
};

/** One priced call. Plain JSON: sinks write it as is, and `CostLedger.load` reads it back. */
export type LedgerRecord = {
  traceId: string;
  at: number;
  model: string;
  baselineModel: string;
  scope?: Scope;
  stage: LedgerStage;
  spent: {
    /** All spent calls added up. */
    usage: Usage;
    tokens: number;
    dollars: number;
    /** Each spent call on its own, present when there was more than one. */
    calls?: Array<{ model: string; usage: Usage; dollars: number }>;
  };
  baseline: { usage: Usage; tokens: number; dollars: number };
  /** Negative when the optimization cost more than the baseline (an escalated cascade). */
  saved: { tokens: number; dollars: number };
  /**
   * False when a model in this record had no known price (no rates in the entry, no override, not
   * in the registry): its dollars count as 0 and
   * `saved.dollars` is 0, since a saving against an unknown price cannot be vouched for.
   */
  priceKnown: boolean;
  /** The models without a known price, present when `priceKnown` is false: add overrides for these. */
  unpricedModels?: string[];
  baselineSource?: BaselineSource;
  /**
   * Stage 'pipeline': `saved` split by stage (they add up to it). Compression is the removed input
   * tokens at the baseline model's input price; a cascade's extra calls count against 'cascade';
   * routing is the rest (the cheaper model's call against the baseline's).
   */
  savedByStage?: Record<SavingStage, { tokens: number; dollars: number }>;
  /** Present when the answer was cut at its output limit (`finishReason: 'length'`). */
  truncated?: true;
};

/** Added-up records. */
export type LedgerTotals = {
  calls: number;
  /** Calls with `priceKnown: false`; their dollars are missing from the sums. */
  unpricedCalls: number;
  /** Calls whose answer was cut at its output limit: a token budget too tight shows up here. */
  truncatedCalls: number;
  spent: { usage: Required<Usage>; tokens: number; dollars: number };
  baseline: { usage: Required<Usage>; tokens: number; dollars: number };
  saved: { tokens: number; dollars: number };
  /** Saved divided by baseline, 0 when the baseline is 0. */
  savedShare: { tokens: number; dollars: number };
  /** The pipeline records' savings by stage, present when there is at least one. */
  savedByStage?: Record<SavingStage, { tokens: number; dollars: number }>;
};

/** Every given field must match. `scope` matches each field given (e.g. `{ tenant: 'acme' }`). */
export type LedgerFilter = {
  stage?: LedgerStage | readonly LedgerStage[];
  model?: string;
  scope?: Scope;
  traceId?: string;
  /** Epoch milliseconds, inclusive. */
  since?: number;
  /** Epoch milliseconds, exclusive. */
  until?: number;
};

export type LedgerDimension = 'stage' | 'model' | 'tenant' | 'user' | 'namespace';

/** Where records go besides memory (a file, a database). A sink error never fails a call. */
export type LedgerSink = {
  write(record: LedgerRecord): void | Promise<void>;
  /** Resolves when every record written so far is persisted. */
  flush?(): Promise<void>;
};
