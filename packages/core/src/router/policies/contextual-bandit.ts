import { InvalidRouterOptionsError } from '../errors';
import { LEXICAL_FEATURE_COUNT } from '../features/lexical-features';
import { createSeededRandom } from '../seeded-random';
import { MemoryBanditStateStore } from '../state/memory-bandit-state-store';
import type {
  ArmEstimate,
  ArmStatistics,
  BanditSnapshot,
  BanditStateStore,
  PolicyChoice,
  PolicyContext,
  PolicyOutcome,
  RoutePolicy,
} from '../types';
import { type BanditLayout, layoutSchema, migrateSnapshot } from './bandit-layout';
import { LinearPosterior } from './linear-posterior';
import { type PriorSource, priorFunction } from './prior-source';

export type ContextualBanditOptions = {
  /** 'thompson' (default) samples each arm's reward; 'linucb' takes its upper confidence bound. */
  algorithm?: 'thompson' | 'linucb';
  /**
   * The classifier prior. The bandit starts from it: the cheapest tier's expected quality is the
   * prior's probability, the most expensive tier's is `strongQuality`, tiers between are in between,
   * and what the bandit learns is a correction on top, shrunk toward zero by `priorStrength`.
   */
  prior?: PriorSource;
  /** Expected quality of the most expensive tier before any outcome. Default 0.9. */
  strongQuality?: number;
  /** Expected quality of the cheapest tier when there is no prior. Default 0.7. */
  initialQuality?: number;
  /** How many observations the prior is worth (the ridge of the regression). Default 4. */
  priorStrength?: number;
  /**
   * λ in reward = quality − λ · relative cost (the call's cost as a share of the most expensive
   * tier's for the same request). Default 0.3: a tier costing nothing is preferred when it loses
   * less than 0.3 of quality. It wins over a λ stored by an earlier configuration; with `budget`,
   * this is the starting value and the stored, budget-derived λ is kept.
   */
  costWeight?: number;
  /**
   * Derive λ from a budget: after each outcome λ rises when the call cost more than the budget
   * and falls when it cost less (a Lagrange multiplier), so average spend settles near it.
   */
  budget?: { dollarsPerRequest: number; learningRate?: number };
  /**
   * Scale of exploration: the Thompson noise (default 0.3) or the UCB width (default 1, wider
   * because an upper bound never explores by chance).
   */
  exploration?: number;
  /**
   * Weight kept by older observations at each update (1 = never forget). Default 0.998: the bandit
   * follows a tier that gets better or worse, and keeps some doubt about arms it stopped trying.
   */
  forgetting?: number;
  /** Where the statistics live; default in memory. Use `SqliteBanditStateStore` to survive restarts. */
  store?: BanditStateStore;
  /** The bandit's key in the store. Default 'default'. */
  id?: string;
  /**
   * Milliseconds after which a decision reloads the statistics from the store, so a process that
   * only decides sees what other processes learned. Default 5,000; 0 reloads before every decision.
   */
  refreshIntervalMs?: number;
  /**
   * Also learn from the request's embedding, through a fixed random projection to this many
   * dimensions (0 = lexical features and the prior only, the default). Each dimension adds to
   * the d² cost of a decision; 8 to 16 is plenty. Requests without an embedding contribute zeros.
   */
  embeddingProjection?: number;
};

const BASE_DIMENSIONS = 2 + LEXICAL_FEATURE_COUNT;
// Fixed, so a projection made after a restart matches the one the stored statistics were learned with.
const PROJECTION_SEED = 0x5eed;

type BanditMemo = {
  banditId: string;
  context: Float64Array;
  priorQualities: Float64Array;
};

/**
 * A contextual bandit over tiers: a Bayesian linear model of each tier's quality given the
 * request's features, started from the classifier prior, choosing by Thompson sampling or LinUCB
 * on quality minus λ times relative cost. Learns from `run` outcomes and from `feedback`.
 */
export function contextualBandit(options: ContextualBanditOptions = {}): RoutePolicy & {
  /** The statistics as stored (loads them on first use). */
  snapshot(): Promise<BanditSnapshot | undefined>;
} {
  const algorithm = options.algorithm ?? 'thompson';
  const strongQuality = options.strongQuality ?? 0.9;
  const initialQuality = options.initialQuality ?? 0.7;
  const ridge = options.priorStrength ?? 4;
  const priorOf = priorFunction(options.prior);
  const exploration = options.exploration ?? (algorithm === 'linucb' ? 1 : 0.3);
  const forgetting = options.forgetting ?? 0.998;
  const store = options.store ?? new MemoryBanditStateStore();
  const banditId = options.id ?? 'default';
  const initialCostWeight = options.costWeight ?? 0.3;
  const projected = Math.max(0, Math.floor(options.embeddingProjection ?? 0));
  const refreshIntervalMs = Math.max(0, options.refreshIntervalMs ?? 5000);
  validate(options, ridge, forgetting);
  const layout: BanditLayout = { lexical: LEXICAL_FEATURE_COUNT, projection: projected };
  const dimensions = BASE_DIMENSIONS + projected;
  const schema = layoutSchema(layout);
  let projection: Float64Array | undefined;

  let snapshot: BanditSnapshot | undefined;
  let loading: Promise<void> | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let pendingUpdate: Promise<unknown> = Promise.resolve();
  const posteriors = new Map<string, LinearPosterior>();
  const stale = new Set<string>();

  /** The stored statistics in this layout (migrated from another one), with the configured λ. */
  function adopt(stored: BanditSnapshot | undefined): BanditSnapshot | undefined {
    const current = stored ? migrateSnapshot(stored, layout) : undefined;
    if (current && !options.budget) current.costWeight = initialCostWeight;
    return current;
  }

  function load(): Promise<void> {
    loading ??= store
      .load(banditId)
      .then((stored) => {
        snapshot = adopt(stored);
        loadedAt = Date.now();
        for (const id of posteriors.keys()) stale.add(id);
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  function needsLoad(): boolean {
    return Date.now() - loadedAt >= refreshIntervalMs || loadedAt === Number.NEGATIVE_INFINITY;
  }

  function posterior(tierId: string): LinearPosterior {
    let arm = posteriors.get(tierId);
    if (!arm) {
      arm = new LinearPosterior(dimensions);
      posteriors.set(tierId, arm);
      stale.add(tierId);
    }
    if (stale.has(tierId)) {
      arm.refresh(snapshot?.arms[tierId], ridge);
      stale.delete(tierId);
    }
    return arm;
  }

  const name = `bandit:${algorithm}`;
  return {
    name,
    async decide(context: PolicyContext): Promise<PolicyChoice> {
      if (needsLoad()) await load();
      const prior = priorOf ? await context.evaluatePrior(priorOf) : undefined;
      const tiers = context.tiers;
      const count = tiers.length;
      const features = new Float64Array(dimensions);
      features[0] = 1;
      features[1] = (prior ?? 0.5) - 0.5;
      features.set(context.features.lexical.subarray(0, LEXICAL_FEATURE_COUNT), 2);
      const embedding = context.features.embedding;
      if (projected > 0 && embedding) {
        if (!projection || projection.length !== projected * embedding.length) {
          projection = randomProjection(projected, embedding.length);
        }
        projectInto(features, BASE_DIMENSIONS, projection, embedding, projected);
      }
      const cheapQuality = prior ?? initialQuality;
      const priorQualities = new Float64Array(count);
      const costWeight = snapshot?.costWeight ?? initialCostWeight;
      const arms: ArmEstimate[] = [];
      let best = 0;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let index = 0; index < count; index++) {
        const tier = tiers[index] as (typeof tiers)[number];
        const priorQuality = cheapQuality + ((strongQuality - cheapQuality) * index) / (count - 1);
        priorQualities[index] = priorQuality;
        const arm = posterior(tier.id);
        const relativeCost = context.relativeCosts[index] as number;
        const mean = priorQuality + arm.mean(features) - costWeight * relativeCost;
        const spread = arm.spread(features);
        const estimate: ArmEstimate = {
          tierId: tier.id,
          mean: round(mean),
          uncertainty: round(exploration * spread),
          relativeCost: round(relativeCost),
          priorQuality: round(priorQuality),
          observations: round(snapshot?.arms[tier.id]?.observations ?? 0),
        };
        let value: number;
        if (algorithm === 'thompson') {
          value = mean + exploration * spread * context.normal();
          estimate.sampled = round(value);
        } else {
          value = mean + exploration * spread;
          estimate.upperBound = round(value);
        }
        arms.push(estimate);
        if (value > bestValue) {
          bestValue = value;
          best = index;
        }
      }
      const memo: BanditMemo = { banditId, context: features, priorQualities };
      const choice: PolicyChoice = {
        tierIndex: best,
        reason: algorithm === 'thompson' ? 'highest-thompson-sample' : 'highest-upper-bound',
        arms,
        details: { costWeight: round(costWeight), exploration, steps: snapshot?.steps ?? 0 },
        memo,
      };
      if (prior !== undefined) choice.prior = prior;
      return choice;
    },

    async update(outcome: PolicyOutcome): Promise<void> {
      const memo = outcome.choice.memo as BanditMemo | undefined;
      if (!memo || memo.banditId !== banditId || !(memo.context instanceof Float64Array)) return;
      const tier = outcome.tiers[outcome.tierIndex];
      if (!tier) return;
      const quality = clamp01(outcome.quality);
      const residual = quality - (memo.priorQualities[outcome.tierIndex] ?? 0);
      const run = async (): Promise<void> => {
        const updated = await store.update(banditId, (current) => {
          const next = adopt(current) ?? emptySnapshot(initialCostWeight, schema, dimensions);
          applyObservation(next, tier.id, memo.context, residual, forgetting, dimensions);
          const arm = next.arms[tier.id] as ArmStatistics;
          arm.rewardSum += quality - next.costWeight * outcome.relativeCost;
          if (options.budget && outcome.dollars !== undefined && outcome.source === 'run') {
            const target = options.budget.dollarsPerRequest;
            const rate = options.budget.learningRate ?? 0.05;
            next.costWeight = Math.max(0, next.costWeight + (rate * (outcome.dollars - target)) / target);
            next.spentDollars += outcome.dollars;
          }
          next.updatedAt = Date.now();
          return next;
        });
        snapshot = updated;
        loadedAt = Date.now();
        for (const id of posteriors.keys()) stale.add(id);
      };
      // One update at a time per bandit, in the order outcomes arrived.
      const chained = pendingUpdate.then(run, run);
      pendingUpdate = chained.catch(() => undefined);
      await chained;
    },

    async snapshot(): Promise<BanditSnapshot | undefined> {
      await pendingUpdate;
      if (!snapshot || needsLoad()) await load();
      return snapshot;
    },
  };
}

function applyObservation(
  snapshot: BanditSnapshot,
  tierId: string,
  context: Float64Array,
  residual: number,
  forgetting: number,
  dimensions: number,
): void {
  if (forgetting < 1) {
    for (const arm of Object.values(snapshot.arms)) {
      for (let index = 0; index < arm.precision.length; index++) {
        arm.precision[index] = (arm.precision[index] as number) * forgetting;
      }
      for (let index = 0; index < arm.weighted.length; index++) {
        arm.weighted[index] = (arm.weighted[index] as number) * forgetting;
      }
      arm.observations *= forgetting;
    }
  }
  let arm = snapshot.arms[tierId];
  if (!arm) {
    arm = {
      precision: new Float64Array(dimensions * dimensions),
      weighted: new Float64Array(dimensions),
      observations: 0,
      pulls: 0,
      rewardSum: 0,
    };
    snapshot.arms[tierId] = arm;
  }
  for (let row = 0; row < dimensions; row++) {
    const value = context[row] as number;
    arm.weighted[row] = (arm.weighted[row] as number) + residual * value;
    for (let column = 0; column < dimensions; column++) {
      const index = row * dimensions + column;
      arm.precision[index] = (arm.precision[index] as number) + value * (context[column] as number);
    }
  }
  arm.observations += 1;
  arm.pulls += 1;
  snapshot.steps += 1;
}

function emptySnapshot(costWeight: number, schema: string, dimensions: number): BanditSnapshot {
  return {
    schema,
    dimensions,
    steps: 0,
    costWeight,
    spentDollars: 0,
    arms: {},
    updatedAt: Date.now(),
  };
}

/** Gaussian rows scaled so a unit-length embedding projects to values of about ±0.5. */
function randomProjection(rows: number, columns: number): Float64Array {
  const generator = createSeededRandom(PROJECTION_SEED + columns);
  const matrix = new Float64Array(rows * columns);
  for (let index = 0; index < matrix.length; index++) matrix[index] = 0.5 * generator.normal();
  return matrix;
}

function projectInto(
  target: Float64Array,
  offset: number,
  projection: Float64Array,
  embedding: Float32Array,
  rows: number,
): void {
  const columns = embedding.length;
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    const start = row * columns;
    for (let column = 0; column < columns; column++) {
      sum += (projection[start + column] as number) * (embedding[column] as number);
    }
    target[offset + row] = sum;
  }
}

function validate(options: ContextualBanditOptions, ridge: number, forgetting: number): void {
  if (options.algorithm && options.algorithm !== 'thompson' && options.algorithm !== 'linucb') {
    throw new InvalidRouterOptionsError(`Unknown bandit algorithm '${String(options.algorithm)}'`);
  }
  if (!(ridge > 0)) throw new InvalidRouterOptionsError('priorStrength must be greater than 0');
  if (!(forgetting > 0 && forgetting <= 1))
    throw new InvalidRouterOptionsError('forgetting must be in (0, 1]');
  if (options.budget && !(options.budget.dollarsPerRequest > 0)) {
    throw new InvalidRouterOptionsError('budget.dollarsPerRequest must be greater than 0');
  }
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
