import { describe, expect, it } from 'vitest';
import { createRouter } from '../create-router';
import { functionScorer } from '../scorers/learned-scorer';
import { createSeededRandom } from '../seeded-random';
import { CHEAP, MIDDLE, STRONG, textAnswer, userRequest } from '../test-support/router-fixtures';
import type { CallTier, RouterEngine } from '../types';
import { type ContextualBanditOptions, contextualBandit } from './contextual-bandit';

const PROMPTS = [
  'What is the capital of France?',
  'Summarize the plot of Hamlet in two sentences.',
  'Write a function that reverses a linked list in TypeScript.',
  'Solve 3x + 7 = 22 and show each step.',
  'Translate "good morning" into Spanish.',
  'Why is the sky blue? Explain like I am five.',
];

/** The quality each tier delivers, drawn from a seeded coin so outcomes repeat. */
function simulatedTiers(successRate: Record<string, () => number>, seed: number): CallTier {
  const coin = createSeededRandom(seed);
  return async (tier) => {
    const correct = coin.next() < (successRate[tier.id] as () => number)() ? 1 : 0;
    return textAnswer(correct ? 'right' : 'wrong', { metadata: { correct } });
  };
}

const oracle = functionScorer('oracle', ({ answer }) => answer.metadata?.correct as number);

function banditRouter(options: ContextualBanditOptions, tiers = [CHEAP, STRONG]): RouterEngine {
  return createRouter({ tiers, policy: contextualBandit(options), rewardScorers: [oracle], seed: 42 });
}

async function shareOf(
  engine: RouterEngine,
  callTier: CallTier,
  requests: number,
  tierId: string,
): Promise<number> {
  let chosen = 0;
  for (let index = 0; index < requests; index++) {
    const result = await engine.run(userRequest(PROMPTS[index % PROMPTS.length] as string), callTier);
    if (result.decision.tier.id === tierId) chosen++;
  }
  return chosen / requests;
}

describe('contextualBandit', () => {
  for (const algorithm of ['thompson', 'linucb'] as const) {
    it(`${algorithm}: shifts to the cheap tier when it is as good, and back when it is not`, async () => {
      const phase = { cheapRate: 0.9 };
      const callTier = simulatedTiers({ cheap: () => phase.cheapRate, strong: () => 0.9 }, 7);
      // Starts believing the cheap tier is poor, so the shift has to be learned.
      const engine = banditRouter({ algorithm, initialQuality: 0.3, strongQuality: 0.9, forgetting: 0.98 });

      expect(await shareOf(engine, callTier, 20, 'cheap')).toBeLessThan(0.5);
      await shareOf(engine, callTier, 200, 'cheap');
      expect(await shareOf(engine, callTier, 100, 'cheap')).toBeGreaterThan(0.85);

      phase.cheapRate = 0.2;
      await shareOf(engine, callTier, 200, 'cheap');
      expect(await shareOf(engine, callTier, 100, 'strong')).toBeGreaterThan(0.85);
    });
  }

  it('starts from the prior: a confident prior routes cheap before any outcome, a doubtful one strong', async () => {
    const confident = banditRouter({ prior: () => 0.95, exploration: 0.01 });
    const doubtful = banditRouter({ prior: () => 0.1, exploration: 0.01 });
    expect((await confident.decide(userRequest('hi'))).tier.id).toBe('cheap');
    expect((await doubtful.decide(userRequest('hi'))).tier.id).toBe('strong');
  });

  it('learns from feedback on the tier the user got', async () => {
    const engine = banditRouter({
      initialQuality: 0.8,
      strongQuality: 0.9,
      exploration: 0.01,
      forgetting: 1,
    });
    const first = await engine.decide(userRequest(PROMPTS[0] as string));
    expect(first.tier.id).toBe('cheap');
    for (let index = 0; index < 30; index++) {
      const decision = await engine.decide(userRequest(PROMPTS[index % PROMPTS.length] as string));
      if (decision.tier.id === 'cheap') await engine.feedback(decision.traceId, 0);
    }
    expect((await engine.decide(userRequest(PROMPTS[0] as string))).tier.id).toBe('strong');
    expect(await engine.feedback('no-such-trace', 1)).toBe(false);
  });

  it('is deterministic under a seed', async () => {
    const routes = async () => {
      const engine = banditRouter({});
      const callTier = simulatedTiers({ cheap: () => 0.7, strong: () => 0.9, middle: () => 0.8 }, 3);
      const chosen: string[] = [];
      for (let index = 0; index < 60; index++) {
        chosen.push(
          (await engine.run(userRequest(PROMPTS[index % PROMPTS.length] as string), callTier)).tier.id,
        );
      }
      return chosen;
    };
    const first = await routes();
    expect(await routes()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('works over three tiers and explains each arm', async () => {
    const engine = banditRouter({ algorithm: 'linucb' }, [STRONG, CHEAP, MIDDLE]);
    const decision = await engine.decide(userRequest('Compare quicksort and mergesort.'));
    const explanation = engine.explain(decision.traceId);
    expect(explanation?.arms?.map((arm) => arm.tierId)).toEqual(['cheap', 'middle', 'strong']);
    for (const arm of explanation?.arms ?? []) {
      expect(typeof arm.upperBound).toBe('number');
      expect(arm.relativeCost).toBeGreaterThan(0);
    }
    const best = explanation?.arms?.reduce((left, right) =>
      (right.upperBound ?? 0) > (left.upperBound ?? 0) ? right : left,
    );
    expect(explanation?.tierId).toBe(best?.tierId);
  });

  it('raises the cost weight when spending runs over a budget', async () => {
    const policy = contextualBandit({
      budget: { dollarsPerRequest: 1e-6, learningRate: 0.1 },
      costWeight: 0.1,
    });
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy, rewardScorers: [oracle], seed: 1 });
    const callTier = simulatedTiers({ cheap: () => 0.9, strong: () => 0.9 }, 1);
    for (let index = 0; index < 10; index++) await engine.run(userRequest('hello there'), callTier);
    const snapshot = await policy.snapshot();
    expect(snapshot?.costWeight).toBeGreaterThan(0.1);
  });

  it('with an embedding projection, tells apart requests whose words look alike', async () => {
    const easy = new Float32Array([1, 0, 0, 0]);
    const hard = new Float32Array([0, 1, 0, 0]);
    const train = async (embeddingProjection: number) => {
      const engine = banditRouter({ embeddingProjection, initialQuality: 0.8, forgetting: 1 });
      const coin = createSeededRandom(9);
      for (let index = 0; index < 300; index++) {
        const embedding = index % 2 === 0 ? easy : hard;
        await engine.run(
          userRequest('Same words every time.'),
          async (tier) => {
            const rate = tier.id === 'strong' || embedding === easy ? 0.95 : 0.1;
            const correct = coin.next() < rate ? 1 : 0;
            return textAnswer('x', { metadata: { correct } });
          },
          { embedding },
        );
      }
      const routes = { easy: 0, hard: 0 };
      for (let index = 0; index < 50; index++) {
        if (
          (await engine.decide(userRequest('Same words every time.'), { embedding: easy })).tier.id ===
          'cheap'
        )
          routes.easy++;
        if (
          (await engine.decide(userRequest('Same words every time.'), { embedding: hard })).tier.id ===
          'cheap'
        )
          routes.hard++;
      }
      return routes;
    };
    const withEmbedding = await train(8);
    expect(withEmbedding.easy).toBeGreaterThan(40);
    expect(withEmbedding.hard).toBeLessThan(10);
    const withoutEmbedding = await train(0);
    // Without it the two kinds are one context: the bandit routes both the same way.
    expect(Math.abs(withoutEmbedding.easy - withoutEmbedding.hard)).toBeLessThan(15);
  });
});
