import type { RouteAttempt, RouteResult, RouteUsage } from './types';

/** The key both router adapters write under: LangChain `response_metadata`, AI SDK `providerMetadata`. */
export const ROUTE_METADATA_KEY = 'tokenomics';

/**
 * What the router did for one call, as plain JSON: LangChain puts it at
 * `message.response_metadata.tokenomics`, the AI SDK at `providerMetadata.tokenomics`.
 * `route.traceId` is the id to pass to `router.feedback(traceId, score)`.
 */
export type RouteMetadata = {
  /** The router's decision trace id (a cache in front of the router may set its own top-level id). */
  traceId: string;
  route: {
    traceId: string;
    /** The tier whose answer was returned. */
    tier: string;
    model: string;
    policy: string;
    /** Why the policy chose the first tier (e.g. 'prior-above-threshold'). */
    reason: string;
    /** The tier the policy chose first. */
    firstTier: string;
    prior?: number;
    threshold?: number;
    /** True when the returned answer came from another tier than the first choice. */
    escalated: boolean;
    attempts: RouteAttemptMetadata[];
  };
  /** Each call at its tier's `price`, else the router's pricing: the dollars the ledger records. */
  cost: {
    /** Dollars of every call in the run (an escalated cascade pays for both). */
    dollars: number;
    /** Dollars the baseline tier would have cost for the returned answer's usage. */
    baselineDollars: number;
    /** baselineDollars − dollars; negative when routing cost more; 0 when a price is unknown. */
    savedDollars: number;
    /** False when a tier in the run, or the baseline tier, has no known price (its dollars count as 0). */
    priceKnown: boolean;
    /** The models without a known price, present when `priceKnown` is false: give their tiers a `price`. */
    unpricedModels?: string[];
  };
  /**
   * Tokens of every call in the run, in total and per tier. The adapters report `total` as the
   * call's usage (LangChain `usage_metadata`, AI SDK `usage`), since all of it was spent.
   */
  usage: RouteUsage;
};

export type RouteAttemptMetadata = {
  tier: string;
  model: string;
  purpose: RouteAttempt['purpose'];
  outcome: RouteAttempt['outcome'];
  score?: number;
  reason?: string;
  error?: { name: string; message: string };
  errorKind?: RouteAttempt['errorKind'];
  dollars?: number;
  durationMs: number;
};

/** The plain-JSON metadata of a finished route. */
export function routeMetadata(result: RouteResult): RouteMetadata {
  const { decision } = result;
  const route: RouteMetadata['route'] = {
    traceId: decision.traceId,
    tier: result.tier.id,
    model: result.tier.model,
    policy: decision.policy,
    reason: decision.reason,
    firstTier: decision.tier.id,
    escalated: result.tier.id !== decision.tier.id,
    attempts: result.attempts.map(attemptMetadata),
  };
  if (decision.prior !== undefined) route.prior = decision.prior;
  if (decision.threshold !== undefined) route.threshold = decision.threshold;
  const { cost } = result;
  const metadata: RouteMetadata = {
    traceId: decision.traceId,
    route,
    cost: {
      dollars: cost.dollars,
      baselineDollars: cost.baselineDollars,
      // As in the ledger: a saving measured against a price counted as 0 cannot be vouched for.
      savedDollars: cost.priceKnown ? cost.baselineDollars - cost.dollars : 0,
      priceKnown: cost.priceKnown,
    },
    usage: {
      total: { ...result.usage.total },
      tiers: result.usage.tiers.map((tier) => ({ ...tier, usage: { ...tier.usage } })),
    },
  };
  if (cost.unpricedModels) metadata.cost.unpricedModels = [...cost.unpricedModels];
  return metadata;
}

function attemptMetadata(attempt: RouteAttempt): RouteAttemptMetadata {
  const metadata: RouteAttemptMetadata = {
    tier: attempt.tierId,
    model: attempt.model,
    purpose: attempt.purpose,
    outcome: attempt.outcome,
    durationMs: attempt.durationMs,
  };
  if (attempt.score !== undefined) metadata.score = attempt.score;
  if (attempt.reason !== undefined) metadata.reason = attempt.reason;
  if (attempt.error !== undefined) metadata.error = attempt.error;
  if (attempt.errorKind !== undefined) metadata.errorKind = attempt.errorKind;
  if (attempt.dollars !== undefined) metadata.dollars = attempt.dollars;
  return metadata;
}
