import { InvalidRouterOptionsError } from '../errors';
import { OutcomeMemory } from '../outcome-memory';
import type {
  ArmEstimate,
  PolicyChoice,
  PolicyContext,
  PolicyOutcome,
  RoutePolicy,
  RoutePrior,
  Tier,
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
  /**
   * What is known about the tiers before this deployment grades any answer: each listed tier's
   * expected quality as a share of the reference tier's (from a model card, or the models' records on
   * other tasks: `{ 'gpt-3.5-turbo': 0.95 }`). A listed tier starts at that share of the reference
   * tier's current estimate, worth `priorStrength` outcomes; unlisted tiers start as without it.
   */
  qualityShares?: Readonly<Record<string, number>>;
  /** The safe default: the tier that serves a request until another has evidence. Default the dearest. */
  referenceTier?: string;
  /**
   * Graded outcomes a tier needs before it can serve a request other than to explore. Until then the
   * reference tier serves, unless the tier wins the Thompson draw on an exploring request: no prior or
   * price alone routes traffic away from the reference. Default 3; 0 lets every tier compete from
   * the start on its starting expectation. (3 and an exploring share of 0.1 were chosen on RouterBench
   * ARC-Challenge; see docs/benchmarks-routing.md.)
   */
  minOutcomes?: number;
  /** Most share of requests sent to a tier without that evidence, to gather it. Default 0.1. */
  explorationShare?: number;
};

/** Most outcomes the overall record counts for in the exploration width. */
const OVERALL_WEIGHT_CAP = 30;

type NeighbourMemo = { kind: 'neighbour-bandit'; embedding: Float32Array };

type Settings = {
  memory: OutcomeMemory;
  costWeight: number;
  initialQuality: number;
  strongQuality: number;
  priorStrength: number;
  neighbourStrength: number;
  exploration: number;
  qualityShares: Readonly<Record<string, number>>;
  minOutcomes: number;
  explorationShare: number;
};

/**
 * A contextual bandit that learns per request without a model: each tier's expected quality is
 * what it scored on the most similar past requests that were graded (the memory's nearest
 * neighbours by embedding), shrunk toward a starting expectation; it picks the tier with the best
 * Thompson sample of quality − λ · relative cost. So it can learn that one tier does code and
 * another trivia from a few graded requests of each. Requests without an embedding use each tier's
 * overall mean and teach it nothing. With `minOutcomes`, a tier without that much evidence serves
 * only exploring requests (at most `explorationShare` of them); the reference tier serves the rest.
 */
export function neighbourBandit(options: NeighbourBanditOptions = {}): RoutePolicy {
  const settings = resolveSettings(options);
  const { memory, costWeight, exploration } = settings;
  return {
    name: 'bandit:neighbours',
    async decide(context: PolicyContext): Promise<PolicyChoice> {
      const prior = options.prior ? await context.evaluatePrior(options.prior) : undefined;
      const reference = referenceIndex(context, options.referenceTier);
      const arms = await estimateArms(context, settings, reference, prior ?? settings.initialQuality);
      const { tierIndex, reason } = pick(arms, reference, settings, context.random);
      const choice: PolicyChoice = {
        tierIndex,
        reason,
        arms: arms.map((arm) => arm.estimate),
        details: { costWeight, exploration },
      };
      const embedding = context.features.embedding;
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

function resolveSettings(options: NeighbourBanditOptions): Settings {
  const shares = options.qualityShares ?? {};
  for (const [tierId, share] of Object.entries(shares)) {
    if (!(share >= 0)) throw new InvalidRouterOptionsError(`qualityShares.${tierId} must be 0 or more`);
  }
  const explorationShare = nonNegative(options.explorationShare ?? 0.1, 'explorationShare');
  if (explorationShare > 1) throw new InvalidRouterOptionsError('explorationShare must be within 0..1');
  return {
    memory: options.memory ?? new OutcomeMemory({ neighbours: 20, smoothing: 0, minSimilarity: 0.5 }),
    costWeight: nonNegative(options.costWeight ?? 0.3, 'costWeight'),
    initialQuality: options.initialQuality ?? 0.7,
    strongQuality: options.strongQuality ?? 0.9,
    priorStrength: nonNegative(options.priorStrength ?? 2, 'priorStrength'),
    neighbourStrength: nonNegative(options.neighbourStrength ?? 3, 'neighbourStrength'),
    exploration: nonNegative(options.exploration ?? 0.5, 'exploration'),
    qualityShares: shares,
    minOutcomes: nonNegative(options.minOutcomes ?? 3, 'minOutcomes'),
    explorationShare,
  };
}

/** The configured reference tier, or the dearest one. */
function referenceIndex(context: PolicyContext, referenceTier: string | undefined): number {
  const configured =
    referenceTier === undefined ? -1 : context.tiers.findIndex((tier) => tier.id === referenceTier);
  if (configured >= 0) return configured;
  let dearest = 0;
  context.relativeCosts.forEach((cost, index) => {
    if (cost > (context.relativeCosts[dearest] as number)) dearest = index;
  });
  return dearest;
}

type Arm = { estimate: ArmEstimate; sampled: number; outcomes: number };

/** Each tier's expected reward for this request and its Thompson sample. */
async function estimateArms(
  context: PolicyContext,
  settings: Settings,
  reference: number,
  cheapQuality: number,
): Promise<Arm[]> {
  const { memory, costWeight, exploration } = settings;
  const count = context.tiers.length;
  const embedding = context.features.embedding;
  const referenceId = (context.tiers[reference] as Tier).id;
  const referenceQuality = await overallQuality(
    memory,
    referenceId,
    settings.strongQuality,
    settings.priorStrength,
  );
  const arms: Arm[] = [];
  for (const [index, tier] of context.tiers.entries()) {
    const share = index === reference ? undefined : settings.qualityShares[tier.id];
    const start =
      share !== undefined
        ? Math.min(1, share * referenceQuality)
        : count > 1
          ? cheapQuality + ((settings.strongQuality - cheapQuality) * index) / (count - 1)
          : cheapQuality;
    const { quality, weight, neighbours } = await expectedQuality(
      memory,
      tier.id,
      embedding,
      start,
      settings,
    );
    const spread = Math.sqrt(Math.max(quality * (1 - quality), 0.01) / (weight + 1));
    const relativeCost = context.relativeCosts[index] as number;
    const mean = quality - costWeight * relativeCost;
    const sampled = mean + exploration * spread * context.normal();
    arms.push({
      estimate: {
        tierId: tier.id,
        mean: round(mean),
        sampled: round(sampled),
        uncertainty: round(spread),
        relativeCost: round(relativeCost),
        priorQuality: round(start),
        observations: neighbours,
      },
      sampled,
      outcomes: memory.size(tier.id),
    });
  }
  return arms;
}

/**
 * The best sample among the tiers with evidence (and the reference); a tier without evidence whose
 * sample beats them gets the request on an exploring share of requests.
 */
function pick(
  arms: readonly Arm[],
  reference: number,
  settings: Settings,
  random: () => number,
): { tierIndex: number; reason: string } {
  let proven = reference;
  let unproven = -1;
  arms.forEach((arm, index) => {
    if (index === reference || arm.outcomes >= settings.minOutcomes) {
      if (arm.sampled > (arms[proven] as Arm).sampled) proven = index;
    } else if (unproven < 0 || arm.sampled > (arms[unproven] as Arm).sampled) unproven = index;
  });
  if (unproven < 0 || (arms[unproven] as Arm).sampled <= (arms[proven] as Arm).sampled)
    return { tierIndex: proven, reason: 'highest-thompson-sample' };
  return random() < settings.explorationShare
    ? { tierIndex: unproven, reason: 'exploring-without-evidence' }
    : { tierIndex: proven, reason: 'others-lack-evidence' };
}

/** A tier's overall record shrunk toward its starting expectation. */
async function overallQuality(
  memory: OutcomeMemory,
  tierId: string,
  start: number,
  priorStrength: number,
): Promise<number> {
  const count = memory.size(tierId);
  const overall = count > 0 ? ((await memory.estimate(tierId, undefined))?.quality ?? start) : start;
  return (overall * count + start * priorStrength) / (count + priorStrength || 1);
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
  const base = await overallQuality(memory, tierId, start, strengths.priorStrength);
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
