import { InvalidRouterOptionsError } from '../errors';
import type { PolicyChoice, PolicyContext, RoutePolicy } from '../types';

/** Always the same tier: by id, or 'cheapest' / 'strongest'. A baseline, or a pinned route. */
export function fixed(tier: string): RoutePolicy {
  if (typeof tier !== 'string' || tier.length === 0)
    throw new InvalidRouterOptionsError('fixed needs a tier id');
  return {
    name: `fixed:${tier}`,
    decide(context: PolicyContext): PolicyChoice {
      let tierIndex: number;
      if (tier === 'cheapest') tierIndex = 0;
      else if (tier === 'strongest') tierIndex = context.tiers.length - 1;
      else tierIndex = context.tiers.findIndex((candidate) => candidate.id === tier);
      if (tierIndex < 0) throw new InvalidRouterOptionsError(`fixed: no tier has id '${tier}'`);
      return { tierIndex, reason: 'fixed' };
    },
  };
}

export type RandomPolicyOptions = {
  /** Share of requests for the most expensive tier (the rest go to the cheapest). */
  strongShare?: number;
  /** Relative weight per tier id; tiers not named get 0. Default: every tier equally. */
  weights?: Record<string, number>;
};

/** Picks a tier at random (seeded by the router): the baseline every router must beat. */
export function random(options: RandomPolicyOptions = {}): RoutePolicy {
  if (options.strongShare !== undefined && !(options.strongShare >= 0 && options.strongShare <= 1)) {
    throw new InvalidRouterOptionsError('strongShare must be within 0..1');
  }
  return {
    name: 'random',
    decide(context: PolicyContext): PolicyChoice {
      const count = context.tiers.length;
      const draw = context.random();
      if (options.strongShare !== undefined) {
        return { tierIndex: draw < options.strongShare ? count - 1 : 0, reason: 'random', details: { draw } };
      }
      let total = 0;
      for (const tier of context.tiers) total += weightOf(tier.id);
      if (!(total > 0)) throw new InvalidRouterOptionsError('random: the weights add up to 0');
      let cumulative = 0;
      for (let index = 0; index < count; index++) {
        cumulative += weightOf((context.tiers[index] as { id: string }).id) / total;
        if (draw < cumulative) return { tierIndex: index, reason: 'random', details: { draw } };
      }
      return { tierIndex: count - 1, reason: 'random', details: { draw } };
    },
  };

  function weightOf(tierId: string): number {
    if (!options.weights) return 1;
    const weight = options.weights[tierId];
    return typeof weight === 'number' && weight > 0 ? weight : 0;
  }
}
