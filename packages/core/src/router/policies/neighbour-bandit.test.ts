import { describe, expect, it } from 'vitest';
import { promptRouteFeatures } from '../models/prior-features';
import { createSeededRandom } from '../seeded-random';
import type { PolicyContext, Tier } from '../types';
import { neighbourBandit } from './neighbour-bandit';

const TIERS: Tier[] = [
  { id: 'coder', model: 'coder' },
  { id: 'trivia', model: 'trivia' },
  { id: 'strong', model: 'strong' },
];
const COSTS = Float64Array.of(0.05, 0.05, 1);

/** Two kinds of request, far apart in embedding space, each with a little noise. */
function embedding(kind: 0 | 1, random: () => number): Float32Array {
  const vector = new Float32Array(16).map(() => (random() - 0.5) * 0.1);
  vector[kind] = 1;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function context(kind: 0 | 1, generator: ReturnType<typeof createSeededRandom>): PolicyContext {
  const features = promptRouteFeatures(
    kind === 0 ? 'write code' : 'a trivia question',
    embedding(kind, generator.next),
  );
  return {
    request: { model: 'm', messages: [] },
    features,
    tiers: TIERS,
    relativeCosts: COSTS,
    estimatedDollars: COSTS,
    random: generator.next,
    normal: generator.normal,
    evaluatePrior: async (prior) => prior(features),
  };
}

describe('neighbourBandit', () => {
  it('learns per request which cheap tier handles which kind of request, from graded outcomes', async () => {
    const generator = createSeededRandom(5);
    const policy = neighbourBandit({ costWeight: 0.3 });
    // The coder is right on code and wrong on trivia; the trivia tier the other way round.
    const quality = (tier: number, kind: 0 | 1) => (tier === 2 ? 1 : tier === kind ? 1 : 0);
    for (let step = 0; step < 200; step++) {
      const kind = (step % 2) as 0 | 1;
      const choice = await policy.decide(context(kind, generator));
      await policy.update?.({
        choice,
        tierIndex: choice.tierIndex,
        quality: quality(choice.tierIndex, kind),
        relativeCost: COSTS[choice.tierIndex]!,
        tiers: TIERS,
        source: 'run',
      });
    }
    const picks = { code: [0, 0, 0], trivia: [0, 0, 0] };
    for (let step = 0; step < 100; step++) {
      picks.code[(await policy.decide(context(0, generator))).tierIndex]!++;
      picks.trivia[(await policy.decide(context(1, generator))).tierIndex]!++;
    }
    expect(picks.code[0]).toBeGreaterThanOrEqual(90);
    expect(picks.trivia[1]).toBeGreaterThanOrEqual(90);
  });

  it('without outcomes, starts from the prior: a low prior keeps the request off the cheapest tier', async () => {
    const generator = createSeededRandom(6);
    const doubtful = neighbourBandit({ costWeight: 0.1, prior: async () => 0.1, exploration: 0 });
    const confident = neighbourBandit({ costWeight: 0.1, prior: async () => 0.95, exploration: 0 });
    expect((await doubtful.decide(context(0, generator))).tierIndex).toBe(2);
    expect((await confident.decide(context(0, generator))).tierIndex).toBe(0);
  });
});
