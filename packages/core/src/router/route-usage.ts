import type { Usage } from '../cache/cached-response';
import type { RouteAttempt, RouteUsage, TierUsage } from './types';

/** Sums the usage of every paid call in a run, in total and per tier (in the order tiers were first called). */
export function routeUsage(attempts: readonly RouteAttempt[]): RouteUsage {
  const byTier = new Map<string, TierUsage>();
  let total: Usage = {};
  for (const attempt of attempts) {
    if (!attempt.usage) continue;
    total = addUsage(total, attempt.usage);
    const tier = byTier.get(attempt.tierId) ?? {
      tierId: attempt.tierId,
      model: attempt.model,
      calls: 0,
      usage: {},
      dollars: 0,
    };
    tier.calls++;
    tier.usage = addUsage(tier.usage, attempt.usage);
    tier.dollars += attempt.dollars ?? 0;
    byTier.set(attempt.tierId, tier);
  }
  return { total, tiers: [...byTier.values()] };
}

/** Field-wise sum; a field stays absent when neither side reports it. */
export function addUsage(left: Usage, right: Usage): Usage {
  const sum: Usage = {};
  for (const field of ['inputTokens', 'cachedInputTokens', 'outputTokens', 'reasoningTokens'] as const) {
    if (left[field] === undefined && right[field] === undefined) continue;
    sum[field] = (left[field] ?? 0) + (right[field] ?? 0);
  }
  return sum;
}
