import { describe, expect, it } from 'vitest';
import { promptRouteFeatures } from '../models/prior-features';
import { createSeededRandom } from '../seeded-random';
import type { PolicyChoice, PolicyContext, RoutePolicy, Tier } from '../types';
import { type NeighbourBanditOptions, type NeighbourBudget, neighbourBandit } from './neighbour-bandit';

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

/** Tells the policy how the tier it chose (or `tierIndex`) did on this request. */
async function grade(
  policy: RoutePolicy,
  choice: PolicyChoice,
  quality: number,
  tierIndex = choice.tierIndex,
) {
  await policy.update?.({
    choice,
    tierIndex,
    quality,
    relativeCost: COSTS[tierIndex]!,
    tiers: TIERS,
    source: 'run',
  });
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

  it('without the evidence gate, starts from the prior: a low prior keeps the request off the cheapest tier', async () => {
    const generator = createSeededRandom(6);
    const start = { costWeight: 0.1, exploration: 0, minOutcomes: 0 };
    const doubtful = neighbourBandit({ ...start, prior: async () => 0.1 });
    const confident = neighbourBandit({ ...start, prior: async () => 0.95 });
    expect((await doubtful.decide(context(0, generator))).tierIndex).toBe(2);
    expect((await confident.decide(context(0, generator))).tierIndex).toBe(0);
  });

  it('with no graded outcome, keeps requests on the reference tier but a bounded exploring share (the default)', async () => {
    const generator = createSeededRandom(8);
    const policy = neighbourBandit({ costWeight: 0.3 });
    const picks = [0, 0, 0];
    for (let step = 0; step < 300; step++) picks[(await policy.decide(context(0, generator))).tierIndex]!++;
    // Unguarded, the cheap tiers win on price alone; here the dearest (the default reference) serves.
    expect(picks[2]).toBeGreaterThanOrEqual(255);
    expect(picks[0]! + picks[1]!).toBeGreaterThan(0);
    const unguarded = neighbourBandit({ costWeight: 0.3, minOutcomes: 0 });
    expect((await unguarded.decide(context(0, generator))).tierIndex).not.toBe(2);
  });

  it('moves off the reference tier once graded outcomes show a cheap tier does as well', async () => {
    const generator = createSeededRandom(9);
    const policy = neighbourBandit({ costWeight: 0.3, minOutcomes: 5, explorationShare: 0.2 });
    // Both cheap tiers are right as often as the strong one on these requests.
    for (let step = 0; step < 300; step++) {
      const choice = await policy.decide(context(0, generator));
      await policy.update?.({
        choice,
        tierIndex: choice.tierIndex,
        quality: generator.next() < 0.9 ? 1 : 0,
        relativeCost: COSTS[choice.tierIndex]!,
        tiers: TIERS,
        source: 'run',
      });
    }
    const picks = [0, 0, 0];
    for (let step = 0; step < 100; step++) picks[(await policy.decide(context(0, generator))).tierIndex]!++;
    expect(picks[0]! + picks[1]!).toBeGreaterThanOrEqual(90);
  });

  it('explores first the cheap tier that the quality shares rate close to the reference', async () => {
    const generator = createSeededRandom(10);
    const policy = neighbourBandit({
      costWeight: 0.3,
      minOutcomes: 5,
      explorationShare: 1,
      referenceTier: 'strong',
      qualityShares: { coder: 0.3, trivia: 0.97 },
    });
    const picks = [0, 0, 0];
    for (let step = 0; step < 100; step++) picks[(await policy.decide(context(1, generator))).tierIndex]!++;
    expect(picks[1]).toBeGreaterThan(80);
    expect(picks[0]).toBeLessThan(5);
  });

  it('does not learn a failed call (no quality) as a wrong answer', async () => {
    const generator = createSeededRandom(11);
    const policy = neighbourBandit({ costWeight: 0.3, minOutcomes: 3, explorationShare: 0 });
    const choice = await policy.decide(context(0, generator));
    const outcome = { choice, tierIndex: 0, relativeCost: COSTS[0]!, tiers: TIERS, source: 'run' as const };
    for (let step = 0; step < 3; step++) await policy.update?.({ ...outcome, quality: 1 });
    // Twenty rate-limited calls on the same tier: had they counted as quality 0, it would look bad.
    for (let step = 0; step < 20; step++) await policy.update?.({ ...outcome, quality: Number.NaN });
    const picks = [0, 0, 0];
    for (let step = 0; step < 50; step++) picks[(await policy.decide(context(0, generator))).tierIndex]!++;
    expect(picks[0]).toBeGreaterThanOrEqual(45);
  });

  it('with sparse feedback, a growing exploring share proves the cheap tiers within 150 requests', async () => {
    // Every tier is right 90% of the time; only every fifth request is graded.
    const served = async (options: NeighbourBanditOptions) => {
      const generator = createSeededRandom(12);
      const policy = neighbourBandit({ costWeight: 0.3, ...options });
      for (let step = 0; step < 150; step++) {
        const choice = await policy.decide(context(0, generator));
        if (step % 5 === 4) await grade(policy, choice, generator.next() < 0.9 ? 1 : 0);
      }
      const picks = [0, 0, 0];
      for (let step = 0; step < 100; step++) picks[(await policy.decide(context(0, generator))).tierIndex]!++;
      return picks;
    };
    // The settings the larger RouterBench ARC-Challenge grid chose (docs/benchmarks-routing.md).
    const growing = await served({ minOutcomes: 6, maxExplorationShare: 0.3, exploit: 'mean' });
    // The exploring share held at 0.1: a third of the graded exploring outcomes, not yet enough.
    const fixed = await served({ minOutcomes: 6, exploit: 'mean' });
    expect(growing[0]! + growing[1]!).toBeGreaterThanOrEqual(80);
    expect(fixed[2]).toBeGreaterThanOrEqual(80);
  });

  it('with no feedback, keeps the base exploring share even when it may grow', async () => {
    const generator = createSeededRandom(13);
    const policy = neighbourBandit({ costWeight: 0.3, maxExplorationShare: 1 });
    const picks = [0, 0, 0];
    for (let step = 0; step < 300; step++) picks[(await policy.decide(context(0, generator))).tierIndex]!++;
    expect(picks[2]).toBeGreaterThanOrEqual(255);
  });

  it("with exploit: 'mean', sends every request that does not explore to the best expected reward", async () => {
    const picks = async (exploit: 'sample' | 'mean') => {
      const generator = createSeededRandom(14);
      // Noisy Thompson draws; the coder is better than the trivia tier on this kind.
      const policy = neighbourBandit({ costWeight: 0.3, exploration: 3, minOutcomes: 0, exploit });
      for (let step = 0; step < 200; step++) {
        const choice = await policy.decide(context(0, generator));
        const right = [0.95, 0.7, 0.95][choice.tierIndex]!;
        await grade(policy, choice, generator.next() < right ? 1 : 0);
      }
      const counts = [0, 0, 0];
      for (let step = 0; step < 200; step++)
        counts[(await policy.decide(context(0, generator))).tierIndex]!++;
      return counts;
    };
    const greedy = await picks('mean');
    const sampled = await picks('sample');
    expect(greedy[0]).toBeGreaterThanOrEqual(180);
    // Thompson exploitation still sends a share to the others on noise alone.
    expect(sampled[0]).toBeLessThan(greedy[0]! - 15);
  });

  it('with shareDifficulty, a tier untried on a kind of request expects the difficulty the others found there', async () => {
    const estimate = async (shareDifficulty: boolean) => {
      const generator = createSeededRandom(15);
      const policy = neighbourBandit({ costWeight: 0.3, minOutcomes: 0, shareDifficulty });
      const graded = async (kind: 0 | 1, tierIndex: number, quality: number) => {
        const choice = await policy.decide(context(kind, generator));
        await grade(policy, choice, quality, tierIndex);
      };
      for (let step = 0; step < 20; step++) {
        // Kind 0 is hard: the coder and the strong tier got it wrong; kind 1 every tier got right,
        // and the trivia tier was only ever tried on kind 1.
        await graded(0, 0, 0);
        await graded(0, 2, 0);
        for (const tier of [0, 1, 2]) await graded(1, tier, 1);
      }
      const choice = await policy.decide(context(0, generator));
      return choice.arms!.find((arm) => arm.tierId === 'trivia')!.mean;
    };
    // Without sharing, the trivia tier's perfect record on easy requests makes it look good on the
    // hard kind; with it, that record is discounted by what the others found there.
    expect(await estimate(false)).toBeGreaterThan(0.9);
    expect(await estimate(true)).toBeLessThan(0.8);
  });

  describe('with a spending target (budget)', () => {
    /**
     * 2,000 requests, every one graded: the coder is right 80% of the time, the trivia tier 60%, the
     * strong tier always. Returns the share of the strong tier's dollars spent and the quality, over
     * the last 1,000 requests (after the controller has found its λ), and the last λ.
     */
    async function run(options: NeighbourBanditOptions) {
      const generator = createSeededRandom(11);
      const outcomes = createSeededRandom(12);
      const policy = neighbourBandit({ costWeight: 0.3, ...options });
      const correct = [0.8, 0.6, 1];
      let spent = 0;
      let quality = 0;
      let lambda = Number.NaN;
      for (let step = 0; step < 2000; step++) {
        const choice = await policy.decide(context((step % 2) as 0 | 1, generator));
        const right = outcomes.next() < correct[choice.tierIndex]! ? 1 : 0;
        await grade(policy, choice, right);
        lambda = choice.details?.costWeight as number;
        if (step < 1000) continue;
        spent += COSTS[choice.tierIndex]! / COSTS[2]!;
        quality += right;
      }
      return { spentShare: spent / 1000, quality: quality / 1000, lambda };
    }

    it('spends up to the budget to buy quality that a fixed λ leaves on the table', async () => {
      const fixed = await run({});
      const budgeted = await run({ budget: { shareOfReference: 0.5 } });
      expect(fixed.spentShare).toBeLessThan(0.25);
      expect(budgeted.spentShare).toBeGreaterThan(0.4);
      expect(budgeted.spentShare).toBeLessThan(0.6);
      expect(budgeted.quality).toBeGreaterThan(fixed.quality + 0.05);
      expect(budgeted.lambda).toBeLessThan(0.3);
    });

    it('raises λ until the spending comes down to the budget when quality alone would pick the reference', async () => {
      const unbounded = await run({ costWeight: 0 });
      const budgeted = await run({ costWeight: 0, budget: { shareOfReference: 0.2 } });
      expect(unbounded.spentShare).toBeGreaterThan(0.8);
      expect(budgeted.spentShare).toBeGreaterThan(0.1);
      expect(budgeted.spentShare).toBeLessThan(0.3);
      expect(budgeted.lambda).toBeGreaterThan(0);
    });

    it('never caps λ above maxCostWeight, and does not move the gate: no evidence, no route away', async () => {
      const capped = await run({ costWeight: 0, budget: { shareOfReference: 0.05, maxCostWeight: 0.1 } });
      expect(capped.lambda).toBeLessThanOrEqual(0.1);
      // With no graded outcome the reference serves all but the exploring share, whatever the budget.
      const generator = createSeededRandom(3);
      const policy = neighbourBandit({ budget: { shareOfReference: 0.05 } });
      let onReference = 0;
      for (let step = 0; step < 300; step++)
        if ((await policy.decide(context((step % 2) as 0 | 1, generator))).tierIndex === 2) onReference++;
      expect(onReference).toBeGreaterThanOrEqual(255);
    });

    it('steers estimated dollars per request the same way', async () => {
      // Estimated dollars equal the relative costs here: 0.5 dollars a request is half the reference's.
      const budgeted = await run({ budget: { dollarsPerRequest: 0.5 } });
      expect(budgeted.spentShare).toBeGreaterThan(0.4);
      expect(budgeted.spentShare).toBeLessThan(0.6);
    });

    it('rejects a share outside (0, 1], a budget in both units or neither, and a negative step', () => {
      const both = { shareOfReference: 0.3, dollarsPerRequest: 0.01 } as unknown as NeighbourBudget;
      expect(() => neighbourBandit({ budget: { shareOfReference: 0 } })).toThrow(/shareOfReference/);
      expect(() => neighbourBandit({ budget: { shareOfReference: 1.2 } })).toThrow(/shareOfReference/);
      expect(() => neighbourBandit({ budget: { dollarsPerRequest: -1 } })).toThrow(/dollarsPerRequest/);
      expect(() => neighbourBandit({ budget: both })).toThrow(/one of/);
      expect(() => neighbourBandit({ budget: {} as NeighbourBudget })).toThrow(/one of/);
      expect(() => neighbourBandit({ budget: { shareOfReference: 0.3, step: -1 } })).toThrow(/step/);
    });
  });

  describe('exploring in the shadow (exploreInShadow)', () => {
    /**
     * 600 requests, each graded: the coder is right on code, the trivia tier on trivia, the strong
     * tier always; a tier serves other than to explore after 20 outcomes. Counts the exploring requests a cheap tier served, the shadow calls, and which
     * tier each graded outcome was about.
     */
    async function run(exploreInShadow: boolean) {
      const generator = createSeededRandom(21);
      const policy = neighbourBandit({ exploreInShadow, explorationShare: 0.2, minOutcomes: 20 });
      const correct = (tier: number, kind: 0 | 1) => (tier === 2 || tier === kind ? 1 : 0);
      let exploringServedCheap = 0;
      let shadows = 0;
      const learned = [0, 0, 0];
      for (let step = 0; step < 600; step++) {
        const kind = (step % 2) as 0 | 1;
        const choice = await policy.decide(context(kind, generator));
        if (choice.reason.startsWith('exploring') && choice.tierIndex !== 2) exploringServedCheap++;
        const graded = choice.shadowTierIndex ?? choice.tierIndex;
        if (choice.shadowTierIndex !== undefined) {
          shadows++;
          expect(choice.tierIndex).toBe(2);
          expect(choice.reason).toMatch(/^exploring.*-in-shadow$/);
          expect(choice.details?.shadowTier).toBe(TIERS[graded]!.id);
        }
        learned[graded]!++;
        await grade(policy, choice, correct(graded, kind), graded);
      }
      const late = { code: 0, trivia: 0 };
      for (let step = 0; step < 50; step++) {
        if ((await policy.decide(context(0, generator))).tierIndex === 0) late.code++;
        if ((await policy.decide(context(1, generator))).tierIndex === 1) late.trivia++;
      }
      return { exploringServedCheap, shadows, learned, late };
    }

    it('serves the reference while an exploring request teaches it about the explored tier', async () => {
      const plain = await run(false);
      const shadow = await run(true);
      // Exploring serves the explored tier's answer, unless it only calls the tier in the shadow.
      expect(plain.exploringServedCheap).toBeGreaterThan(20);
      expect(plain.shadows).toBe(0);
      expect(shadow.exploringServedCheap).toBe(0);
      expect(shadow.shadows).toBeGreaterThan(20);
      // The cheap tiers are learned as fast (from the shadow answers) and serve what they are good at.
      expect(shadow.learned).toEqual(plain.learned);
      expect(shadow.learned[0]! + shadow.learned[1]!).toBeGreaterThan(300);
      expect(shadow.late.code).toBeGreaterThanOrEqual(45);
      expect(shadow.late.trivia).toBeGreaterThanOrEqual(45);
    });

    it('counts the shadow call in the spending target', async () => {
      const generator = createSeededRandom(4);
      const decideAll = async (exploreInShadow: boolean) => {
        const policy = neighbourBandit({
          exploreInShadow,
          explorationShare: 1,
          costWeight: 0.3,
          budget: { shareOfReference: 0.5, step: 0.1 },
        });
        let lambda = 0;
        for (let step = 0; step < 20; step++) {
          const choice = await policy.decide(context((step % 2) as 0 | 1, generator));
          lambda = choice.details?.costWeight as number;
        }
        return lambda;
      };
      // Every request explores: served by the cheap tier it spends under the target, so λ falls;
      // served by the reference with the cheap tier beside it, it spends over, so λ rises.
      expect(await decideAll(false)).toBeLessThan(0.3);
      expect(await decideAll(true)).toBeGreaterThan(0.3);
    });
  });

  it('rejects a negative quality share, exploring shares outside 0..1 and an unknown exploit', () => {
    expect(() => neighbourBandit({ qualityShares: { coder: -1 } })).toThrow(/qualityShares/);
    expect(() => neighbourBandit({ explorationShare: 1.5 })).toThrow(/explorationShare/);
    expect(() => neighbourBandit({ maxExplorationShare: 2 })).toThrow(/maxExplorationShare/);
    expect(() => neighbourBandit({ exploit: 'best' as 'mean' })).toThrow(/exploit/);
  });
});
