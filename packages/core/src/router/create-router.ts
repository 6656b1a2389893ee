import type { Usage } from '../cache/cached-response';
import { ledgerTraceStep } from '../ledger/ledger-trace-step';
import type { LedgerRecord } from '../ledger/types';
import { costAtRates } from '../pricing/cost-at-rates';
import { createPricing, type Pricing } from '../pricing/create-pricing';
import type { CostEstimate, ModelPriceOverride } from '../pricing/model-price';
import type { TokenomicsRequest } from '../request/request';
import { addStep, createTrace } from '../trace/create-trace';
import type { DecisionTrace } from '../trace/trace';
import { DecisionRecords } from './decision-records';
import { AllTiersFailedError, errorMessage, errorSummary, InvalidRouterOptionsError } from './errors';
import { type CallOutcome, callWithRetries } from './faults/call-with-retries';
import { TierCircuitBreakers } from './faults/circuit-breaker';
import { classifyProviderError, type ProviderErrorKind } from './faults/provider-errors';
import { extractRouteFeatures, namedLexicalFeatures, routeEmbeddingText } from './features/lexical-features';
import { routeUsage } from './route-usage';
import { heuristicScorers } from './scorers/heuristic-scorers';
import { scoreAnswer } from './scorers/score-answer';
import { createSeededRandom } from './seeded-random';
import { estimateTierCosts, sortTiers } from './tiers';
import type {
  AnswerReview,
  CallTier,
  DecideOptions,
  PolicyChoice,
  PolicyContext,
  RouteAttempt,
  RouteDecision,
  RouteExplanation,
  RouteFeatures,
  RouteObservation,
  RoutePrior,
  RouteResult,
  RouterEngine,
  RouterOptions,
  RunOptions,
  Tier,
  TierAnswer,
  TierCallPurpose,
} from './types';

export const DEFAULT_MAX_DECISIONS = 10_000;
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;
/** How long a run waits for its shadow call once its own answer is ready. */
export const DEFAULT_SHADOW_WAIT_MS = 30_000;
/** The longest delay `setTimeout` keeps (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One paid call as the ledger takes it: the tier's own rates travel with it. */
type SpentCall = { model: string; usage: Usage; price?: ModelPriceOverride };

/** What one `run` has done so far: its calls, their spend, and the answer a review rejected. */
type RunState = {
  request: TokenomicsRequest;
  callTier: CallTier;
  signal?: AbortSignal;
  trace: DecisionTrace;
  record: DecisionRecord;
  context: PolicyContext;
  tried: Set<number>;
  failures: Array<{ tierId: string; error: unknown }>;
  otherSpend: SpentCall[];
  unpricedModels: Set<string>;
  totalDollars: number;
  attemptNumber: number;
  /** The first choice's answer, review and dollars: what a learning policy learns from. */
  chosenOutcome?: { answer?: TierAnswer; review?: AnswerReview; dollars?: number };
  /** The last answer a review rejected: returned if every tier it escalated to fails. */
  rejected?: { index: number; answer: TierAnswer; attempt: RouteAttempt; spend: SpentCall };
};

/** What stops a run's shadow call, and whether it was stopped for outlasting `shadowWaitMs`. */
type ShadowStop = { controller: AbortController; timedOut: boolean };

type DecisionRecord = {
  decision: RouteDecision;
  choice: PolicyChoice;
  at: number;
  features: { tokenCount: number; lexical: Float64Array; embeddingDimensions?: number };
  relativeCosts: Float64Array;
  attempts: RouteAttempt[];
  feedback: number[];
  /** The tier whose answer the user got, once known (feedback rates that tier). */
  answeredTierIndex?: number;
  /** Held until the outcome is learned (`run` ends or `observe` is called), then dropped. */
  pending?: PolicyContext;
  /** The decision's trace, kept while it is pending, so a later `run` can continue it. */
  trace?: DecisionTrace;
};

/**
 * The router engine: sorts tiers by price, asks the policy for a tier, and in `run` calls it,
 * lets the policy review the answer (a cascade escalates), falls back when a tier throws, feeds
 * the outcome to learning policies, and records every call's cost in the ledger and the trace.
 */
export function createRouter(options: RouterOptions): RouterEngine {
  if (!options || typeof options.policy?.decide !== 'function') {
    throw new InvalidRouterOptionsError('createRouter needs a policy');
  }
  // Without its own pricing the router prices by the ledger's, so it decides by the dollars it reports.
  const pricing: Pricing = options.pricing ?? options.ledger?.pricing ?? createPricing();
  const priced = sortTiers(options.tiers, pricing);
  const tiers: readonly Tier[] = Object.freeze(priced.map((entry) => entry.tier));
  const policy = options.policy;
  const random = createSeededRandom(options.seed);
  const rewardScorers = options.rewardScorers ?? heuristicScorers();
  const records = new DecisionRecords<DecisionRecord>(
    Math.max(1, options.maxDecisions ?? DEFAULT_MAX_DECISIONS),
  );
  const expectedOutputTokens = options.expectedOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS;
  const fallback = options.fallback ?? true;
  const breakers =
    options.circuitBreaker === false ? undefined : new TierCircuitBreakers(options.circuitBreaker);
  const shadowWaitMs = options.shadowWaitMs ?? DEFAULT_SHADOW_WAIT_MS;
  if (!(shadowWaitMs >= 0 && shadowWaitMs <= MAX_TIMER_MS))
    throw new InvalidRouterOptionsError(`shadowWaitMs must be within 0..${MAX_TIMER_MS}`);
  const baselineIndex =
    options.baselineTier === undefined
      ? tiers.length - 1
      : tiers.findIndex((tier) => tier.id === options.baselineTier);
  if (baselineIndex < 0)
    throw new InvalidRouterOptionsError(`baselineTier '${options.baselineTier}' is not a tier`);
  const extractionOptions = options.countTokens ? { countTokens: options.countTokens } : {};

  async function features(
    request: TokenomicsRequest,
    given: { embedding?: Float32Array } = {},
  ): Promise<RouteFeatures> {
    let embedding = given.embedding;
    if (!embedding && options.embedder) {
      const text = routeEmbeddingText(request);
      if (text.length > 0) embedding = (await options.embedder.embed([text]))[0];
    }
    return extractRouteFeatures(request, embedding ? { ...extractionOptions, embedding } : extractionOptions);
  }

  async function decideWithRecord(
    request: TokenomicsRequest,
    decideOptions: DecideOptions = {},
  ): Promise<{ decision: RouteDecision; record: DecisionRecord; trace: DecisionTrace }> {
    const trace = decideOptions.trace ?? createTrace(request);
    const routeFeatures =
      decideOptions.features ??
      (options.embedder && !decideOptions.embedding
        ? await features(request)
        : extractRouteFeatures(
            request,
            decideOptions.embedding
              ? { ...extractionOptions, embedding: decideOptions.embedding }
              : extractionOptions,
          ));
    // Timed from here: the embedding is the one cost the cache shares, and is excluded.
    const started = performance.now();
    const context = policyContext(request, routeFeatures);
    const choice = await policy.decide(context);
    const isTierIndex = (index: number) => Number.isInteger(index) && index >= 0 && index < tiers.length;
    if (!isTierIndex(choice.tierIndex)) {
      throw new InvalidRouterOptionsError(`Policy '${policy.name}' chose tier index ${choice.tierIndex}`);
    }
    if (choice.shadowTierIndex !== undefined && !isTierIndex(choice.shadowTierIndex)) {
      throw new InvalidRouterOptionsError(
        `Policy '${policy.name}' chose shadow tier index ${choice.shadowTierIndex}`,
      );
    }
    const tier = tiers[choice.tierIndex] as Tier;
    const decision: RouteDecision = {
      traceId: trace.id,
      tier,
      tierIndex: choice.tierIndex,
      policy: policy.name,
      reason: choice.reason,
      durationMs: 0,
    };
    if (choice.prior !== undefined) decision.prior = choice.prior;
    if (choice.threshold !== undefined) decision.threshold = choice.threshold;
    if (choice.arms) decision.arms = choice.arms;
    if (choice.details) decision.details = choice.details;
    decision.durationMs = Math.round((performance.now() - started) * 1000) / 1000;

    const stepDetails: Record<string, unknown> = { tier: tier.id, model: tier.model, policy: policy.name };
    if (decision.prior !== undefined) stepDetails.prior = decision.prior;
    if (decision.threshold !== undefined) stepDetails.threshold = decision.threshold;
    if (decision.arms) stepDetails.arms = decision.arms;
    addStep(trace, {
      stage: 'router',
      decision: 'route',
      reason: choice.reason,
      details: stepDetails,
      durationMs: decision.durationMs,
    });

    const record: DecisionRecord = {
      decision,
      choice,
      at: Date.now(),
      features: { tokenCount: routeFeatures.tokenCount, lexical: routeFeatures.lexical },
      relativeCosts: context.relativeCosts,
      attempts: [],
      feedback: [],
      pending: context,
      trace,
    };
    if (routeFeatures.embedding) record.features.embeddingDimensions = routeFeatures.embedding.length;
    records.set(trace.id, record);
    return { decision, record, trace };
  }

  function policyContext(request: TokenomicsRequest, routeFeatures: RouteFeatures): PolicyContext {
    const estimatedDollars = new Float64Array(tiers.length);
    const relativeCosts = new Float64Array(tiers.length);
    estimateTierCosts(
      priced,
      routeFeatures.tokenCount,
      expectedOutputTokens,
      estimatedDollars,
      relativeCosts,
    );
    // Most routers use one prior; a single slot avoids a Map per decision.
    let cachedPrior: RoutePrior | undefined;
    let cachedValue: Promise<number> | undefined;
    let others: Map<RoutePrior, Promise<number>> | undefined;
    return {
      request,
      features: routeFeatures,
      tiers,
      relativeCosts,
      estimatedDollars,
      random: random.next,
      normal: random.normal,
      evaluatePrior(prior: RoutePrior): Promise<number> {
        if (cachedPrior === prior && cachedValue) return cachedValue;
        const known = others?.get(prior);
        if (known) return known;
        const value = Promise.resolve(prior(routeFeatures)).then(clampProbability);
        if (cachedPrior === undefined) {
          cachedPrior = prior;
          cachedValue = value;
        } else {
          others ??= new Map();
          others.set(prior, value);
        }
        return value;
      },
    };
  }

  async function run(
    request: TokenomicsRequest,
    callTier: CallTier,
    runOptions: RunOptions = {},
  ): Promise<RouteResult> {
    const { decision, record, trace } =
      decidedEarlier(runOptions.decision) ?? (await decideWithRecord(request, runOptions));
    record.trace = undefined;
    const state: RunState = {
      request,
      callTier,
      trace,
      record,
      context: record.pending as PolicyContext,
      tried: new Set(),
      failures: [],
      otherSpend: [],
      unpricedModels: new Set(),
      totalDollars: 0,
      attemptNumber: 0,
    };
    if (runOptions.signal) state.signal = runOptions.signal;
    // Exploring in the shadow: the tier the policy explores is called beside the served one, to learn from.
    const shadowIndex = record.choice.shadowTierIndex;
    const shadow =
      shadowIndex === undefined || shadowIndex === decision.tierIndex
        ? undefined
        : startShadow(state, shadowIndex);
    try {
      const final = await answerFrom(state, decision.tierIndex).catch((error: unknown) => {
        // The run has failed: a shadow call still going would only spend, and teach nothing.
        shadow?.stop();
        throw error;
      });
      record.answeredTierIndex = final.index;
      // The run waits for its shadow call (a bounded time), so that the spend it reports is complete.
      if (shadow) await learn(record, shadow.index, await shadow.answer(), request, true);
      else await learn(record, decision.tierIndex, state.chosenOutcome, request);
      return finishRun(state, final);
    } finally {
      shadow?.release();
    }
  }

  /**
   * Starts a shadow call, stopped by the caller's signal too. `answer()` waits for it at most
   * `shadowWaitMs`: a call that takes longer is aborted and not waited for (it may never settle), teaches
   * nothing and counts as a timeout against its tier's circuit. `stop()` aborts it (the run failed);
   * `release()` leaves the caller's signal as it was.
   */
  function startShadow(state: RunState, index: number) {
    const stop: ShadowStop = { controller: new AbortController(), timedOut: false };
    const callerAborted = () => stop.controller.abort(state.signal?.reason);
    const call = callShadow(state, index, stop);
    if (state.signal?.aborted) callerAborted();
    else state.signal?.addEventListener('abort', callerAborted, { once: true });
    return {
      index,
      stop: () => stop.controller.abort(),
      release: () => state.signal?.removeEventListener('abort', callerAborted),
      async answer(): Promise<{ answer: TierAnswer; dollars: number } | undefined> {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const outlasted = new Promise<undefined>((resolve) => {
          timer = setTimeout(() => {
            stop.timedOut = true;
            stop.controller.abort(new DOMException('The shadow call outlasted shadowWaitMs', 'TimeoutError'));
            const tier = tiers[index] as Tier;
            breakers?.recordFailure(tier.id);
            state.record.attempts.push({
              tierId: tier.id,
              model: tier.model,
              purpose: 'shadow',
              outcome: 'failed',
              reason: 'shadow-wait-exceeded',
              errorKind: 'timeout',
              durationMs: shadowWaitMs,
            });
            resolve(undefined);
          }, shadowWaitMs);
        });
        try {
          return await Promise.race([call, outlasted]);
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }

  /**
   * The answer the run returns: the chosen tier's, or, when it fails or its answer is rejected, the
   * tier the policy falls back or escalates to. Throws when no tier is left or the error surfaces.
   */
  async function answerFrom(state: RunState, first: number): Promise<{ index: number; answer: TierAnswer }> {
    let index = first;
    for (;;) {
      index = skipOpenCircuit(state, index);
      state.tried.add(index);
      const called = await callForAnswer(state, index);
      if (!called.ok) {
        const next = await afterFailure(state, index, called);
        if (typeof next !== 'number') return next;
        index = next;
        continue;
      }
      const escalateTo = await reviewAnswer(state, index, called.value);
      if (escalateTo === undefined) return { index, answer: called.value };
      index = escalateTo;
    }
  }

  /**
   * A shadow call: charged and recorded as an extra call, never retried nor returned; its answer
   * (undefined when it failed or its circuit is open) is only learned from. It never throws. `stop`
   * aborts it: the run aborts it when it fails or the caller aborts.
   */
  async function callShadow(
    state: RunState,
    index: number,
    stop: ShadowStop,
  ): Promise<{ answer: TierAnswer; dollars: number } | undefined> {
    const tier = tiers[index] as Tier;
    const shadow = { tierId: tier.id, model: tier.model, purpose: 'shadow' } as const;
    if (breakers?.isOpen(tier.id)) {
      state.record.attempts.push({ ...shadow, outcome: 'skipped', reason: 'circuit-open', durationMs: 0 });
      return undefined;
    }
    const started = performance.now();
    try {
      const paid = await extraCall(state, index, 'shadow', 'exploring-in-shadow', stop.controller.signal);
      breakers?.recordSuccess(tier.id);
      // An answer after the run stopped waiting comes too late for its trace (already finished).
      if (stop.timedOut) return undefined;
      addStep(state.trace, {
        stage: 'router',
        decision: 'shadow-call',
        reason: `tier '${tier.id}' answered beside the served tier, to be graded, not returned`,
        details: { tier: tier.id, dollars: paid.dollars },
      });
      return paid;
    } catch (error) {
      // A call that outlasted the wait was recorded when the run stopped waiting.
      if (stop.timedOut) return undefined;
      const kind = classifyProviderError(error);
      // Stopped because the run failed or the caller aborted: nothing against the tier's health.
      const aborted = stop.controller.signal.aborted || state.signal?.aborted === true;
      if (!aborted && countsAgainstCircuit(kind)) breakers?.recordFailure(tier.id);
      state.record.attempts.push({
        ...shadow,
        outcome: 'failed',
        reason: aborted ? 'aborted' : 'exploring-in-shadow',
        error: errorSummary(error),
        errorKind: kind,
        durationMs: elapsed(started),
      });
      return undefined;
    }
  }

  function decidedEarlier(
    decision: RouteDecision | undefined,
  ): { decision: RouteDecision; record: DecisionRecord; trace: DecisionTrace } | undefined {
    const record = decision ? records.get(decision.traceId) : undefined;
    if (!record?.pending || !record.trace || record.attempts.length > 0) return undefined;
    return { decision: record.decision, record, trace: record.trace };
  }

  /** An open circuit is passed over while another untried tier's is closed; with none left, it is tried. */
  function skipOpenCircuit(state: RunState, index: number): number {
    let current = index;
    while (breakers?.isOpen((tiers[current] as Tier).id)) {
      const next = nextUntried(current, new Set([...state.tried, current]), (tier) => !breakers.isOpen(tier));
      if (next === undefined) return current;
      const tier = tiers[current] as Tier;
      state.tried.add(current);
      state.record.attempts.push({
        tierId: tier.id,
        model: tier.model,
        purpose: 'answer',
        outcome: 'skipped',
        reason: 'circuit-open',
        durationMs: 0,
      });
      addStep(state.trace, {
        stage: 'router',
        decision: 'circuit-open',
        reason: `tier '${tier.id}' failed repeatedly; skipped until its cool-down ends`,
        details: { from: tier.id, to: (tiers[next] as Tier).id },
      });
      current = next;
    }
    return current;
  }

  /** Calls a tier for an answer, retrying transient errors; each failed try is an attempt. */
  function callForAnswer(state: RunState, index: number): Promise<CallOutcome<TierAnswer>> {
    const tier = tiers[index] as Tier;
    let started = performance.now();
    return callWithRetries(() => invoke(state, index, 'answer'), {
      retry: options.retry ?? {},
      random: random.next,
      ...(state.signal ? { signal: state.signal } : {}),
      onFailure: (error, kind, willRetry) => {
        const summary = errorSummary(error);
        // A call the caller aborted says nothing about the tier's health.
        const aborted = state.signal?.aborted === true;
        state.record.attempts.push({
          tierId: tier.id,
          model: tier.model,
          purpose: 'answer',
          outcome: 'failed',
          ...(aborted ? { reason: 'aborted' } : {}),
          error: summary,
          errorKind: kind,
          durationMs: elapsed(started),
        });
        addStep(state.trace, {
          stage: 'model',
          decision: willRetry ? 'retry' : 'error',
          reason: summary.message,
          details: { tier: tier.id, error: summary.name, kind },
        });
        if (!aborted && countsAgainstCircuit(kind)) breakers?.recordFailure(tier.id);
        started = performance.now();
      },
    }).then((outcome) => {
      if (outcome.ok) breakers?.recordSuccess(tier.id);
      return outcome;
    });
  }

  /**
   * After a tier's provider error: the next tier to try, the answer a review rejected earlier
   * when no tier is left, or a throw. A provider error teaches the policy nothing about quality.
   */
  async function afterFailure(
    state: RunState,
    index: number,
    failed: { error: unknown; kind: ProviderErrorKind },
  ): Promise<number | { index: number; answer: TierAnswer }> {
    if (state.signal?.aborted) throw failed.error;
    const tier = tiers[index] as Tier;
    state.failures.push({ tierId: tier.id, error: failed.error });
    // A bad request would be refused by every tier; a live stream that showed part of an answer cannot change tier.
    const surface = failed.kind === 'request' || failed.kind === 'committed';
    const next = fallback && !surface ? nextUntried(index, state.tried) : undefined;
    if (next === undefined && state.rejected) return acceptRejected(state, tier);
    if (next === undefined) {
      addStep(state.trace, {
        stage: 'router',
        decision: surface ? 'surface-error' : 'all-failed',
        reason: surface
          ? `tier '${tier.id}' refused the request: ${errorMessage(failed.error)}`
          : `${state.failures.length} tier(s) failed`,
      });
      await learn(state.record, state.record.decision.tierIndex, state.chosenOutcome, state.request);
      if (surface) throw failed.error;
      throw new AllTiersFailedError(state.failures);
    }
    addStep(state.trace, {
      stage: 'router',
      decision: 'fallback',
      reason: `tier '${tier.id}' failed: ${errorMessage(failed.error)}`,
      details: { from: tier.id, to: (tiers[next] as Tier).id, kind: failed.kind },
    });
    return next;
  }

  function acceptRejected(state: RunState, failedTier: Tier): { index: number; answer: TierAnswer } {
    const rejected = state.rejected as NonNullable<RunState['rejected']>;
    rejected.attempt.outcome = 'accepted';
    state.otherSpend.splice(state.otherSpend.indexOf(rejected.spend), 1);
    addStep(state.trace, {
      stage: 'cascade',
      decision: 'accept-no-stronger-tier',
      reason: `tier '${failedTier.id}' failed after an escalation; returning the answer of '${(tiers[rejected.index] as Tier).id}' the review rejected`,
    });
    return { index: rejected.index, answer: rejected.answer };
  }

  /** Charges the answer, lets the policy review it; returns the tier to escalate to, or undefined to accept. */
  async function reviewAnswer(
    state: RunState,
    index: number,
    answer: TierAnswer,
  ): Promise<number | undefined> {
    const tier = tiers[index] as Tier;
    const started = performance.now();
    const dollars = charge(state, index, answer.usage);
    state.totalDollars += dollars;
    const review = policy.review
      ? await policy.review({
          context: state.context,
          choice: state.record.choice,
          tierIndex: index,
          answer,
          callTier: async (requested, purpose) => (await extraCall(state, requested, purpose)).answer,
        })
      : undefined;
    if (index === state.record.decision.tierIndex) {
      state.chosenOutcome = { answer, dollars };
      if (review) state.chosenOutcome.review = review;
    }
    const attempt: RouteAttempt = {
      tierId: tier.id,
      model: tier.model,
      purpose: 'answer',
      outcome: 'accepted',
      usage: answer.usage,
      dollars,
      durationMs: elapsed(started),
    };
    if (review?.score !== undefined) attempt.score = review.score;
    if (review && review.scores.length > 0) attempt.scores = review.scores;
    if (review) attempt.reason = review.reason;
    state.record.attempts.push(attempt);
    const target = review && !review.accept ? escalationTarget(review, index, state.tried) : undefined;
    if (target !== undefined) {
      attempt.outcome = 'escalated';
      const spend = spentCall(tier, answer.usage);
      state.otherSpend.push(spend);
      state.rejected = { index, answer, attempt, spend };
      addStep(state.trace, {
        stage: 'cascade',
        decision: 'escalate',
        reason: (review as AnswerReview).reason,
        details: {
          from: tier.id,
          to: (tiers[target] as Tier).id,
          score: review?.score,
          scores: review?.scores,
        },
      });
      return target;
    }
    if (review) {
      addStep(state.trace, {
        stage: 'cascade',
        // A rejected answer is still returned when every stronger tier was tried already.
        decision: review.accept ? 'accept' : 'accept-no-stronger-tier',
        reason: review.reason,
        details: { tier: tier.id, score: review.score, scores: review.scores },
      });
    }
    return undefined;
  }

  /** Calls a tier with the caller's signal, or with `own` (a shadow call's, which follows the caller's). */
  function invoke(
    state: RunState,
    index: number,
    purpose: TierCallPurpose,
    own?: AbortSignal,
  ): Promise<TierAnswer> {
    const tier = tiers[index] as Tier;
    const signal = own ?? state.signal;
    const callContext = {
      attempt: state.attemptNumber++,
      purpose,
      traceId: state.trace.id,
      ...(signal ? { signal } : {}),
    };
    return state.callTier(tier, tierRequest(state.request, tier), callContext);
  }

  /** A call besides the answer (a scorer's sample or judge, a shadow call): charged to the run and recorded. */
  async function extraCall(
    state: RunState,
    requested: number,
    purpose: TierCallPurpose,
    reason?: string,
    signal?: AbortSignal,
  ): Promise<{ answer: TierAnswer; dollars: number }> {
    const index = Math.max(requested, 0);
    const tier = tiers[index] as Tier;
    const started = performance.now();
    const answer = await invoke(state, index, purpose, signal);
    const dollars = charge(state, index, answer.usage);
    state.totalDollars += dollars;
    state.otherSpend.push(spentCall(tier, answer.usage));
    state.record.attempts.push({
      tierId: tier.id,
      model: tier.model,
      purpose,
      outcome: 'extra',
      ...(reason === undefined ? {} : { reason }),
      usage: answer.usage,
      dollars,
      durationMs: elapsed(started),
    });
    return { answer, dollars };
  }

  function charge(state: RunState, index: number, usage: Usage): number {
    const estimate = tierCost(index, usage);
    if (!estimate.priceKnown) state.unpricedModels.add((tiers[index] as Tier).model);
    return estimate.dollars;
  }

  function finishRun(state: RunState, final: { index: number; answer: TierAnswer }): RouteResult {
    const finalTier = tiers[final.index] as Tier;
    const baselineDollars = charge(state, baselineIndex, final.answer.usage);
    const attempts = [...state.record.attempts];
    const result: RouteResult = {
      answer: final.answer,
      tier: finalTier,
      decision: state.record.decision,
      attempts,
      trace: state.trace,
      cost: { dollars: state.totalDollars, baselineDollars, priceKnown: state.unpricedModels.size === 0 },
      usage: routeUsage(attempts),
    };
    if (state.unpricedModels.size > 0) result.cost.unpricedModels = [...state.unpricedModels];
    if (options.ledger) {
      const ledgerRecord = recordInLedger(
        state.trace,
        state.request,
        finalTier,
        final.answer.usage,
        state.otherSpend,
      );
      if (ledgerRecord) result.ledgerRecord = ledgerRecord;
    }
    return result;
  }

  function recordInLedger(
    trace: DecisionTrace,
    request: TokenomicsRequest,
    finalTier: Tier,
    usage: Usage,
    otherSpend: SpentCall[],
  ): LedgerRecord | undefined {
    const baselineTier = tiers[baselineIndex] as Tier;
    try {
      // Each call carries its tier's own price, so the ledger's dollars are the ones the router used.
      const record = (options.ledger as NonNullable<RouterOptions['ledger']>).record({
        traceId: trace.id,
        model: finalTier.model,
        ...(finalTier.price ? { price: finalTier.price } : {}),
        stage: 'router',
        spent: usage,
        // The baseline tier's usage is not observed; the same prompt and answer length is the estimate.
        baseline: usage,
        baselineModel: baselineTier.model,
        ...(baselineTier.price ? { baselinePrice: baselineTier.price } : {}),
        ...(otherSpend.length > 0 ? { additionalSpent: otherSpend } : {}),
        ...(request.scope ? { scope: request.scope } : {}),
      });
      addStep(trace, ledgerTraceStep(record));
      return record;
    } catch (error) {
      addStep(trace, { stage: 'ledger', decision: 'error', reason: errorMessage(error) });
      return undefined;
    }
  }

  /** Feeds the chosen tier's outcome to a learning policy; a learning failure never fails the call. */
  async function learn(
    record: DecisionRecord,
    tierIndex: number,
    outcome: { answer?: TierAnswer; review?: AnswerReview; dollars?: number; quality?: number } | undefined,
    request: TokenomicsRequest,
    shadow = false,
  ): Promise<void> {
    const context = record.pending;
    record.pending = undefined;
    record.trace = undefined;
    if (!policy.update || !outcome || !context) return;
    let quality = outcome.quality ?? outcome.review?.score;
    if (quality === undefined && outcome.answer) {
      const tier = tiers[tierIndex] as Tier;
      quality = (
        await scoreAnswer(rewardScorers, {
          request,
          answer: outcome.answer,
          tier,
          features: context.features,
          random: random.next,
          ...(shadow ? { shadow } : {}),
        })
      ).score;
    }
    // A call that failed (rate limit, timeout, 5xx) says nothing about the tier's answers.
    if (quality === undefined) return;
    try {
      await policy.update({
        choice: record.choice,
        tierIndex,
        quality,
        ...(outcome.dollars !== undefined ? { dollars: outcome.dollars } : {}),
        relativeCost: actualRelativeCost(tierIndex, outcome.answer?.usage, record.relativeCosts),
        tiers,
        source: 'run',
      });
    } catch (error) {
      record.decision.details = { ...record.decision.details, learnError: errorMessage(error) };
    }
  }

  function actualRelativeCost(tierIndex: number, usage: Usage | undefined, estimated: Float64Array): number {
    if (usage) {
      const strongest = costOf(tiers.length - 1, usage);
      if (strongest > 0) return Math.min(1, costOf(tierIndex, usage) / strongest);
    }
    return estimated[tierIndex] ?? 1;
  }

  function costOf(index: number, usage: Usage): number {
    return tierCost(index, usage).dollars;
  }

  /** A call's cost as the ledger computes it: the tier's own price, else the pricing's. */
  function tierCost(index: number, usage: Usage): CostEstimate {
    const tier = tiers[index] as Tier;
    return tier.price ? costAtRates(tier.price, usage) : pricing.estimate(tier.model, usage);
  }

  function nextUntried(
    from: number,
    tried: ReadonlySet<number>,
    usable: (tierId: string) => boolean = () => true,
  ): number | undefined {
    const open = (index: number) => !tried.has(index) && usable((tiers[index] as Tier).id);
    // A stronger tier first (it can answer what the cheap one could), then cheaper ones, strongest first.
    for (let index = from + 1; index < tiers.length; index++) if (open(index)) return index;
    for (let index = from - 1; index >= 0; index--) if (open(index)) return index;
    return undefined;
  }

  function escalationTarget(review: AnswerReview, from: number, tried: Set<number>): number | undefined {
    const wanted = Math.min(tiers.length - 1, Math.max(from + 1, review.escalateTo ?? from + 1));
    for (let index = wanted; index < tiers.length; index++) if (!tried.has(index)) return index;
    return undefined;
  }

  return {
    tiers,
    policy,
    features,
    async decide(request, decideOptions) {
      return (await decideWithRecord(request, decideOptions)).decision;
    },
    run,
    async observe(traceId: string, observation: RouteObservation): Promise<boolean> {
      const record = records.get(traceId);
      if (!record?.pending) return false;
      const tierIndex = tiers.findIndex((tier) => tier.id === observation.tierId);
      if (tierIndex < 0)
        throw new InvalidRouterOptionsError(`observe: no tier has id '${observation.tierId}'`);
      const tier = tiers[tierIndex] as Tier;
      const attempt: RouteAttempt = {
        tierId: tier.id,
        model: tier.model,
        purpose: 'answer',
        outcome: observation.error === undefined ? 'accepted' : 'failed',
        durationMs: 0,
      };
      const outcome: { answer?: TierAnswer; dollars?: number; quality?: number } = {};
      if (observation.error !== undefined) {
        attempt.error = errorSummary(observation.error);
        attempt.errorKind = classifyProviderError(observation.error);
        if (countsAgainstCircuit(attempt.errorKind)) breakers?.recordFailure(tier.id);
      }
      if (observation.answer) {
        outcome.answer = observation.answer;
        outcome.dollars = costOf(tierIndex, observation.answer.usage);
        attempt.usage = observation.answer.usage;
        attempt.dollars = outcome.dollars;
        record.answeredTierIndex = tierIndex;
      }
      if (observation.quality !== undefined) {
        outcome.quality = observation.quality;
        attempt.score = observation.quality;
      }
      record.attempts.push(attempt);
      await learn(record, tierIndex, outcome, record.pending.request);
      return true;
    },
    async feedback(traceId: string, score: number): Promise<boolean> {
      if (!(typeof score === 'number' && Number.isFinite(score))) {
        throw new InvalidRouterOptionsError('feedback score must be a number (0..1)');
      }
      const record = records.get(traceId);
      if (!record) return false;
      const quality = Math.min(1, Math.max(0, score));
      record.feedback.push(quality);
      const tierIndex = record.answeredTierIndex ?? record.decision.tierIndex;
      if (policy.update) {
        await policy.update({
          choice: record.choice,
          tierIndex,
          quality,
          relativeCost: record.relativeCosts[tierIndex] ?? 1,
          tiers,
          source: 'feedback',
        });
      }
      return true;
    },
    explain(traceId: string): RouteExplanation | undefined {
      const record = records.get(traceId);
      if (!record) return undefined;
      const { decision } = record;
      const explanation: RouteExplanation = {
        traceId,
        at: record.at,
        policy: decision.policy,
        tierId: decision.tier.id,
        reason: decision.reason,
        features: {
          tokenCount: record.features.tokenCount,
          lexical: namedLexicalFeatures(record.features.lexical),
        },
        attempts: record.attempts.map((attempt) => ({ ...attempt })),
        feedback: [...record.feedback],
        durationMs: decision.durationMs,
      };
      if (record.features.embeddingDimensions !== undefined) {
        explanation.features.embeddingDimensions = record.features.embeddingDimensions;
      }
      if (decision.prior !== undefined) explanation.prior = decision.prior;
      if (decision.threshold !== undefined) explanation.threshold = decision.threshold;
      if (decision.arms) explanation.arms = decision.arms.map((arm) => ({ ...arm }));
      if (decision.details) explanation.details = { ...decision.details };
      return explanation;
    },
  };
}

/** Failures that say the tier itself is in trouble (not the request): they count toward its circuit. */
function countsAgainstCircuit(kind: ProviderErrorKind): boolean {
  return kind !== 'request' && kind !== 'committed' && kind !== 'context-length';
}

function spentCall(tier: Tier, usage: Usage): SpentCall {
  return tier.price ? { model: tier.model, usage, price: tier.price } : { model: tier.model, usage };
}

/** The request as the tier gets it: its model, and its settings over the request's. */
export function tierRequest(request: TokenomicsRequest, tier: Tier): TokenomicsRequest {
  const routed: TokenomicsRequest = { ...request, model: tier.model };
  if (tier.settings) routed.settings = { ...request.settings, ...tier.settings };
  return routed;
}

function clampProbability(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0.5;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
