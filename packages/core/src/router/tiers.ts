import { invalidRate } from '../pricing/cost-at-rates';
import type { Pricing } from '../pricing/create-pricing';
import { InvalidRouterOptionsError } from './errors';
import type { Tier } from './types';

/** A tier with the rates the router prices it by. */
export type PricedTier = {
  tier: Tier;
  /** Dollars per million tokens; undefined when neither the tier nor the pricing knows them. */
  inputPerMillion?: number;
  outputPerMillion?: number;
};

/**
 * Validates tiers and sorts them cheapest first by a blended price (three input tokens to one
 * output token, a common prompt/answer mix). Tiers without a known price keep the order they were
 * given in, after the priced ones.
 */
export function sortTiers(tiers: readonly Tier[], pricing: Pricing): PricedTier[] {
  if (!Array.isArray(tiers) || tiers.length < 2) {
    throw new InvalidRouterOptionsError('A router needs at least two tiers');
  }
  const ids = new Set<string>();
  const priced = tiers.map((tier, order): PricedTier & { order: number; blended: number } => {
    if (!tier || typeof tier.id !== 'string' || tier.id.length === 0 || typeof tier.model !== 'string') {
      throw new InvalidRouterOptionsError('Every tier needs an id and a model');
    }
    if (ids.has(tier.id)) throw new InvalidRouterOptionsError(`Tier id '${tier.id}' is used twice`);
    ids.add(tier.id);
    if (tier.price !== undefined) {
      const invalid = invalidRate(tier.price);
      if (invalid) {
        throw new InvalidRouterOptionsError(
          `Tier '${tier.id}' has an invalid price: ${invalid.field} is ${String(invalid.value)}`,
        );
      }
    }
    const rates = tier.price ?? pricing.price(tier.model);
    const blended = rates
      ? (3 * rates.inputPerMillion + rates.outputPerMillion) / 4
      : Number.POSITIVE_INFINITY;
    const entry: PricedTier & { order: number; blended: number } = { tier, order, blended };
    if (rates) {
      entry.inputPerMillion = rates.inputPerMillion;
      entry.outputPerMillion = rates.outputPerMillion;
    }
    return entry;
  });
  priced.sort((left, right) => left.blended - right.blended || left.order - right.order);
  return priced.map(({ tier, inputPerMillion, outputPerMillion }) => {
    const entry: PricedTier = { tier };
    if (inputPerMillion !== undefined) entry.inputPerMillion = inputPerMillion;
    if (outputPerMillion !== undefined) entry.outputPerMillion = outputPerMillion;
    return entry;
  });
}

/**
 * Fills `dollars` with each tier's estimated cost for a prompt and `relative` with that cost
 * divided by the most expensive one. Unpriced tiers are costed by rank, so a router over unknown
 * models still prefers the ones listed first.
 */
export function estimateTierCosts(
  tiers: readonly PricedTier[],
  inputTokens: number,
  outputTokens: number,
  dollars: Float64Array,
  relative: Float64Array,
): void {
  let highest = 0;
  let allPriced = true;
  for (let index = 0; index < tiers.length; index++) {
    const tier = tiers[index] as PricedTier;
    if (tier.inputPerMillion === undefined || tier.outputPerMillion === undefined) {
      allPriced = false;
      dollars[index] = 0;
      continue;
    }
    const cost = (inputTokens * tier.inputPerMillion + outputTokens * tier.outputPerMillion) / 1_000_000;
    dollars[index] = cost;
    if (cost > highest) highest = cost;
  }
  for (let index = 0; index < tiers.length; index++) {
    relative[index] =
      allPriced && highest > 0 ? (dollars[index] as number) / highest : (index + 1) / tiers.length;
  }
}
