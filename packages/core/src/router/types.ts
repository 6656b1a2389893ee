/**
 * Public types of the router engine. Framework-neutral: adapters (LangChain, AI SDK) convert
 * their model objects into tiers and pass a `CallTier` function; the engine never calls a model
 * itself.
 */
import type { CachedResponse, Usage } from '../cache/cached-response';
import type { Embedder } from '../embedder/embedder';
import type { CostLedger } from '../ledger/cost-ledger';
import type { LedgerRecord } from '../ledger/types';
import type { Pricing } from '../pricing/create-pricing';
import type { ModelPriceOverride } from '../pricing/model-price';
import type { GenerationSettings, TokenomicsRequest } from '../request/request';
import type { DecisionTrace } from '../trace/trace';
import type { RetryOptions } from './faults/call-with-retries';
import type { CircuitBreakerOptions } from './faults/circuit-breaker';
import type { ProviderErrorKind } from './faults/provider-errors';

/** One arm of the router: a model plus the settings it is called with. */
export type Tier = {
  /** Unique among the router's tiers; used in traces, state and feedback. */
  id: string;
  /** Provider-qualified model id (e.g. `openai:gpt-4o-mini`), used for pricing and the ledger. */
  model: string;
  /** Merged over the request's settings when this tier is called. */
  settings?: Partial<GenerationSettings>;
  /**
   * Dollars per million tokens for this tier (a fine-tuned or self-hosted model, a negotiated
   * rate, a model the registry lacks). Wins over `pricing` everywhere the tier is priced: the
   * router's choice, `RouteResult.cost`, the route metadata and the ledger record.
   */
  price?: ModelPriceOverride;
};

/**
 * A tier's answer: the cache's framework-neutral response shape. Token logprobs, when the provider
 * returns them, go in `metadata.logprobs` (number[], `{ logprob }[]`, or OpenAI's `{ content: [...] }`).
 */
export type TierAnswer = CachedResponse;

/** Why the engine is calling a tier. */
export type TierCallPurpose = 'answer' | 'agreement' | 'judge' | 'shadow';

export type TierCallContext = {
  /** 0 for the first call of a run, then 1, 2, ... for escalations, fallbacks and extra samples. */
  attempt: number;
  purpose: TierCallPurpose;
  traceId: string;
  signal?: AbortSignal;
};

/**
 * Calls one tier. `request` already names the tier's model and carries its merged settings;
 * adapters usually pick their framework model object by `tier.id`.
 */
export type CallTier = (
  tier: Tier,
  request: TokenomicsRequest,
  context: TierCallContext,
) => Promise<TierAnswer>;

/** What the policies see of a request. Built once per decision; cheap to build (no embedding unless given). */
export type RouteFeatures = {
  /** The text the features describe: the last user turn, preceded by earlier user turns. */
  text: string;
  /** Lexical features in the order of `LEXICAL_FEATURE_NAMES` (lengths are log-scaled). */
  lexical: Float64Array;
  /** Tokens of the prompt (estimated unless a counter is given). */
  tokenCount: number;
  /** Unit-length embedding of the last user turn (`routeEmbeddingText`), when an embedder or a vector was given. */
  embedding?: Float32Array;
};

/**
 * The classifier prior: the probability (0..1) that the cheapest tier's answer is good enough
 * for this request. The models helper ships an ONNX one; any function works.
 */
export type RoutePrior = (features: RouteFeatures) => number | Promise<number>;

/** The numbers a policy computed for one arm, for `explain`. */
export type ArmEstimate = {
  tierId: string;
  /** Posterior mean reward (quality − λ·relative cost). */
  mean?: number;
  /** Thompson sample drawn this decision. */
  sampled?: number;
  /** Upper confidence bound (LinUCB). */
  upperBound?: number;
  /** Standard deviation of the predicted reward. */
  uncertainty?: number;
  /** Cost relative to the most expensive tier for this request (0..1). */
  relativeCost?: number;
  /** Prior quality the bandit started this arm from. */
  priorQuality?: number;
  /** Observations so far (decayed weight). */
  observations?: number;
};

/** What a policy sees when deciding. Tiers are sorted cheapest first. */
export type PolicyContext = {
  request: TokenomicsRequest;
  features: RouteFeatures;
  tiers: readonly Tier[];
  /** Estimated cost of each tier for this request relative to the most expensive tier (0..1]. */
  relativeCosts: Float64Array;
  /** Estimated dollars of each tier for this request (input tokens + expected output). */
  estimatedDollars: Float64Array;
  /** Seeded uniform [0, 1) numbers. */
  random: () => number;
  /** Seeded standard normal numbers (same generator as `random`). */
  normal: () => number;
  /** Evaluates a prior once per decision (shared by every policy that uses the same prior). */
  evaluatePrior(prior: RoutePrior): Promise<number>;
};

/** A policy's choice of the first tier to call. */
export type PolicyChoice = {
  /** Index into `PolicyContext.tiers` (cheapest first). */
  tierIndex: number;
  /** Short reason code, e.g. 'prior-above-threshold', 'thompson-sample', 'fixed'. */
  reason: string;
  prior?: number;
  threshold?: number;
  arms?: ArmEstimate[];
  /** Other numbers worth explaining (λ, sampled share...). JSON-safe. */
  details?: Record<string, unknown>;
  /** Opaque state the policy wants back in `update` (e.g. the bandit's context vector). */
  memo?: unknown;
  /**
   * A tier to call beside the one that serves, to learn from only: `run` calls it alongside
   * `tierIndex`, charges it, never returns its answer, and feeds the policy its graded outcome (its
   * `tierIndex` is this one) instead of the served tier's. Exploring without serving an unproven answer.
   */
  shadowTierIndex?: number;
};

/** The verdict of a policy that reviews answers (the cascade). */
export type AnswerReview = {
  accept: boolean;
  /** Combined quality 0..1, when any scorer had something to say. */
  score?: number;
  scores: ScoreResult[];
  reason: string;
  /** Tier to escalate to when not accepted; default the next more expensive tier. */
  escalateTo?: number;
};

/** One observed outcome a learning policy learns from. */
export type PolicyOutcome = {
  choice: PolicyChoice;
  /** The tier whose quality was observed (the chosen one). */
  tierIndex: number;
  /** Quality 0..1 (a scorer's verdict or a user's rating). */
  quality: number;
  /** Dollars actually spent on this tier's call, when known. */
  dollars?: number;
  /** Cost of that call relative to the most expensive tier (0..1). */
  relativeCost: number;
  tiers: readonly Tier[];
  /** 'run' for automatic scoring, 'feedback' for a user rating. */
  source: 'run' | 'feedback';
};

export interface RoutePolicy {
  /** e.g. 'classifier', 'bandit:thompson', 'cascade', 'fixed:cheap', 'random'. */
  readonly name: string;
  decide(context: PolicyContext): PolicyChoice | Promise<PolicyChoice>;
  /** Reviews a tier's answer in `run`; a policy without it accepts the first answer. */
  review?(input: ReviewInput): Promise<AnswerReview>;
  /** Learns from an outcome (bandits). */
  update?(outcome: PolicyOutcome): void | Promise<void>;
}

export type ReviewInput = {
  context: PolicyContext;
  choice: PolicyChoice;
  tierIndex: number;
  answer: TierAnswer;
  /** Calls a tier again on the same request (agreement, judge); charged to the run. */
  callTier: (tierIndex: number, purpose: TierCallPurpose) => Promise<TierAnswer>;
};

/** Input to a scorer. */
export type ScoreInput = {
  request: TokenomicsRequest;
  answer: TierAnswer;
  tier: Tier;
  features?: RouteFeatures;
  /** Seeded uniform [0, 1) numbers (e.g. for a judge's sampled share). */
  random: () => number;
  /** Another answer from a tier (for agreement); charged to the run. Absent outside `run`. */
  callTier?: (tier: Tier, purpose: TierCallPurpose) => Promise<TierAnswer>;
  /**
   * True for a shadow call's answer (see `PolicyChoice.shadowTierIndex`): it was paid for only to be
   * graded, so a sampled scorer (the judge's `sampleShare`) grades it always.
   */
  shadow?: boolean;
};

/** A scorer's verdict: quality 0..1 and why. */
export type ScoreResult = {
  scorer: string;
  score: number;
  reason?: string;
};

/**
 * Judges an answer's quality. Returns undefined when it has nothing to say (no logprobs, not
 * sampled for the judge, no schema to check).
 */
export interface AnswerScorer {
  readonly name: string;
  score(input: ScoreInput): ScoreResult | undefined | Promise<ScoreResult | undefined>;
}

/** What a learned answer-quality model (e.g. the shipped ONNX scorer) is given. */
export type AnswerQualityInput = {
  prompt: string;
  answerText: string;
  finishReason: TierAnswer['finishReason'];
  usage: Usage;
  /** Token logprobs when the provider returned them. */
  logprobs?: number[];
  features?: RouteFeatures;
};

/** A learned model that predicts the probability an answer is correct. */
export interface AnswerQualityModel {
  readonly id: string;
  predict(input: AnswerQualityInput): number | Promise<number>;
  /** False for an answer unlike the model's training answers: its scorer abstains rather than guess. */
  covers?(input: AnswerQualityInput): boolean;
}

/** Statistics of one arm of a linear bandit (A = Σ γᵗ x xᵀ, b = Σ γᵗ r x; the prior ridge is added at use). */
export type ArmStatistics = {
  /** Row-major d×d. */
  precision: Float64Array;
  /** Length d. */
  weighted: Float64Array;
  /** Decayed observation count. */
  observations: number;
  /** Undecayed count. */
  pulls: number;
  rewardSum: number;
};

/** Everything a bandit learned: one snapshot per bandit id. */
export type BanditSnapshot = {
  /** Feature layout id; a snapshot from another layout is discarded. */
  schema: string;
  dimensions: number;
  /** Updates applied so far. */
  steps: number;
  /** Cost weight λ (changes when derived from a budget). */
  costWeight: number;
  /** Dollars and requests seen, for budget-derived λ. */
  spentDollars: number;
  arms: Record<string, ArmStatistics>;
  updatedAt: number;
};

/**
 * Where bandit statistics live. `update` is atomic: the store reads the latest snapshot, calls
 * `apply`, and writes its result in one transaction, so concurrent processes never lose an update.
 */
export interface BanditStateStore {
  load(banditId: string): Promise<BanditSnapshot | undefined>;
  update(
    banditId: string,
    apply: (current: BanditSnapshot | undefined) => BanditSnapshot,
  ): Promise<BanditSnapshot>;
  delete?(banditId: string): Promise<void>;
  close?(): Promise<void>;
}

export type RouterOptions = {
  /** Two or more tiers, in any order; the engine sorts them by price (cheapest first). */
  tiers: Tier[];
  policy: RoutePolicy;
  /**
   * Prices tiers without their own `price`; default the `ledger`'s pricing when a ledger is given
   * (so the router decides by the dollars the ledger reports), else `createPricing()`.
   */
  pricing?: Pricing;
  /** When given, `run` records each routed call (escalated attempts in `additionalSpent`). */
  ledger?: CostLedger;
  /** Embeds the request's semantic text for features; omitted: no embedding. */
  embedder?: Embedder;
  /** Seeds every random choice (Thompson samples, random policy, judge sampling). */
  seed?: number;
  /** Decision records kept for `feedback` / `explain` (least recently used dropped). Default 10,000. */
  maxDecisions?: number;
  /**
   * Scorers whose combined verdict is the quality a learning policy learns from in `run` when
   * the policy did not review the answer itself. Default: the heuristic scorers. `run` returns once
   * they have scored, so a judge among them adds its latency to the requests it grades.
   */
  rewardScorers?: AnswerScorer[];
  /** The tier the ledger's baseline assumes; default the most expensive. */
  baselineTier?: string;
  /** Output tokens assumed when estimating a tier's cost before a call. Default 256. */
  expectedOutputTokens?: number;
  /** Counts prompt tokens; default a fast estimate (about 4 characters a token). */
  countTokens?: (text: string) => number;
  /**
   * Try another tier when one fails with a provider error (rate limit, timeout, 5xx, a key or
   * model the tier lacks). A bad request (400, 422) is thrown at once whatever this says. Default true.
   */
  fallback?: boolean;
  /** Retries of a tier after a transient error (rate limit, timeout, 5xx), before falling back. */
  retry?: RetryOptions | false;
  /** Skips a tier after repeated provider failures, for a cool-down. Default 5 failures, 30 s. */
  circuitBreaker?: CircuitBreakerOptions | false;
  /**
   * How long a run that explores in the shadow (`PolicyChoice.shadowTierIndex`) waits for the shadow
   * call once its own answer is ready, in milliseconds. A shadow call that takes longer is aborted and
   * not waited for: the run returns, the call teaches nothing, and it counts as a timeout against its
   * tier's circuit. Default 30,000.
   */
  shadowWaitMs?: number;
};

/** The engine's choice for a request (before any call). */
export type RouteDecision = {
  traceId: string;
  tier: Tier;
  tierIndex: number;
  policy: string;
  reason: string;
  prior?: number;
  threshold?: number;
  arms?: ArmEstimate[];
  details?: Record<string, unknown>;
  /** Milliseconds spent deciding, embedding excluded. */
  durationMs: number;
};

/** One tier call within `run`. */
export type RouteAttempt = {
  tierId: string;
  model: string;
  purpose: TierCallPurpose;
  /**
   * 'accepted' ends the run; 'escalated' and 'failed' moved on (or retried); 'skipped': the tier's
   * circuit was open, it was not called; 'extra': a call a scorer made (agreement, judge) or a
   * shadow call (`purpose: 'shadow'`) made to learn from, whose answer was not returned.
   */
  outcome: 'accepted' | 'escalated' | 'failed' | 'skipped' | 'extra';
  score?: number;
  scores?: ScoreResult[];
  /**
   * Why, where it is not plain: 'circuit-open' (skipped), 'aborted' (a failure because the caller's
   * signal, or for a shadow call the failed run, stopped the call: not held against the tier's
   * circuit), 'exploring-in-shadow' (a shadow call), 'shadow-wait-exceeded' (a shadow call aborted
   * after `shadowWaitMs`).
   */
  reason?: string;
  error?: { name: string; message: string };
  /** How the failure was read: transient errors are retried and fall back; a bad request is thrown. */
  errorKind?: ProviderErrorKind;
  usage?: Usage;
  dollars?: number;
  durationMs: number;
};

/** Tokens and dollars one tier spent in a run (every call: answers, escalations, extra samples). */
export type TierUsage = { tierId: string; model: string; calls: number; usage: Usage; dollars: number };

/** Everything a run spent: the total the caller is billed for, and each tier's share. */
export type RouteUsage = { total: Usage; tiers: TierUsage[] };

export type RouteResult = {
  answer: TierAnswer;
  /** The tier whose answer is returned. */
  tier: Tier;
  decision: RouteDecision;
  attempts: RouteAttempt[];
  trace: DecisionTrace;
  /**
   * Dollars of every call in the run, and of the baseline tier for the final answer's usage, each
   * call at its tier's `price` or else the router's pricing (as the ledger records them).
   */
  cost: {
    dollars: number;
    baselineDollars: number;
    /** False when a tier that ran, or the baseline tier, has no known price: its dollars count as 0. */
    priceKnown: boolean;
    /** The models without a known price, present when `priceKnown` is false. */
    unpricedModels?: string[];
  };
  /** Tokens of every call in the run (the returned answer's usage is only the last tier's). */
  usage: RouteUsage;
  ledgerRecord?: LedgerRecord;
};

export type DecideOptions = {
  /** Features computed already (skips feature extraction). */
  features?: RouteFeatures;
  /** The request's embedding, when the caller has one (e.g. from the semantic cache). */
  embedding?: Float32Array;
  /** Steps are added to this trace; default a new trace. */
  trace?: DecisionTrace;
};

export type RunOptions = DecideOptions & {
  signal?: AbortSignal;
  /**
   * A decision `decide` made for this same request (an adapter that labels its run with the chosen
   * tier before calling): `run` starts from it instead of deciding again. An unknown or already
   * used decision is ignored.
   */
  decision?: RouteDecision;
};

/** An outcome observed outside `run` (e.g. an adapter that streamed the chosen tier itself). */
export type RouteObservation = {
  tierId: string;
  answer?: TierAnswer;
  error?: unknown;
  /** Quality if the caller scored it; otherwise the reward scorers score `answer`. */
  quality?: number;
};

/** The numbers behind one decision. */
export type RouteExplanation = {
  traceId: string;
  at: number;
  policy: string;
  tierId: string;
  reason: string;
  features: { tokenCount: number; lexical: Record<string, number>; embeddingDimensions?: number };
  prior?: number;
  threshold?: number;
  arms?: ArmEstimate[];
  details?: Record<string, unknown>;
  attempts: RouteAttempt[];
  /** Ratings given through `feedback`. */
  feedback: number[];
  durationMs: number;
};

export interface RouterEngine {
  /** Tiers sorted cheapest first. */
  readonly tiers: readonly Tier[];
  /** The policy it routes with (e.g. to see whether it reviews answers: `policy.review`). */
  readonly policy: RoutePolicy;
  /** Request features (lexical, token count, and the embedding when an embedder is configured). */
  features(request: TokenomicsRequest, options?: { embedding?: Float32Array }): Promise<RouteFeatures>;
  /** Chooses a tier without calling it (adapters that stream call `observe` afterwards). */
  decide(request: TokenomicsRequest, options?: DecideOptions): Promise<RouteDecision>;
  /** Decides, calls, reviews (cascade), escalates or falls back, learns and records cost. */
  run(request: TokenomicsRequest, callTier: CallTier, options?: RunOptions): Promise<RouteResult>;
  /** Reports the outcome of a decision made with `decide`. Returns false for an unknown trace id. */
  observe(traceId: string, observation: RouteObservation): Promise<boolean>;
  /**
   * A user's rating (0..1) of the answer for a trace. Learning policies take it as one more
   * observation of the tier that answered, next to the automatic one `run` made. Returns false
   * when the trace is unknown (never routed here, or dropped from the bounded records).
   */
  feedback(traceId: string, score: number): Promise<boolean>;
  explain(traceId: string): RouteExplanation | undefined;
}
