import { InvalidRouterOptionsError } from '../errors';
import { OutcomeMemory } from '../outcome-memory';
import type {
  ArmEstimate,
  PolicyChoice,
  PolicyContext,
  PolicyOutcome,
  RoutePolicy,
  RoutePrior,
} from '../types';

export type NeighbourBanditOptions = {
  /**
   * Where outcomes are remembered and searched. Default in memory, reading up to 20 neighbours at
   * cosine similarity 0.5 or more, with no smoothing (this policy shrinks toward its own start).
   */
  memory?: OutcomeMemory;
  /** λ in reward = quality − λ · relative cost. Default 0.3. */
  costWeight?: number;
  /**
   * The classifier prior: the cheapest tier's expected quality before any outcome (the most
   * expensive tier's is `strongQuality`, tiers between in between), as in `contextualBandit`.
   */
  prior?: RoutePrior;
  /** Expected quality of the cheapest tier when there is no prior. Default 0.7. */
  initialQuality?: number;
  /** Expected quality of the most expensive tier before any outcome. Default 0.9. */
  strongQuality?: number;
  /** How many outcomes the starting expectation is worth. Default 2. */
  priorStrength?: number;
  /**
   * How many outcomes the tier's overall record is worth against its outcomes on similar requests.
   * Default 3.
   */
  neighbourStrength?: number;
  /** Scale of the Thompson noise. Default 0.5 (chosen on RouterBench ARC-Challenge). */
  exploration?: number;
};

/** Most outcomes the overall record counts for in the exploration width. */
const OVERALL_WEIGHT_CAP = 30;

type NeighbourMemo = { kind: 'neighbour-bandit'; embedding: Float32Array };

/**
 * A contextual bandit that learns per request without a model: each tier's expected quality is
 * what it scored on the most similar past requests that were graded (the memory's nearest
 * neighbours by embedding), shrunk toward a starting expectation; it picks the tier with the best
 * Thompson sample of quality − λ · relative cost. So it can learn that one tier does code and
 * another trivia from a few graded requests of each. Requests without an embedding use each tier's
 * overall mean and teach it nothing.
 */
export function neighbourBandit(options: NeighbourBanditOptions = {}): RoutePolicy {
  const memory = options.memory ?? new OutcomeMemory({ neighbours: 20, smoothing: 0, minSimilarity: 0.5 });
  const costWeight = nonNegative(options.costWeight ?? 0.3, 'costWeight');
  const initialQuality = options.initialQuality ?? 0.7;
  const strongQuality = options.strongQuality ?? 0.9;
  const priorStrength = nonNegative(options.priorStrength ?? 2, 'priorStrength');
  const exploration = nonNegative(options.exploration ?? 0.5, 'exploration');
  const neighbourStrength = nonNegative(options.neighbourStrength ?? 3, 'neighbourStrength');
  return {
    name: 'bandit:neighbours',
    async decide(context: PolicyContext): Promise<PolicyChoice> {
      const prior = options.prior ? await context.evaluatePrior(options.prior) : undefined;
      const cheapQuality = prior ?? initialQuality;
      const count = context.tiers.length;
      const embedding = context.features.embedding;
      const arms: ArmEstimate[] = [];
      let best = 0;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (const [index, tier] of context.tiers.entries()) {
        const start =
          count > 1 ? cheapQuality + ((strongQuality - cheapQuality) * index) / (count - 1) : cheapQuality;
        const { quality, weight, neighbours } = await expectedQuality(memory, tier.id, embedding, start, {
          priorStrength,
          neighbourStrength,
        });
        const spread = Math.sqrt(Math.max(quality * (1 - quality), 0.01) / (weight + 1));
        const relativeCost = context.relativeCosts[index] as number;
        const mean = quality - costWeight * relativeCost;
        const sampled = mean + exploration * spread * context.normal();
        arms.push({
          tierId: tier.id,
          mean: round(mean),
          sampled: round(sampled),
          uncertainty: round(spread),
          relativeCost: round(relativeCost),
          priorQuality: round(start),
          observations: neighbours,
        });
        if (sampled > bestValue) {
          bestValue = sampled;
          best = index;
        }
      }
      const choice: PolicyChoice = {
        tierIndex: best,
        reason: 'highest-thompson-sample',
        arms,
        details: { costWeight, exploration },
      };
      if (embedding) choice.memo = { kind: 'neighbour-bandit', embedding } satisfies NeighbourMemo;
      if (prior !== undefined) choice.prior = prior;
      return choice;
    },
    async update(outcome: PolicyOutcome): Promise<void> {
      const memo = outcome.choice.memo as NeighbourMemo | undefined;
      const tier = outcome.tiers[outcome.tierIndex];
      if (memo?.kind !== 'neighbour-bandit' || !tier || !Number.isFinite(outcome.quality)) return;
      await memory.record(memo.embedding, tier.id, Math.min(1, Math.max(0, outcome.quality)));
    },
  };
}

/**
 * A tier's expected quality for a request: its outcomes on the similar past requests, shrunk toward
 * its overall record, which is itself shrunk toward the starting expectation.
 */
async function expectedQuality(
  memory: OutcomeMemory,
  tierId: string,
  embedding: Float32Array | undefined,
  start: number,
  strengths: { priorStrength: number; neighbourStrength: number },
): Promise<{ quality: number; weight: number; neighbours: number }> {
  const count = memory.size(tierId);
  const overall = count > 0 ? ((await memory.estimate(tierId, undefined))?.quality ?? start) : start;
  const base = (overall * count + start * strengths.priorStrength) / (count + strengths.priorStrength || 1);
  const near = embedding && count > 0 ? await memory.estimate(tierId, embedding) : undefined;
  const neighbours = near?.neighbours ?? 0;
  const shrink = Math.min(strengths.neighbourStrength, count + strengths.priorStrength);
  const quality =
    neighbours > 0 ? (near!.quality * neighbours + base * shrink) / (neighbours + shrink) : base;
  // The overall record narrows the doubt too, though less than outcomes on requests like this one.
  return {
    quality,
    weight: neighbours + Math.min(count + strengths.priorStrength, OVERALL_WEIGHT_CAP),
    neighbours,
  };
}

function nonNegative(value: number, name: string): number {
  if (!(value >= 0)) throw new InvalidRouterOptionsError(`${name} must be 0 or more`);
  return value;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
