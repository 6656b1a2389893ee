import { MemoryVectorIndex } from '../store/memory-vector-index';
import type { VectorIndex } from '../store/types';
import { InvalidRouterOptionsError } from './errors';
import type { PolicyChoice, PolicyOutcome, RoutePolicy, RoutePrior } from './types';

export type OutcomeMemoryOptions = {
  /** Past outcomes of a tier that an estimate reads: the nearest ones by embedding. Default 80. */
  neighbours?: number;
  /**
   * Pseudo-observations at the tier's overall mean quality added to every estimate, so a few
   * neighbours cannot swing it to 0 or 1. Default 5.
   */
  smoothing?: number;
  /**
   * Neighbours less similar than this (cosine) are not read: a tier tried only on other kinds of
   * request has no evidence about this one. Default: every neighbour counts.
   */
  minSimilarity?: number;
  /** Outcomes kept per tier; the oldest are forgotten first. Default 50,000. */
  capacity?: number;
  /**
   * Where the outcome vectors are searched. Default: exact search in memory, whose cost grows with
   * the outcomes held (about 1 ms per 1,000 per tier at 512 dimensions); beyond a few hundred
   * outcomes per tier, pass an approximate index (`new HnswVectorIndex()`) to keep decisions fast.
   */
  index?: VectorIndex;
  /** Prefix of the index partitions (one per tier), when the index is shared with other data. */
  namespace?: string;
};

/** What the memory says about one tier near a request. */
export type TierOutcomeEstimate = {
  tierId: string;
  /** Smoothed mean quality (0..1) of the tier's nearest past outcomes. */
  quality: number;
  /** Neighbours that contributed. */
  neighbours: number;
  /** Mean cosine similarity of those neighbours. */
  similarity: number;
};

/**
 * Remembers how each tier did on past requests (the request's embedding and a quality 0..1 from
 * a scorer, a cascade's review or a user's rating) and estimates, for a new request, how each tier
 * did on the most similar ones. Routing on it learns which kinds of request a cheap tier handles,
 * without training a model: outcomes can be recorded from logs with `record`, or learned live by
 * wrapping a policy with `learnFrom`.
 *
 * Outcomes' qualities are held in process memory; their vectors in the `index`.
 */
export class OutcomeMemory {
  private readonly neighbours: number;
  private readonly smoothing: number;
  private readonly capacity: number;
  private readonly minSimilarity: number;
  private readonly index: VectorIndex;
  private readonly namespace: string;
  private readonly tiers = new Map<string, TierOutcomes>();
  private sequence = 0;

  constructor(options: OutcomeMemoryOptions = {}) {
    this.neighbours = positiveInteger(options.neighbours ?? 80, 'neighbours');
    this.smoothing = options.smoothing ?? 5;
    if (!(this.smoothing >= 0)) throw new InvalidRouterOptionsError('smoothing must be 0 or more');
    this.capacity = positiveInteger(options.capacity ?? 50_000, 'capacity');
    this.minSimilarity = options.minSimilarity ?? Number.NEGATIVE_INFINITY;
    this.index = options.index ?? new MemoryVectorIndex();
    this.namespace = options.namespace ?? 'outcome-memory';
  }

  /** Records one observed outcome of a tier on a request with this embedding. */
  async record(embedding: Float32Array, tierId: string, quality: number): Promise<void> {
    if (!(quality >= 0 && quality <= 1)) throw new InvalidRouterOptionsError('quality must be within 0..1');
    let tier = this.tiers.get(tierId);
    if (!tier) {
      tier = { dimensions: embedding.length, quality: new Map(), order: [], sum: 0 };
      this.tiers.set(tierId, tier);
    } else if (tier.dimensions !== embedding.length) {
      throw new InvalidRouterOptionsError(
        `embedding has ${embedding.length} dimensions; this memory holds ${tier.dimensions}`,
      );
    }
    const key = `${this.namespace}:${tierId}:${this.sequence++}`;
    await this.index.add(this.partition(tierId), key, unit(embedding));
    tier.quality.set(key, quality);
    tier.order.push(key);
    tier.sum += quality;
    const forgotten: string[] = [];
    while (tier.order.length > this.capacity) {
      const oldest = tier.order.shift() as string;
      tier.sum -= tier.quality.get(oldest) ?? 0;
      tier.quality.delete(oldest);
      forgotten.push(oldest);
    }
    if (forgotten.length > 0) await this.index.delete(forgotten);
  }

  private partition(tierId: string): string {
    return `${this.namespace}:${tierId}`;
  }

  /** Outcomes held for a tier. */
  size(tierId: string): number {
    return this.tiers.get(tierId)?.order.length ?? 0;
  }

  /** The tier's smoothed quality near this embedding; undefined when it has no outcomes yet. */
  async estimate(
    tierId: string,
    embedding: Float32Array | undefined,
  ): Promise<TierOutcomeEstimate | undefined> {
    const tier = this.tiers.get(tierId);
    if (!tier || tier.order.length === 0) return undefined;
    const mean = tier.sum / tier.order.length;
    if (!embedding || embedding.length !== tier.dimensions) {
      return { tierId, quality: mean, neighbours: 0, similarity: 0 };
    }
    const matches = await this.index.search(this.partition(tierId), unit(embedding), this.neighbours);
    let sum = 0;
    let similarity = 0;
    let count = 0;
    for (const match of matches) {
      const quality = tier.quality.get(match.key);
      if (quality === undefined || match.similarity < this.minSimilarity) continue;
      sum += quality;
      similarity += match.similarity;
      count++;
    }
    return {
      tierId,
      quality: count + this.smoothing > 0 ? (sum + this.smoothing * mean) / (count + this.smoothing) : mean,
      neighbours: count,
      similarity: count > 0 ? similarity / count : 0,
    };
  }

  /**
   * A prior for `classifierPrior` or the bandit: the cheap tier's quality near this request
   * relative to the reference tier's, 1 − (quality(reference) − quality(cheap)), clamped to 0..1.
   * 1 means the cheap tier did as well as the reference on similar requests; 0.9 means it lost 10
   * points, so a threshold α reads as "accept a loss of up to 1 − α". 1 until both tiers have
   * outcomes (no evidence against the cheap tier yet).
   */
  prior(cheapTierId: string, referenceTierId: string): RoutePrior {
    return async (features) => {
      const [cheap, reference] = await Promise.all([
        this.estimate(cheapTierId, features.embedding),
        this.estimate(referenceTierId, features.embedding),
      ]);
      if (!cheap || !reference) return 1;
      return Math.min(1, Math.max(0, 1 - reference.quality + cheap.quality));
    };
  }

  /**
   * Wraps a policy so every outcome it learns from (automatic scores and `feedback`) is also
   * remembered here under the request's embedding. Decisions and reviews are the policy's own.
   */
  learnFrom(policy: RoutePolicy): RoutePolicy {
    const memory = this;
    const unwrap = (choice: PolicyChoice): PolicyChoice => {
      const memo = choice.memo as RememberedMemo | undefined;
      if (!memo || memo.kind !== REMEMBERED) return choice;
      const inner: PolicyChoice = { ...choice };
      if (memo.inner === undefined) delete inner.memo;
      else inner.memo = memo.inner;
      return inner;
    };
    const wrapped: RoutePolicy = {
      name: policy.name,
      async decide(context) {
        const choice = await policy.decide(context);
        const embedding = context.features.embedding;
        if (!embedding) return choice;
        const memo: RememberedMemo = { kind: REMEMBERED, inner: choice.memo, embedding };
        return { ...choice, memo };
      },
      async update(outcome: PolicyOutcome) {
        // The wrapped policy learns first, so a memory that fails (the router records the error
        // in the decision's details) never costs it an outcome.
        await policy.update?.({ ...outcome, choice: unwrap(outcome.choice) });
        const memo = outcome.choice.memo as RememberedMemo | undefined;
        const tierId = outcome.tiers[outcome.tierIndex]?.id;
        if (memo?.kind === REMEMBERED && tierId !== undefined && Number.isFinite(outcome.quality)) {
          await memory.record(memo.embedding, tierId, Math.min(1, Math.max(0, outcome.quality)));
        }
      },
    };
    if (policy.review) {
      const review = policy.review.bind(policy);
      wrapped.review = (input) => review({ ...input, choice: unwrap(input.choice) });
    }
    return wrapped;
  }
}

type TierOutcomes = {
  dimensions: number;
  quality: Map<string, number>;
  /** Keys oldest first, for the capacity bound. */
  order: string[];
  sum: number;
};

const REMEMBERED = 'outcome-memory';
type RememberedMemo = { kind: typeof REMEMBERED; inner: unknown; embedding: Float32Array };

function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0 || Math.abs(norm - 1) < 1e-6) return vector;
  return Float32Array.from(vector, (value) => value / norm);
}

function positiveInteger(value: number, name: string): number {
  if (!(Number.isInteger(value) && value > 0))
    throw new InvalidRouterOptionsError(`${name} must be a positive integer`);
  return value;
}
