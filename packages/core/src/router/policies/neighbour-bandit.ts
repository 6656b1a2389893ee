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

export type NeighbourBudget = (
  | { shareOfReference: number; dollarsPerRequest?: undefined }
  | { dollarsPerRequest: number; shareOfReference?: undefined }
) & { step?: number; maxCostWeight?: number };

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
   * ARC-Challenge; see docs/benchmarks-routing.md, which also reports the settings a larger grid chose
   * there — `minOutcomes` 6, `maxExplorationShare` 0.3, `exploit: 'mean'` — and why they are not the
   * defaults.)
   */
  minOutcomes?: number;
  /**
   * Share of requests that explore (go to the best Thompson sample among every tier, with or without
   * evidence) when every request is graded. Default 0.1. With `maxExplorationShare` above it, the
   * share grows as the feedback rate this policy observes (graded outcomes per decision) falls, so the
   * same share of the graded outcomes comes from exploring requests, up to `maxExplorationShare`.
   */
  explorationShare?: number;
  /**
   * Most share of requests that explore however sparse the feedback (never below
   * `explorationShare`). Default `explorationShare`: the share does not grow. At 0.3 with the default
   * 0.1 and 20% of requests graded, tiers are proven at 60% of the pace of full feedback instead of
   * 20%. The share grows only once an outcome has been graded, so with no feedback at all it stays at
   * `explorationShare`.
   */
  maxExplorationShare?: number;
  /**
   * What a request that does not explore goes to, among the tiers with evidence and the reference:
   * the best Thompson sample ('sample', the default) or the best expected reward ('mean': no
   * Thompson noise outside exploring requests).
   */
  exploit?: 'sample' | 'mean';
  /**
   * Lets the outcomes of every tier on similar requests move each tier's estimate (a request most
   * tiers got wrong is likely hard for the others too), on the log-odds scale. Default false.
   */
  shareDifficulty?: boolean;
  /**
   * A spending target instead of a fixed λ, in one of two units: `shareOfReference` (0.3: on average
   * at most 30% of what sending every request to the reference tier would cost, by the tiers' price
   * estimates) or `dollarsPerRequest` (estimated dollars). λ starts at `costWeight` and after each
   * decision moves by `step` × the decision's overspend (the chosen tier's estimated cost minus the
   * target, as a share of the reference's), kept within 0..`maxCostWeight` (default 1): it rises while
   * the router overspends (the reference serving while the other tiers gather evidence) and falls
   * while it underspends, so quality is bought with what the budget leaves. It is a target, not a cap:
   * the evidence gate still holds (no budget sends a request to a tier without evidence), so on short
   * runs it can overspend. Each policy instance keeps its own λ, in memory (several processes each
   * steer toward the target; a restarted process starts again from `costWeight`). `step` defaults to
   * 0.003 (chosen on RouterBench ARC-Challenge; see docs/benchmarks-routing.md).
   */
  budget?: NeighbourBudget;
  /**
   * Explores in the shadow: a request that explores another tier is served by the reference tier,
   * and the explored tier is called beside it (`PolicyChoice.shadowTierIndex`) only to be graded
   * (by the router's `rewardScorers`, e.g. a judge, which always grades a shadow answer). Exploring
   * then costs the explored tier's dollars on top of the reference's instead of the quality of an
   * unproven answer. Needs a grader in the router: without a score, the shadow call teaches nothing.
   * The budget counts both calls. Default false.
   */
  exploreInShadow?: boolean;
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
  maxExplorationShare: number;
  exploit: 'sample' | 'mean';
  shareDifficulty: boolean;
  budget: ResolvedBudget | undefined;
  exploreInShadow: boolean;
};

type ResolvedBudget = {
  shareOfReference?: number;
  dollarsPerRequest?: number;
  step: number;
  maxCostWeight: number;
};

/** What the policy has seen of its feedback: decisions it made that could teach, outcomes graded. */
type FeedbackCount = { decided: number; graded: number };

/**
 * A contextual bandit that learns per request without a model: each tier's expected quality is
 * what it scored on the most similar past requests that were graded (the memory's nearest
 * neighbours by embedding), shrunk toward a starting expectation; it picks the tier with the best
 * Thompson sample of quality − λ · relative cost (with `exploit: 'mean'`, the best expected value but
 * on exploring requests). So it can learn that one tier does code and another trivia from a few
 * graded requests of each. Requests without an embedding use each tier's
 * overall mean and teach it nothing. With `minOutcomes`, a tier without that much evidence serves
 * only exploring requests (`explorationShare` of them, more while feedback is sparse, up to
 * `maxExplorationShare`); the reference tier serves the rest.
 */
export function neighbourBandit(options: NeighbourBanditOptions = {}): RoutePolicy {
  const settings = resolveSettings(options);
  const { memory, exploration, budget } = settings;
  const feedback: FeedbackCount = { decided: 0, graded: 0 };
  // λ of the reward: fixed, or moved toward the spending target after each decision.
  let costWeight = settings.costWeight;
  return {
    name: 'bandit:neighbours',
    async decide(context: PolicyContext): Promise<PolicyChoice> {
      const prior = options.prior ? await context.evaluatePrior(options.prior) : undefined;
      const reference = referenceIndex(context, options.referenceTier);
      const arms = await estimateArms(
        context,
        settings,
        costWeight,
        reference,
        prior ?? settings.initialQuality,
      );
      const exploringShare = exploringShareNow(settings, feedback);
      const picked = pick(arms, reference, settings, exploringShare, context.random);
      const shadow =
        settings.exploreInShadow && picked.tierIndex !== reference && picked.reason.startsWith('exploring');
      const choice: PolicyChoice = {
        tierIndex: shadow ? reference : picked.tierIndex,
        reason: shadow ? `${picked.reason}-in-shadow` : picked.reason,
        arms: arms.map((arm) => arm.estimate),
        details: { costWeight: round(costWeight), exploration, exploringShare: round(exploringShare) },
      };
      if (shadow) {
        choice.shadowTierIndex = picked.tierIndex;
        (choice.details as Record<string, unknown>).shadowTier = (context.tiers[picked.tierIndex] as Tier).id;
      }
      if (budget) costWeight = nextCostWeight(costWeight, budget, context, choice, reference);
      const embedding = context.features.embedding;
      if (embedding) {
        choice.memo = { kind: 'neighbour-bandit', embedding } satisfies NeighbourMemo;
        feedback.decided++;
      }
      if (prior !== undefined) choice.prior = prior;
      return choice;
    },
    async update(outcome: PolicyOutcome): Promise<void> {
      const memo = outcome.choice.memo as NeighbourMemo | undefined;
      const tier = outcome.tiers[outcome.tierIndex];
      if (memo?.kind !== 'neighbour-bandit' || !tier || !Number.isFinite(outcome.quality)) return;
      await memory.record(memo.embedding, tier.id, Math.min(1, Math.max(0, outcome.quality)));
      feedback.graded++;
    },
  };
}

function resolveSettings(options: NeighbourBanditOptions): Settings {
  const shares = options.qualityShares ?? {};
  for (const [tierId, share] of Object.entries(shares)) {
    if (!(share >= 0)) throw new InvalidRouterOptionsError(`qualityShares.${tierId} must be 0 or more`);
  }
  const explorationShare = share(options.explorationShare ?? 0.1, 'explorationShare');
  const maxExplorationShare = share(options.maxExplorationShare ?? explorationShare, 'maxExplorationShare');
  const exploit = options.exploit ?? 'sample';
  if (exploit !== 'sample' && exploit !== 'mean')
    throw new InvalidRouterOptionsError(`exploit must be 'sample' or 'mean'`);
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
    maxExplorationShare: Math.max(maxExplorationShare, explorationShare),
    exploit,
    shareDifficulty: options.shareDifficulty ?? false,
    budget: resolveBudget(options),
    exploreInShadow: options.exploreInShadow ?? false,
  };
}

function resolveBudget(options: NeighbourBanditOptions): ResolvedBudget | undefined {
  const budget = options.budget;
  if (budget === undefined) return undefined;
  const { shareOfReference: share, dollarsPerRequest: dollars } = budget;
  if ((share === undefined) === (dollars === undefined))
    throw new InvalidRouterOptionsError('budget takes one of shareOfReference and dollarsPerRequest');
  if (share !== undefined && !(share > 0 && share <= 1))
    throw new InvalidRouterOptionsError('budget.shareOfReference must be above 0 and at most 1');
  if (dollars !== undefined && !(dollars > 0))
    throw new InvalidRouterOptionsError('budget.dollarsPerRequest must be above 0');
  return {
    ...(share === undefined ? { dollarsPerRequest: dollars } : { shareOfReference: share }),
    step: nonNegative(budget.step ?? 0.003, 'budget.step'),
    maxCostWeight: nonNegative(budget.maxCostWeight ?? 1, 'budget.maxCostWeight'),
  };
}

/**
 * One step of the spending controller: λ rises by `step` × this decision's overspend (the estimated
 * cost of the tiers it calls, a shadow tier's included, minus the target, as a share of the
 * reference's) and falls by the underspend, within 0..`maxCostWeight`. A reference without a cost
 * estimate teaches it nothing.
 */
function nextCostWeight(
  costWeight: number,
  budget: ResolvedBudget,
  context: PolicyContext,
  choice: PolicyChoice,
  reference: number,
): number {
  const referenceCost = context.relativeCosts[reference] as number;
  const referenceDollars = context.estimatedDollars[reference] as number;
  // What the decision calls: the serving tier, and the shadow tier beside it.
  const spent = (costs: Float64Array) =>
    (costs[choice.tierIndex] as number) +
    (choice.shadowTierIndex === undefined ? 0 : (costs[choice.shadowTierIndex] as number));
  let overspend: number;
  if (budget.shareOfReference !== undefined) {
    if (!(referenceCost > 0)) return costWeight;
    overspend = spent(context.relativeCosts) / referenceCost - budget.shareOfReference;
  } else {
    if (!(referenceDollars > 0)) return costWeight;
    overspend = (spent(context.estimatedDollars) - (budget.dollarsPerRequest as number)) / referenceDollars;
  }
  return Math.min(budget.maxCostWeight, Math.max(0, costWeight + budget.step * overspend));
}

/**
 * The share of requests that explore: `explorationShare` divided by the feedback rate seen so far
 * (graded outcomes per decision, counted from one of each so that early counts cannot swing it), so
 * that the same share of graded outcomes explores at any feedback rate; at most
 * `maxExplorationShare`. Before the first graded outcome, `explorationShare` (no feedback seen, no
 * reason to explore more).
 */
function exploringShareNow(settings: Settings, feedback: FeedbackCount): number {
  if (feedback.graded === 0) return settings.explorationShare;
  const rate = Math.min(1, (feedback.graded + 1) / (feedback.decided + 1));
  return Math.min(settings.maxExplorationShare, settings.explorationShare / rate);
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

type Arm = { estimate: ArmEstimate; mean: number; sampled: number; outcomes: number };

/** Each tier's expected reward for this request and its Thompson sample. */
async function estimateArms(
  context: PolicyContext,
  settings: Settings,
  costWeight: number,
  reference: number,
  cheapQuality: number,
): Promise<Arm[]> {
  const { memory, exploration } = settings;
  const count = context.tiers.length;
  const embedding = context.features.embedding;
  const referenceId = (context.tiers[reference] as Tier).id;
  const referenceQuality = await overallQuality(
    memory,
    referenceId,
    settings.strongQuality,
    settings.priorStrength,
  );
  const evidence: TierEvidence[] = [];
  for (const [index, tier] of context.tiers.entries()) {
    const share = index === reference ? undefined : settings.qualityShares[tier.id];
    const start =
      share !== undefined
        ? Math.min(1, share * referenceQuality)
        : count > 1
          ? cheapQuality + ((settings.strongQuality - cheapQuality) * index) / (count - 1)
          : cheapQuality;
    evidence.push(await tierEvidence(memory, tier.id, embedding, start, settings));
  }
  const offsets = settings.shareDifficulty ? difficultyOffsets(evidence) : undefined;
  const arms: Arm[] = [];
  for (const [index, tier] of context.tiers.entries()) {
    const tierSeen = evidence[index] as TierEvidence;
    const { quality, weight, neighbours } = expectedQuality(tierSeen, offsets?.[index] ?? 0);
    const start = tierSeen.start;
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
      mean,
      sampled,
      outcomes: memory.size(tier.id),
    });
  }
  return arms;
}

/**
 * An exploring request goes to the best sample among all tiers; the others to the best sample (or
 * mean, with `exploit: 'mean'`) among the tiers with evidence and the reference.
 */
function pick(
  arms: readonly Arm[],
  reference: number,
  settings: Settings,
  exploringShare: number,
  random: () => number,
): { tierIndex: number; reason: string } {
  const score = (arm: Arm) => (settings.exploit === 'mean' ? arm.mean : arm.sampled);
  let exploit = reference;
  let explore = reference;
  arms.forEach((arm, index) => {
    if (arm.sampled > (arms[explore] as Arm).sampled) explore = index;
    const proven = index === reference || arm.outcomes >= settings.minOutcomes;
    if (proven && score(arm) > score(arms[exploit] as Arm)) exploit = index;
  });
  const exploitReason = settings.exploit === 'mean' ? 'highest-mean' : 'highest-thompson-sample';
  if (explore === exploit) return { tierIndex: exploit, reason: exploitReason };
  const unproven = (arms[explore] as Arm).outcomes < settings.minOutcomes && explore !== reference;
  if (random() < exploringShare)
    return { tierIndex: explore, reason: unproven ? 'exploring-without-evidence' : 'exploring' };
  return { tierIndex: exploit, reason: unproven ? 'others-lack-evidence' : exploitReason };
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

type TierEvidence = {
  start: number;
  /** Graded outcomes held, the overall record shrunk toward the start. */
  count: number;
  base: number;
  /** Mean quality of the similar graded requests, and how many there were. */
  near: number;
  neighbours: number;
  /** How many outcomes the overall record is worth against the neighbours. */
  shrink: number;
  priorStrength: number;
};

/** What the memory holds about a tier, overall and on requests like this one. */
async function tierEvidence(
  memory: OutcomeMemory,
  tierId: string,
  embedding: Float32Array | undefined,
  start: number,
  strengths: { priorStrength: number; neighbourStrength: number },
): Promise<TierEvidence> {
  const count = memory.size(tierId);
  const base = await overallQuality(memory, tierId, start, strengths.priorStrength);
  const found = embedding && count > 0 ? await memory.estimate(tierId, embedding) : undefined;
  const neighbours = found?.neighbours ?? 0;
  return {
    start,
    count,
    base,
    near: neighbours > 0 ? (found as { quality: number }).quality : base,
    neighbours,
    shrink: Math.min(strengths.neighbourStrength, count + strengths.priorStrength),
    priorStrength: strengths.priorStrength,
  };
}

/**
 * A tier's expected quality for a request: its outcomes on the similar past requests, shrunk toward
 * its overall record (moved by `offset` on the log-odds scale: how much harder or easier the other
 * tiers found requests like this one), which is itself shrunk toward the starting expectation.
 */
function expectedQuality(
  seen: TierEvidence,
  offset: number,
): { quality: number; weight: number; neighbours: number } {
  const base = offset === 0 ? seen.base : logistic(logit(seen.base) + offset);
  const { neighbours, shrink } = seen;
  const quality = neighbours > 0 ? (seen.near * neighbours + base * shrink) / (neighbours + shrink) : base;
  // The overall record narrows the doubt too, though less than outcomes on requests like this one.
  return {
    quality,
    weight: neighbours + Math.min(seen.count + seen.priorStrength, OVERALL_WEIGHT_CAP),
    neighbours,
  };
}

/**
 * For each tier, how much easier (positive) or harder the OTHER tiers found requests like this one
 * than their overall record, in log-odds, weighted by their neighbours: a request that most tiers got
 * wrong is likely hard for a tier not yet tried on it too. Each tier's own neighbours are left out
 * (they already count in its estimate).
 */
function difficultyOffsets(evidence: readonly TierEvidence[]): number[] {
  const shifts = evidence.map((seen) =>
    seen.neighbours === 0 ? 0 : logit(expectedQuality(seen, 0).quality) - logit(seen.base),
  );
  let weighted = 0;
  let total = 0;
  evidence.forEach((seen, index) => {
    weighted += seen.neighbours * (shifts[index] as number);
    total += seen.neighbours;
  });
  return evidence.map((seen, index) => {
    const others = total - seen.neighbours;
    return others > 0 ? (weighted - seen.neighbours * (shifts[index] as number)) / others : 0;
  });
}

function logit(probability: number): number {
  const clamped = Math.min(0.99, Math.max(0.01, probability));
  return Math.log(clamped / (1 - clamped));
}

function logistic(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

function share(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw new InvalidRouterOptionsError(`${name} must be within 0..1`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!(value >= 0)) throw new InvalidRouterOptionsError(`${name} must be 0 or more`);
  return value;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
