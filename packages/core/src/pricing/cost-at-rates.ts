import type { Usage } from '../cache/cached-response';
import { billableUsage } from './billable-usage';
import type { CostEstimate, ModelPriceOverride } from './model-price';

/**
 * Dollars for one call at rates the user gave (a pricing override, a router tier's `price`, a
 * ledger entry's own rates). Cached input is billed at `cachedInputPerMillion`, else at the input
 * rate, so a cached token is never priced below what the user vouched for.
 */
export function costAtRates(rates: ModelPriceOverride, usage: Usage): CostEstimate {
  const billable = billableUsage(usage);
  const inputDollars =
    (billable.uncachedInputTokens * rates.inputPerMillion +
      billable.cachedInputTokens * (rates.cachedInputPerMillion ?? rates.inputPerMillion)) /
    1_000_000;
  const outputDollars = (billable.outputTokens * rates.outputPerMillion) / 1_000_000;
  return {
    dollars: inputDollars + outputDollars,
    inputDollars,
    outputDollars,
    priceKnown: true,
    source: 'override',
  };
}

/**
 * The first field of user-given rates that is not a finite, non-negative number of dollars per
 * million tokens (`cachedInputPerMillion` may be absent), or undefined when all are valid. Each
 * caller throws its own typed error with it.
 */
export function invalidRate(rates: unknown): { field: string; value: unknown } | undefined {
  if (typeof rates !== 'object' || rates === null) return { field: 'rates', value: rates };
  const given = rates as Record<string, unknown>;
  for (const field of ['inputPerMillion', 'outputPerMillion', 'cachedInputPerMillion']) {
    const value = given[field];
    if (value === undefined && field === 'cachedInputPerMillion') continue;
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) return { field, value };
  }
  return undefined;
}
